"""The curation desk: the Django admin for the record, with history and revert on every model.

Every ModelAdmin is a :class:`HistoryAdmin` (django-simple-history): a history page per object with the
user, time and field-by-field changes of each version, and a revert view. Dates are typed as people
write them and stored as EDTF through :mod:`events.partial_dates`; search matches Chinese in either
script through :mod:`events.scripts`; event writes and status moves go through :mod:`events.services`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from admin_auto_filters.filters import AutocompleteFilterFactory
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Prefetch, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from events import partial_dates
from events.models import (
    Actor,
    ActorAlias,
    Citation,
    Event,
    EventRelation,
    Location,
    Participation,
    Source,
    Tag,
)
from events.scripts import script_variants
from events.search import search_actors, search_events
from events.services.events import (
    ALLOWED_TRANSITIONS,
    EVENT_EDITABLE_FIELDS,
    event_create,
    event_set_status,
    event_update,
    events_set_status,
)
from events.services.sources import SOURCE_EDITABLE_FIELDS, source_create, source_update

admin.site.site_header = "Timeline curation"
admin.site.site_title = "Timeline curation"
admin.site.index_title = "The record"

HUMAN_DATE_HELP = (
    "Type it as you would say it — October 2023, 2023年10月, 26–28 July 2025, c. 2024 — or in EDTF "
    "(2023-10). It is stored as EDTF, no more precisely than you give it."
)


# --- Dates ---------------------------------------------------------------------------------------


class HumanDateField(forms.CharField):
    """A form field that reads a date as people type it and cleans to its EDTF value."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        try:
            return partial_dates.parse_human_date(text).to_edtf()
        except partial_dates.InvalidDate as error:
            raise ValidationError(f"Not a date: {error}", code="invalid_date") from error


class CapturedTextField(forms.CharField):
    """The captured text of a source, kept as it was: no stripping, and the CRLF line ends browsers
    submit turned back into LF, so that saving a source unchanged leaves its text and checksum alone."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**kwargs, "strip": False})

    def to_python(self, value: Any) -> str:
        return (super().to_python(value) or "").replace("\r\n", "\n")


def describe_bounds(lower: Any, upper: Any, precision: str) -> str:
    """The stored bounds of a partial date as a curator reads them; open ends say so."""
    if lower is None:
        return "—"
    first = "open" if lower == partial_dates.OPEN_START else lower.isoformat()
    last = "open" if upper == partial_dates.OPEN_END else upper.isoformat()
    return f"{first} … {last} ({precision} precision)"


# --- Shared admin behaviour ----------------------------------------------------------------------


class ScriptAwareSearchMixin:
    """Search that matches Chinese text in either script: 李強 finds 李强 and the other way round."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        search = super().get_search_results  # type: ignore[misc]
        results, may_have_duplicates = search(request, queryset, search_term)
        for variant in script_variants(search_term)[1:]:
            more, more_duplicates = search(request, queryset, variant)
            results = results | more
            may_have_duplicates = may_have_duplicates or more_duplicates
        return results, may_have_duplicates


class RecordSearchMixin:
    """Search with the API's definition of ``q`` (events.search), so the desk and the API find the same
    rows: every word must match, in any script, in titles, summaries, quotes, names or aliases."""

    record_search: Callable[[QuerySet, str], QuerySet]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        if not search_term.strip():
            return queryset, False
        by_slug = queryset.filter(slug=search_term.strip())
        return type(self).record_search(queryset, search_term) | by_slug, False


class PartialDateFormMixin:
    """Human date input for the EDTF fields of a PartialDateColumnsModel."""

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any) -> Any:
        model = db_field.model
        if db_field.name in getattr(model, "partial_date_fields", ()):
            return HumanDateField(
                label=str(db_field.verbose_name).capitalize(),
                max_length=db_field.max_length,
                required=not db_field.blank,
                help_text=HUMAN_DATE_HELP,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


# --- No lost update ------------------------------------------------------------------------------


class VersionCheckedForm(forms.ModelForm):
    """A change form that never saves over someone else's save.

    It carries the version of the record it was opened on (its ``updated_at``, which every save moves,
    inline edits included). A save that finds the record changed since is refused, saying who changed
    what; the curator's own input stays in the form, which now carries the new version, so saving
    again applies it over the other change. The stored version is read with a row lock, so two saves
    at once are checked one after the other.
    """

    record_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Set by HistoryAdmin.get_form: the inline rows whose changes are reported too.
    child_histories: Sequence[tuple[Any, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The stored row's version, not the instance's: a revert form's instance is an old version.
        self.fields["record_version"].initial = self.stored_version()

    def stored_version(self, lock: bool = False) -> str:
        if self.instance.pk is None:
            return ""
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if lock:
            rows = rows.select_for_update()
        stored = rows.values_list("updated_at", flat=True).first()
        return stored.isoformat() if stored else ""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        current = self.stored_version(lock=True)
        if not current:  # a new record, or a deleted one being restored from its history
            return cleaned
        name = self.add_prefix("record_version")
        opened = self.data.get(name, "")
        if opened != current:
            data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict
            data[name] = current  # saving again applies this input over the other change
            self.data = data
            raise ValidationError(
                changes_since(self.instance, opened, self.child_histories), code="changed_meanwhile"
            )
        return cleaned


def changes_since(
    instance: models.Model, opened: str, child_histories: Sequence[tuple[Any, ...]]
) -> list[str]:
    """Lines for a curator whose form is out of date: who changed the record since ``opened`` (the
    version the form was opened on), field by field, and which inline rows changed."""
    model = type(instance)
    history = model.history.filter(**{model._meta.pk.attname: instance.pk})  # type: ignore[attr-defined]
    newest = history.order_by("-history_date", "-history_id").first()
    try:
        seen = history.filter(updated_at=dt.datetime.fromisoformat(opened)).order_by("-history_id").first()
    except ValueError:  # no version, or a mangled one: say what the record is now
        seen = None
    since = seen.history_date if seen else None
    later = history.filter(history_date__gt=since) if since else history.none()
    who = sorted({str(record.history_user) for record in later if record.history_user}) or ["someone"]
    lines = [
        f"This {model._meta.verbose_name} was changed by {', '.join(who)} after you opened this form, "
        "so nothing was saved."
    ]
    if seen is not None and newest is not None:
        delta = newest.diff_against(seen, excluded_fields=["updated_at"])
        for change in delta.changes:
            field = model._meta.get_field(change.field)
            assert isinstance(field, models.Field), f"{change.field} is not a concrete field"
            label = str(field.verbose_name)
            if field.many_to_many:
                lines.append(f"{label.capitalize()}: changed.")
            else:
                lines.append(
                    f"{label.capitalize()}: {shown(field, change.old)} → {shown(field, change.new)}."
                )
        for child_model, foreign_key, *title in child_histories:
            rows = child_model.history.filter(**{f"{foreign_key}_id": instance.pk, "history_date__gt": since})
            if rows.exists():
                plural = title[0] if title else str(child_model._meta.verbose_name_plural)
                lines.append(f"{plural.capitalize()}: {count(rows.count(), 'change')}.")
    lines.append(
        "Your input is still in the form below. Compare it with the changes above, then save again to "
        "apply it over them, or open the page again to start from the new version."
    )
    return lines


def shown(field: models.Field, value: Any) -> str:
    """A stored value as a curator reads it: related rows by name, long text cut short."""
    if value in (None, ""):
        return "(empty)"
    if field.is_relation and isinstance(field.related_model, type):
        related = field.related_model._default_manager.filter(pk=value).first()
        value = related if related is not None else f"#{value}"
    text = str(value)
    return f"“{text[:80]}…”" if len(text) > 80 else f"“{text}”"


class HistoryAdmin(SimpleHistoryAdmin):
    """Base admin: history with per-version diffs and revert, child rows' histories, deleted rows.

    ``child_histories`` names (model, foreign key[, title]) whose rows belong to this object (inlines):
    the history page lists every such row ever attached, removed ones included, with a link to its own
    history, where any version can be restored. The changelist links to a list of deleted objects,
    each restorable from its history page. Every change form is version-checked (VersionCheckedForm),
    a change of inline rows is a change of the object, and a revert is recorded as one.
    """

    form = VersionCheckedForm
    child_histories: Sequence[tuple[Any, ...]] = ()
    object_history_template = "admin/events/object_history.html"
    object_history_list_template = "admin/events/object_history_list.html"
    change_list_template = "admin/events/change_list.html"

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.child_histories = self.child_histories
        return form

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        # The version goes into the page with the fields the admin renders (a hidden input in the first
        # fieldset), or the browser would never send it back.
        fieldsets = list(super().get_fieldsets(request, obj))
        if fieldsets and "record_version" not in flatten_fieldsets(fieldsets):
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "fields": [*options["fields"], "record_version"]})
        return fieldsets

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (IntegrityError, ValidationError):
            if request.method != "POST":
                raise
        # Another save committed between this form's checks and its write (two curators choosing one
        # slug at once): everything was rolled back, and checking the form again names the clash.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (IntegrityError, ValidationError) as error:
            reason = "; ".join(error.messages) if isinstance(error, ValidationError) else "a conflicting save"
            self.message_user(request, f"Nothing was saved: {reason}. Please try again.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, obj: Any = None, **kwargs: Any
    ) -> HttpResponse:
        # After a refused save the form's instance holds the refused input: the heading names the record
        # as stored (its date included), not as the curator was trying to change it.
        if obj is not None and obj.pk is not None:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            if stored is not None:
                context["subtitle"] = str(stored)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    @transaction.atomic
    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # A revert is one write, checked against the stored version like any other save.
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        obj._change_reason = revert_reason(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        changed = [formset for formset in formsets if formset.has_changed()]
        if change and changed:
            # Inline rows are part of the record: its updated_at moves (feeds, caches, the version check).
            obj = form.instance
            obj._history_user = request.user
            names = ", ".join(str(formset.model._meta.verbose_name_plural) for formset in changed)
            obj._change_reason = revert_reason(obj) or f"Changed its {names}"
            obj.updated_at = timezone.now()
            obj.save(update_fields=["updated_at"])

    def get_urls(self) -> list[Any]:
        info = self.model._meta.app_label, self.model._meta.model_name
        deleted = path(
            "deleted/", self.admin_site.admin_view(self.deleted_view), name="{}_{}_deleted".format(*info)
        )
        return [deleted, *super().get_urls()]

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        context = {"child_histories": self.child_history_sections(object_id), **(extra_context or {})}
        return super().history_view(request, object_id, extra_context=context)

    def child_history_sections(self, object_id: str) -> list[dict[str, Any]]:
        sections = []
        for child_model, foreign_key, *title in self.child_histories:
            records = child_model.history.filter(  # type: ignore[attr-defined]
                **{f"{foreign_key}_id": object_id}
            ).order_by("id", "-history_date")
            rows = latest_record_per_object(records)
            existing = set(child_model._default_manager.filter(pk__in=rows).values_list("pk", flat=True))
            sections.append(
                {
                    "title": (title[0] if title else str(child_model._meta.verbose_name_plural)).capitalize(),
                    "rows": [
                        {
                            "label": record_label(record),
                            "url": history_url(child_model, pk),
                            "deleted": pk not in existing,
                        }
                        for pk, record in rows.items()
                    ],
                }
            )
        return sections

    def deleted_view(self, request: HttpRequest) -> HttpResponse:
        """Objects of this model that were deleted, each linked to its history to restore it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        deletions = self.model.history.filter(history_type="-").order_by(  # type: ignore[attr-defined]
            opts.pk.attname, "-history_date"
        )
        latest = latest_record_per_object(deletions)
        still_gone = set(latest) - set(
            self.model._default_manager.filter(pk__in=latest).values_list("pk", flat=True)
        )
        rows = [
            {
                "label": record_label(record),
                "url": history_url(self.model, pk),
                "deleted_at": record.history_date,
                "deleted_by": record.history_user,
            }
            for pk, record in latest.items()
            if pk in still_gone
        ]
        rows.sort(key=lambda row: row["deleted_at"], reverse=True)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {opts.verbose_name_plural}",
            "opts": opts,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/events/deleted_objects.html", context)


def latest_record_per_object(records: Iterable[Any]) -> dict[Any, Any]:
    """From historical records ordered by object id then newest first, the newest one of each object."""
    latest: dict[Any, Any] = {}
    for record in records:
        pk = getattr(record, record.instance_type._meta.pk.attname)
        latest.setdefault(pk, record)
    return latest


def record_label(record: Any) -> str:
    try:
        return str(record.instance)
    except ObjectDoesNotExist:  # a row it pointed to is gone too
        opts = record.instance_type._meta
        return f"{opts.verbose_name} #{getattr(record, opts.pk.attname)}"


def history_url(model: type[models.Model], pk: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[pk])


def revert_reason(obj: models.Model) -> str | None:
    """The change reason of a save that restores an old version (the admin's revert), else None."""
    version = getattr(obj, "_history", None)  # set on instances built from a history record
    if version is None:
        return None
    when = timezone.localtime(version.history_date).strftime("%Y-%m-%d %H:%M:%S")
    return f"Reverted to the version of {when}"


def adopt_saved_state(obj: models.Model, saved: models.Model) -> None:
    """Give the admin's form instance the state of the row a service saved: the admin goes on with
    ``obj`` (inlines, the change log, the redirect) after ``save_model``."""
    for field in type(obj)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


# --- Vocabulary ----------------------------------------------------------------------------------


@admin.register(Tag)
class TagAdmin(ScriptAwareSearchMixin, HistoryAdmin):
    list_display = ("name_en", "name_zh", "slug")
    search_fields = ("name_en", "name_zh", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ("created_at", "updated_at")


@admin.register(Location)
class LocationAdmin(ScriptAwareSearchMixin, HistoryAdmin):
    list_display = ("name_en", "name_zh", "latitude", "longitude", "slug")
    search_fields = ("name_en", "name_zh", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ("created_at", "updated_at")


# --- Actors --------------------------------------------------------------------------------------


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1
    show_change_link = True  # each alias has its own history page


@admin.register(Actor)
class ActorAdmin(RecordSearchMixin, HistoryAdmin):
    record_search = staticmethod(search_actors)
    list_display = ("name_en", "name_zh", "kind", "slug", "wikidata_id")
    list_filter = ("kind",)
    search_fields = ("name_en", "name_zh", "slug", "aliases__name")
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = [ActorAliasInline]
    child_histories = [(ActorAlias, "actor")]


@admin.register(ActorAlias)
class ActorAliasAdmin(ScriptAwareSearchMixin, HistoryAdmin):
    list_display = ("name", "actor", "language", "script")
    list_filter = ("language", "script")
    list_select_related = ("actor",)
    search_fields = ("name", "actor__name_en", "actor__name_zh")
    autocomplete_fields = ("actor",)
    readonly_fields = ("created_at", "updated_at")


# --- Sources -------------------------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(PartialDateFormMixin, ScriptAwareSearchMixin, HistoryAdmin):
    list_display = ("title", "publisher", "published_shown", "language", "retrieved_at")
    list_filter = ("language", ("publisher", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("publisher",)
    # Publishers by any name: the citation form's source autocomplete finds "Xinhua" or 新华社 sources.
    search_fields = (
        "title",
        "byline",
        "slug",
        "url",
        "publisher__name_en",
        "publisher__name_zh",
        "publisher__aliases__name",
    )
    autocomplete_fields = ("publisher",)
    ordering = (F("published_start").desc(nulls_last=True), "slug")
    readonly_fields = (
        "published_shown",
        "published_bounds",
        "checksum",
        "text_clean",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("slug", "title", "publisher", "url", "byline")}),
        ("Published", {"fields": ("published", "published_shown", "published_bounds")}),
        ("Language", {"fields": ("language", "parallel_language")}),
        (
            "Captured text",
            {
                "description": "The text as captured. Correct it only where the capture was wrong: "
                "every version is kept in the history.",
                "fields": ("text", "retrieved_at", "checksum", "text_clean"),
            },
        ),
        ("Record", {"fields": ("created_at", "updated_at")}),
    )
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.TextField: {
            "form_class": CapturedTextField,
            "widget": forms.Textarea(attrs={"rows": 16, "class": "captured-text"}),
        },
    }

    class Media:
        css = {"all": ["events/admin/desk.css"]}  # the captured text in monospace

    def save_model(self, request: HttpRequest, obj: Source, form: forms.ModelForm, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in SOURCE_EDITABLE_FIELDS if name in form.cleaned_data}
        stored = Source.objects.filter(pk=obj.pk).first() if obj.pk is not None else None
        if stored is not None:
            stored._history_user = request.user  # type: ignore[attr-defined]
            stored._change_reason = revert_reason(obj)  # type: ignore[attr-defined]
            adopt_saved_state(obj, source_update(source=stored, data=data))
        elif obj.pk is None:
            adopt_saved_state(obj, source_create(**data))
        else:  # restored from its history after deletion: the version carries its cleaned text; keep its id
            super().save_model(request, obj, form, change)

    @admin.display(description="published", ordering="published_start")
    def published_shown(self, source: Source) -> str:
        value = partial_dates.parse_edtf(source.published) if source.published else None
        return f"{value.display('en')} / {value.display('zh')}" if value else "—"

    @admin.display(description="bounds")
    def published_bounds(self, source: Source) -> str:
        return describe_bounds(source.published_start, source.published_end, source.published_precision)


# --- Events --------------------------------------------------------------------------------------


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ("actor",)
    fields = ("actor", "role", "note")
    show_change_link = True  # each participation has its own history page


class CitationFormSet(BaseInlineFormSet):
    """An event's citations: one source cannot back the event twice with the same quote."""

    def clean(self) -> None:
        super().clean()
        seen: set[tuple[Any, str]] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("source") or not data.get("quote"):
                continue
            key = (data["source"].pk, data["quote"])
            if key in seen:
                form.add_error("quote", "This source already backs the event with the same quote.")
            seen.add(key)


class CitationInline(admin.StackedInline):
    model = Citation
    formset = CitationFormSet
    extra = 1
    autocomplete_fields = ("source",)
    fields = ("source", "quote", "found_in_source", "quote_translation", "translation_language", "locator")
    readonly_fields = ("found_in_source",)  # where the (tolerantly matched) quote stands in the source
    show_change_link = True


class EventRelationInline(admin.TabularInline):
    model = EventRelation
    fk_name = "from_event"
    extra = 0
    autocomplete_fields = ("to_event",)
    verbose_name = "relation to another event"
    verbose_name_plural = "relations to other events"
    show_change_link = True


class IncomingRelationInline(admin.TabularInline):
    """Relations other events have to this one: the conference's form lists the speeches part of it."""

    model = EventRelation
    fk_name = "to_event"
    extra = 0
    autocomplete_fields = ("from_event",)
    fields = ("from_event", "relation")
    verbose_name = "relation from another event"
    verbose_name_plural = "relations from other events"
    show_change_link = True


class EventAdminForm(VersionCheckedForm):
    """The event form: status moves follow the workflow, and a revert shows the version's tags."""

    class Meta:
        model = Event
        fields = [*EVENT_EDITABLE_FIELDS, "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = getattr(self.instance, "_history", None)  # set on instances built from a history record
        if version is not None and "tags" in self.fields:
            self.initial["tags"] = [row.tag_id for row in version.tags.all()]

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        stored = Event.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
        if self.instance.pk is None and status == Event.Status.RETRACTED:
            raise ValidationError(
                "A new event cannot be retracted: it was never published. Save it as a draft, in review "
                "or published."
            )
        if stored is not None and status != stored and status not in ALLOWED_TRANSITIONS[stored]:
            allowed = " or ".join(
                sorted(Event.Status(choice).label for choice in ALLOWED_TRANSITIONS[stored])
            )
            raise ValidationError(
                f"A {Event.Status(stored).label} event cannot become {Event.Status(status).label}; "
                f"it can become {allowed}."
            )
        return status


# Events by an actor taking part in them, in any role: an autocomplete box rather than one link per
# actor, so the list stays small with thousands of actors.
ActorListFilter = AutocompleteFilterFactory("actor", "participations__actor")


class PeriodListFilter(admin.SimpleListFilter):
    """Events by decade, then by year, from their date bounds: an event is listed under every period
    its bounds overlap, so a range over New Year shows in both years."""

    title = "date"
    parameter_name = "period"
    _value_pattern = re.compile(r"(?P<year>\d{4})(?P<decade>s?)")

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        spans = model_admin.get_queryset(request).filter(date_start__isnull=False)
        decades: set[int] = set()
        for lower, upper in spans.values_list("date_start", "date_end").distinct():
            first = upper if lower == partial_dates.OPEN_START else lower
            last = lower if upper == partial_dates.OPEN_END else upper
            decades.update(range(first.year // 10 * 10, last.year // 10 * 10 + 1, 10))
        choices = [(f"{decade:04d}s", f"{decade:04d}s") for decade in sorted(decades, reverse=True)]
        match = self._value_pattern.fullmatch(self.value() or "")
        if match:  # drill down: the years of the chosen decade
            decade = int(match["year"]) // 10 * 10
            years = [(f"{year:04d}", f"  {year:04d}") for year in range(decade + 9, decade - 1, -1)]
            position = next(i for i, (value, _) in enumerate(choices) if value == f"{decade:04d}s") + 1
            choices[position:position] = years
        return choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        match = self._value_pattern.fullmatch(value)
        try:
            if match is None:
                raise partial_dates.InvalidDate(f"{value!r} is not a year (2023) or a decade (2020s).")
            year = int(match["year"])
            period = f"{year:04d}/{year + 9:04d}" if match["decade"] else f"{year:04d}"
            lower, upper, _ = partial_dates.bounds(period)
        except partial_dates.InvalidDate as error:
            raise IncorrectLookupParameters(str(error)) from error
        return queryset.filter(date_start__lte=upper, date_end__gte=lower)


@admin.register(Event)
class EventAdmin(PartialDateFormMixin, RecordSearchMixin, HistoryAdmin):
    record_search = staticmethod(search_events)
    form = EventAdminForm
    list_display = ("title_en", "date_shown", "actors_shown", "date_precision", "type", "status", "location")
    list_filter = (
        "status",
        "date_precision",
        "type",
        ("tags", admin.RelatedOnlyFieldListFilter),
        ActorListFilter,
        PeriodListFilter,
    )
    list_select_related = ("location",)
    search_fields = (
        "slug",
        "title_en",
        "title_zh",
        "title_zh_hant",
        "summary_en",
        "summary_zh",
        "summary_zh_hant",
        "participations__actor__name_en",
        "participations__actor__name_zh",
        "participations__actor__aliases__name",
    )
    search_help_text = "Titles and summaries in every language, and actors by any name, in either script."
    # In date order, as Event.objects.in_date_order(): undated drafts last.
    ordering = (F("date_start").asc(nulls_last=True), F("date_end").asc(nulls_last=True), "id")
    autocomplete_fields = ("location", "tags")
    prepopulated_fields = {"slug": ("title_en",)}
    readonly_fields = ("date_shown_both", "date_bounds", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("slug", "title_en", "title_zh", "title_zh_hant", "type", "status")}),
        ("When and where", {"fields": ("date", "date_shown_both", "date_bounds", "location")}),
        ("Summary", {"fields": ("summary_en", "summary_zh", "summary_zh_hant")}),
        ("Topics", {"fields": ("tags",)}),
        ("Record", {"fields": ("created_at", "updated_at")}),
    )
    inlines = [ParticipationInline, CitationInline, EventRelationInline, IncomingRelationInline]
    child_histories = [
        (Participation, "event"),
        (Citation, "event"),
        (EventRelation, "from_event", "relations to other events"),
        (EventRelation, "to_event", "relations from other events"),
    ]
    history_list_display = ["status"]
    actions = ["publish_events", "send_events_to_review", "retract_events"]

    class Media:
        css = {"all": ["events/admin/desk.css"]}  # room for titles and actors in the list

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        participations = Participation.objects.select_related("actor").order_by("id")
        return super().get_queryset(request).prefetch_related(Prefetch("participations", participations))

    @admin.display(description="actors")
    def actors_shown(self, event: Event) -> str:
        names = dict.fromkeys(part.actor.name_en for part in event.participations.all())
        return ", ".join(names) or "—"

    @admin.display(description="date", ordering="date_start")
    def date_shown(self, event: Event) -> str:
        return event.date_display("en") or "undated"

    @admin.display(description="reads as")
    def date_shown_both(self, event: Event) -> str:
        return f"{event.date_display('en')} / {event.date_display('zh')}" if event.date else "undated"

    @admin.display(description="bounds")
    def date_bounds(self, event: Event) -> str:
        return describe_bounds(event.date_start, event.date_end, event.date_precision)

    # --- Writes go through the services --------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Event, form: forms.ModelForm, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in EVENT_EDITABLE_FIELDS if name in form.cleaned_data}
        status = form.cleaned_data.get("status", obj.status)
        stored = Event.objects.filter(pk=obj.pk).first() if obj.pk is not None else None
        if stored is None:
            # A new event, or one restored from its history after deletion (it keeps its id).
            tags = data.pop("tags", ())
            saved = event_create(**data, status=status, tags=tags, **({"id": obj.pk} if obj.pk else {}))
        else:
            stored._history_user = request.user  # type: ignore[attr-defined]
            stored._change_reason = revert_reason(obj)  # type: ignore[attr-defined]
            saved = event_update(event=stored, data=data)
            saved = event_set_status(event=saved, status=status)
        adopt_saved_state(obj, saved)

    # --- Bulk workflow actions -----------------------------------------------------------------

    @admin.action(description="Publish selected events", permissions=["change"])
    def publish_events(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move_events(request, queryset, Event.Status.PUBLISHED)

    @admin.action(description="Send selected events to review", permissions=["change"])
    def send_events_to_review(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move_events(request, queryset, Event.Status.REVIEW)

    @admin.action(description="Retract selected events", permissions=["change"])
    def retract_events(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move_events(request, queryset, Event.Status.RETRACTED)

    def _move_events(self, request: HttpRequest, queryset: QuerySet, status: str) -> None:
        label = Event.Status(status).label
        already = queryset.filter(status=status).count()
        moved, refused = events_set_status(events=queryset.exclude(status=status), status=status)
        if moved:
            self.message_user(request, f"{count(len(moved), 'event')} now {label}.", messages.SUCCESS)
        if already:
            self.message_user(request, f"{count(already, 'event')} already {label}, left as it was.")
        if refused:
            # One line per event, each reason once (a model rule and a database constraint can both say
            # it); no nested list, which the admin's styles would show as a success message of its own.
            reasons = format_html_join(
                mark_safe("<br>"),
                "{}: {}",
                ((event.title_en, distinct_sentences(reason)) for event, reason in refused.items()),
            )
            self.message_user(
                request,
                format_html("{} refused:<br>{}", count(len(refused), "event"), reasons),
                messages.WARNING,
            )


def distinct_sentences(reason: str) -> str:
    """``reason`` with any clause that repeats an earlier one left out: "A; B.; A." reads "A; B."."""
    kept: list[str] = []
    for clause in reason.split("; "):
        if clause.rstrip(".") not in {seen.rstrip(".") for seen in kept}:
            kept.append(clause)
    text = "; ".join(kept).replace(".;", ";")
    return text if text.endswith(".") else text + "."


def count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@admin.register(Participation)
class ParticipationAdmin(ScriptAwareSearchMixin, HistoryAdmin):
    list_display = ("event", "actor", "role", "note")
    list_filter = ("role",)
    list_select_related = ("event", "actor")
    search_fields = (
        "event__title_en",
        "event__title_zh",
        "actor__name_en",
        "actor__name_zh",
        "actor__aliases__name",
    )
    autocomplete_fields = ("event", "actor")
    readonly_fields = ("created_at", "updated_at")


@admin.register(Citation)
class CitationAdmin(ScriptAwareSearchMixin, HistoryAdmin):
    list_display = ("event", "source", "locator")
    list_filter = (("source__publisher", admin.RelatedOnlyFieldListFilter), "translation_language")
    list_select_related = ("event", "source")
    search_fields = ("quote", "quote_translation", "event__title_en", "event__title_zh", "source__title")
    autocomplete_fields = ("event", "source")
    readonly_fields = ("found_in_source", "created_at", "updated_at")


@admin.register(EventRelation)
class EventRelationAdmin(ScriptAwareSearchMixin, HistoryAdmin):
    list_display = ("from_event", "relation", "to_event")
    list_filter = ("relation",)
    list_select_related = ("from_event", "to_event")
    search_fields = (
        "from_event__title_en",
        "from_event__title_zh",
        "to_event__title_en",
        "to_event__title_zh",
    )
    autocomplete_fields = ("from_event", "to_event")
    readonly_fields = ("created_at", "updated_at")
