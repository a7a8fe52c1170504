"""History, revert and the version check (no lost update) that every admin of the record shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin


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


def count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
