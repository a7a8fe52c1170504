"""The admin of sources: captured text kept byte for byte, written through the source services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import F
from django.http import HttpRequest

from events import partial_dates
from events.admin.dates import PartialDateFormMixin, describe_bounds
from events.admin.history import HistoryAdmin, adopt_saved_state, revert_reason
from events.admin.search import ScriptAwareSearchMixin
from events.models import (
    Source,
)
from events.services.sources import SOURCE_EDITABLE_FIELDS, source_create, source_update


class CapturedTextField(forms.CharField):
    """The captured text of a source, kept as it was: no stripping, and the CRLF line ends browsers
    submit turned back into LF, so that saving a source unchanged leaves its text and checksum alone."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**kwargs, "strip": False})

    def to_python(self, value: Any) -> str:
        return (super().to_python(value) or "").replace("\r\n", "\n")


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
    prepopulated_fields = {"slug": ("title",)}
    date_preview_rows = {
        "published": (".field-published_shown .readonly", ".field-published_bounds .readonly")
    }
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
