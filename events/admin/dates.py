"""Dates in the admin: typed as people write them, stored as EDTF through :mod:`events.partial_dates`.

While the curator types, a small script (``events/admin/date_preview.js``, a static file: the CSP allows
no inline script) asks :func:`date_preview` how the text reads and which days it spans, and shows the
answer or the refusal beside the field: the one parser answers, there is no JavaScript copy of it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, JsonResponse
from django.urls import reverse_lazy

from events import partial_dates

HUMAN_DATE_HELP = (
    "Type it as you would say it — October 2023, 2023年10月, 26–28 July 2025, c. 2024 — or in EDTF "
    "(2023-10). It is stored as EDTF, no more precisely than you give it."
)
# The preview answers only what a date field could hold.
PREVIEW_MAX_LENGTH = 200


class HumanDateInput(forms.TextInput):
    """A date box whose "reads as" and bounds follow the typing (through :func:`date_preview`).

    ``reads_as`` and ``bounds`` are CSS selectors of the page's read-only rows to update; without them
    the script shows its answer under the box.
    """

    def __init__(self, reads_as: str = "", bounds: str = "", attrs: dict[str, Any] | None = None) -> None:
        preview = {
            "data-date-preview": reverse_lazy("admin:events_date_preview"),
            "data-reads-as": reads_as,
            "data-bounds": bounds,
            "autocomplete": "off",
        }
        super().__init__(attrs={**preview, **(attrs or {})})

    class Media:
        js = ["events/admin/date_preview.js"]
        css = {"all": ["events/admin/desk.css"]}


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


def date_preview(request: HttpRequest) -> JsonResponse:
    """``?text=…`` → how the date reads and the days it spans, or ``{"error": …}`` naming why it is not a
    date (a 200: the question was fine, the answer is "no"; only an over-long question is a 400)."""
    text = request.GET.get("text", "")
    if len(text) > PREVIEW_MAX_LENGTH:
        return JsonResponse({"error": "Not a date: it is too long to be a date."}, status=400)
    try:
        edtf = HumanDateField(required=False).clean(text)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)})
    if not edtf:
        return JsonResponse({"edtf": "", "reads_as": "undated", "bounds": "—"})
    value = partial_dates.parse_edtf(edtf)
    return JsonResponse(
        {
            "edtf": edtf,
            "reads_as": f"{value.display('en')} / {value.display('zh')}",
            "bounds": describe_bounds(value.lower, value.upper, value.precision),
        }
    )


def describe_bounds(lower: Any, upper: Any, precision: str) -> str:
    """The stored bounds of a partial date as a curator reads them; open ends say so."""
    if lower is None:
        return "—"
    first = "open" if lower == partial_dates.OPEN_START else lower.isoformat()
    last = "open" if upper == partial_dates.OPEN_END else upper.isoformat()
    return f"{first} … {last} ({precision} precision)"


class PartialDateFormMixin:
    """Human date input for the EDTF fields of a PartialDateColumnsModel.

    ``date_preview_rows`` maps a date field to the selectors of its "reads as" and bounds rows.
    """

    date_preview_rows: dict[str, tuple[str, str]] = {}

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any) -> Any:
        model = db_field.model
        if db_field.name in getattr(model, "partial_date_fields", ()):
            shown, bounds = self.date_preview_rows.get(db_field.name, ("", ""))
            return HumanDateField(
                label=str(db_field.verbose_name).capitalize(),
                max_length=db_field.max_length,
                required=not db_field.blank,
                help_text=HUMAN_DATE_HELP,
                widget=HumanDateInput(reads_as=shown, bounds=bounds),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
