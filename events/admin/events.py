"""The admin of events and their links: participants, citations and relations."""

from __future__ import annotations

import re
from typing import Any

from admin_auto_filters.filters import AutocompleteFilterFactory
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import F, Max, Min, Prefetch, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from events import partial_dates
from events.admin.dates import PartialDateFormMixin, date_preview, describe_bounds
from events.admin.history import HistoryAdmin, VersionCheckedForm, adopt_saved_state, count, revert_reason
from events.admin.search import RecordSearchMixin, ScriptAwareSearchMixin
from events.models import (
    DUPLICATE_CITATION,
    Citation,
    Event,
    EventRelation,
    Participation,
    two_way_link_message,
)
from events.search import EVENT_SEARCHED_TEXTS, search_events
from events.services.event_links import event_save, link_delete, link_save
from events.services.events import (
    ALLOWED_TRANSITIONS,
    EVENT_EDITABLE_FIELDS,
    event_create,
    event_set_status,
    event_update,
    events_set_status,
)


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
            key = (data["source"].pk, form.instance.quote)  # as stored: the model's clean() spelled it so
            if key in seen:
                form.add_error("quote", DUPLICATE_CITATION)
            seen.add(key)


class RelationFormSet(BaseInlineFormSet):
    """One of an event's two relation inlines (to and from other events). Together they must not say
    A part_of B and B part_of A: each checks the links of both (``siblings``, set by EventAdmin)."""

    siblings: list[RelationFormSet]
    outgoing: bool

    def links(self) -> list[tuple[Any, str, Any, forms.Form]]:
        """(from, relation, to, form) of every row this inline keeps."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("relation"):
                continue
            other = data.get("to_event" if self.outgoing else "from_event")
            if other is None:
                continue
            ends = (self.instance.pk, other.pk) if self.outgoing else (other.pk, self.instance.pk)
            rows.append((ends[0], data["relation"], ends[1], form))
        return rows

    def clean(self) -> None:
        super().clean()
        if self.instance.pk is None:
            return
        earlier: set[tuple[Any, str, Any]] = set()
        for sibling in getattr(self, "siblings", [self]):
            if sibling is not self:
                sibling.errors  # noqa: B018  (cleans the sibling's rows, so their links can be read)
            for from_id, relation, to_id, form in sibling.links():
                reverse = (to_id, relation, from_id)
                if sibling is self and relation != EventRelation.Relation.RELATED_TO and reverse in earlier:
                    message = two_way_link_message(relation)
                    if message not in form.errors.get("relation", []):  # the model may have said it
                        form.add_error("relation", message)
                earlier.add((from_id, relation, to_id))


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
    formset = RelationFormSet
    fk_name = "from_event"
    extra = 0
    autocomplete_fields = ("to_event",)
    verbose_name = "relation to another event"
    verbose_name_plural = "relations to other events"
    show_change_link = True


class IncomingRelationInline(admin.TabularInline):
    """Relations other events have to this one: the conference's form lists the speeches part of it."""

    model = EventRelation
    formset = RelationFormSet
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

    def _update_errors(self, errors: ValidationError) -> None:
        # A field refused already (a bad date) is not refused again for a consequence ("a published event
        # needs a date"): the first message names the problem the curator has to fix.
        if hasattr(errors, "error_dict"):
            errors.error_dict = {
                name: messages
                for name, messages in errors.error_dict.items()
                if name == NON_FIELD_ERRORS or name not in (self._errors or {})  # type: ignore[attr-defined]
            }
            if not errors.error_dict:
                return
        super()._update_errors(errors)  # type: ignore[misc]

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
        # Every decade from the earliest bound to the latest: four index lookups however many events,
        # where reading every event's bounds took seconds at 100,000 events.
        events = model_admin.get_queryset(request).order_by()
        known_starts = events.filter(date_start__gt=partial_dates.OPEN_START)
        known_ends = events.filter(date_end__lt=partial_dates.OPEN_END)
        bounds = [
            known_starts.aggregate(value=Min("date_start"))["value"],
            known_ends.aggregate(value=Min("date_end"))["value"],
            known_starts.aggregate(value=Max("date_start"))["value"],
            known_ends.aggregate(value=Max("date_end"))["value"],
        ]
        years = [bound.year for bound in bounds if bound is not None]
        decades = set(range(min(years) // 10 * 10, max(years) // 10 * 10 + 1, 10)) if years else set()
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
    date_preview_rows = {"date": (".field-date_shown_both .readonly", ".field-date_bounds .readonly")}
    list_display = ("title_en", "date_shown", "actors_shown", "date_precision", "type", "status", "location")
    list_filter = (
        "status",
        "date_precision",
        "type",
        "tags",  # every tag (a small vocabulary): "only those used" costs a join over every event
        ActorListFilter,
        PeriodListFilter,
    )
    list_select_related = ("location",)
    show_full_result_count = False  # one count of 100,000 rows per page view is enough
    # What ``q`` searches (events.search); RecordSearchMixin searches it as the API does.
    search_fields = ("slug", *EVENT_SEARCHED_TEXTS)
    search_help_text = (
        "Titles, summaries and quotes in every language, and actors by any name, in either script; "
        "or an exact slug."
    )
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

    def get_urls(self) -> list[Any]:
        preview = path("date-preview/", self.admin_site.admin_view(date_preview), name="events_date_preview")
        return [preview, *super().get_urls()]

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

    def _create_formsets(self, request: HttpRequest, obj: Any, change: bool) -> Any:
        formsets, inlines = super()._create_formsets(request, obj, change)
        relations = [formset for formset in formsets if isinstance(formset, RelationFormSet)]
        for formset in relations:
            formset.siblings = relations
            formset.outgoing = formset.fk.name == "from_event"
        return formsets, inlines

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        """The inlines' rows go through the link services, as the API's do: one write path."""
        event = form.instance
        links: dict[str, list[Any]] = {"participants": [], "citations": [], "relations": []}
        for formset in formsets:
            for row in formset.forms:
                data = getattr(row, "cleaned_data", None)
                if not data or data.get("DELETE") or (row.instance.pk is None and not row.has_changed()):
                    continue
                if formset.model is Participation:
                    links["participants"].append(
                        {"actor": data["actor"], "role": data["role"], "note": data.get("note", "")}
                    )
                elif formset.model is Citation:
                    details = ("quote_translation", "translation_language", "locator")
                    links["citations"].append(
                        {
                            "source": data["source"],
                            "quote": row.instance.quote,
                            **{name: data.get(name, "") for name in details},
                        }
                    )
                elif formset.fk.name == "from_event":
                    links["relations"].append((data["relation"], data["to_event"]))
                else:
                    links["relations"].append((EventRelation.INVERSE[data["relation"]], data["from_event"]))
        changed = [formset for formset in formsets if formset.has_changed()]
        event._history_user = request.user
        names = ", ".join(str(formset.model._meta.verbose_name_plural) for formset in changed)
        event._change_reason = revert_reason(event) or (f"Changed its {names}" if changed else None)
        event_save(
            event=event,
            fields={},
            participants=links["participants"],
            citations=links["citations"],
            relations=links["relations"],
        )
        for formset in formsets:  # what the admin's change message lists, as formset.save() would set it
            kept = [row for row in formset.forms if getattr(row, "cleaned_data", None)]
            deleting = [row for row in kept if row.cleaned_data.get("DELETE")]
            formset.deleted_objects = [row.instance for row in deleting if row.instance.pk is not None]
            formset.new_objects = [
                row.instance
                for row in kept
                if row.instance.pk is None and row.has_changed() and row not in deleting
            ]
            formset.changed_objects = [
                (row.instance, row.changed_data)
                for row in kept
                if row.instance.pk is not None and row.has_changed() and row not in deleting
            ]

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


class LinkAdmin(ScriptAwareSearchMixin, HistoryAdmin):
    """A participation, citation or relation on its own page: saved and deleted through the link
    services, so that the events it links move their ``updated_at`` as an edit on the event form does."""

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        obj._change_reason = revert_reason(obj)
        link_save(link=obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        link_delete(link=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for link in queryset:
            link_delete(link=link)


@admin.register(Participation)
class ParticipationAdmin(LinkAdmin):
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
class CitationAdmin(LinkAdmin):
    list_display = ("event", "source", "locator")
    list_filter = (("source__publisher", admin.RelatedOnlyFieldListFilter), "translation_language")
    list_select_related = ("event", "source")
    search_fields = ("quote", "quote_translation", "event__title_en", "event__title_zh", "source__title")
    autocomplete_fields = ("event", "source")
    readonly_fields = ("found_in_source", "created_at", "updated_at")


@admin.register(EventRelation)
class EventRelationAdmin(LinkAdmin):
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
