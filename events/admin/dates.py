"""Dates in the admin: typed as people write them, stored as EDTF through :mod:`events.partial_dates`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

from events import partial_dates

HUMAN_DATE_HELP = (
    "Type it as you would say it — October 2023, 2023年10月, 26–28 July 2025, c. 2024 — or in EDTF "
    "(2023-10). It is stored as EDTF, no more precisely than you give it."
)


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


def describe_bounds(lower: Any, upper: Any, precision: str) -> str:
    """The stored bounds of a partial date as a curator reads them; open ends say so."""
    if lower is None:
        return "—"
    first = "open" if lower == partial_dates.OPEN_START else lower.isoformat()
    last = "open" if upper == partial_dates.OPEN_END else upper.isoformat()
    return f"{first} … {last} ({precision} precision)"


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
