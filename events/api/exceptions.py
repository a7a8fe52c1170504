"""One JSON shape for every API error, including 404s for unknown URLs and 500s, under /api/.

Every 4xx and 5xx answer of the API has this body::

    {"error": {"status": 400, "code": "invalid",
               "message": "date_from: 'Octember 2023' is not a date ...",
               "fields": {"date_from": ["'Octember 2023' is not a date ..."]}}}

``status`` repeats the HTTP status; ``code`` is a stable machine-readable word (``invalid``,
``not_found``, ``not_authenticated``, ``permission_denied``, ``method_not_allowed``, ``conflict``,
``server_error`` ...); ``message`` is one sentence for a person, naming the parameters at fault;
``fields`` maps each bad parameter or input field to its messages (nested input fields are named with
dots and indexes, e.g. ``actors[0].role``) and is ``{}`` when the error concerns no field.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


class Conflict(exceptions.APIException):
    """The request is valid but clashes with the record's state, e.g. deleting what others refer to."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the record."
    default_code = "conflict"


def error_body(status_code: int, code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    """The error shape documented in this module's docstring."""
    return {"error": {"status": status_code, "code": code, "message": message, "fields": fields or {}}}


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"field": [...], "actors[0].role": [...]}``; non-field errors keyed
    by ``non_field_errors``."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(key, int):  # a list's errors keyed by position (ListField, many=True)
                path = f"{prefix}[{key}]"
            elif key in (NON_FIELD, "__all__") and not prefix:
                path = NON_FIELD
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in flatten_errors(value, path).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            for field, messages in flatten_errors(item, f"{prefix}[{index}]").items():
                flat.setdefault(field, []).extend(messages)
        return flat
    messages = [str(item) for item in detail] if isinstance(detail, list) else [str(detail)]
    return {prefix or NON_FIELD: messages} if messages else {}


def validation_message(flat: dict[str, list[str]]) -> str:
    parts = [
        messages[0] if field == NON_FIELD else f"{field}: {messages[0]}"
        for field, messages in flat.items()
        if messages
    ]
    return " ".join(part if part.endswith(".") else part + "." for part in parts) or "The request is invalid."


def as_api_exception(exc: Exception) -> Exception:
    """Django's own exceptions as their REST framework equivalents, so they get the same shape."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        return exceptions.ValidationError(detail=detail)
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) if exc.args else None)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) if exc.args else None)
    if isinstance(exc, ProtectedError):
        blocking = {str(type(record)._meta.verbose_name_plural) for record in exc.protected_objects}
        return Conflict(
            f"This record cannot be deleted while other records refer to it ({', '.join(sorted(blocking))}); "
            "remove those references first."
        )
    if isinstance(exc, IntegrityError):
        # The services re-check uniqueness and name the field; this is the last resort for a constraint
        # that another writer's concurrent commit broke in some other way.
        logger.warning("Integrity error answered as a 409: %s", exc)
        return Conflict(
            "Another change was saved at the same moment and this one now conflicts with it "
            "(a value that must be unique is taken, or a record it links to has gone): fetch the record "
            "again and retry."
        )
    return exc


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST framework's exception handler, answering in the one error shape (settings: EXCEPTION_HANDLER)."""
    exc = as_api_exception(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django's handler500 answers
    assert isinstance(exc, exceptions.APIException)
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_errors(exc.detail)
        message = validation_message(fields)
        fields.pop(NON_FIELD, None)
    else:
        fields, message = {}, str(exc.detail)
    response.data = error_body(response.status_code, code, message, fields)
    return response


# --- Django-level handlers for /api/ paths --------------------------------------------------------


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The JSON 404 for any /api/ URL that names no endpoint; a missing trailing slash is redirected."""
    if request.method in ("GET", "HEAD") and not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    message = f"There is no API endpoint at {request.path}; the API's index is at /api/v1/."
    return JsonResponse(error_body(404, "not_found", message), status=404)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: JSON under /api/, Django's page elsewhere."""
    if is_api_request(request):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: JSON under /api/ (e.g. more parameters than Django parses), Django's page elsewhere."""
    if is_api_request(request):
        message = f"The request is malformed: {exception}" if str(exception) else "The request is malformed."
        return JsonResponse(error_body(400, "invalid", message), status=400)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: JSON under /api/ (never a traceback), Django's page elsewhere; a database outage met
    before any view (a session read by a middleware) is a 503, as timeline/outages.py answers views."""
    from timeline.outages import DATABASE_ERRORS, service_unavailable  # imports this module

    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return service_unavailable(request)
    if is_api_request(request):
        message = "The server met an unexpected error; it has been logged. Please try again later."
        return JsonResponse(error_body(500, "server_error", message), status=500)
    return defaults.server_error(request)
