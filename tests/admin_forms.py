"""Build admin POST data the way a browser would submit a rendered change form, inlines included."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse


def add_form_fields(data: dict[str, Any], form: forms.BaseForm) -> None:
    """The values a browser submits for ``form`` as rendered: unchecked boxes and empty values left out."""
    for bound in form:
        value = bound.value()
        if value is None or value is False or value == "":
            continue
        if value is True:
            data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        else:
            data[bound.html_name] = str(value)


def rendered_form_data(response: HttpResponse) -> dict[str, Any]:
    """POST data for an admin change (or revert) page, as if submitted unchanged."""
    context = response.context  # type: ignore[attr-defined]
    data: dict[str, Any] = {}
    add_form_fields(data, context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        add_form_fields(data, inline.formset.management_form)
        for form in inline.formset.forms:
            add_form_fields(data, form)
    return data


def management_form(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    """The management-form fields an inline formset needs in a POST."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_errors(response: HttpResponse) -> dict[str, list[str]]:
    """The main form's errors on a re-rendered admin form page."""
    return dict(response.context["adminform"].form.errors)  # type: ignore[attr-defined]
