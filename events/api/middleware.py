"""A guard in front of the API: requests no view could answer sensibly get a 4xx in the one error shape.

It refuses, before any view, authentication or query runs:

* a NUL character in the path, a query parameter (name or value) or a header: no record is named
  with one and PostgreSQL refuses it in any text, which made such requests a 500;
* a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413), which Django would otherwise refuse with
  its HTML 400 page, or not at all when nothing reads the body through ``request.body``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse

from events.api.exceptions import error_body, is_api_request

NUL = "\x00"


def nul_error(request: HttpRequest) -> tuple[str, dict[str, list[str]]] | None:
    """Where a NUL character is in the request's path, parameters or headers, as (message, fields)."""
    reason = "contains a NUL (%00) character, which no value of this API does."
    if NUL in request.path:
        return f"The URL path {reason}", {}
    fields: dict[str, list[str]] = {}
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            shown = name.replace(NUL, "\\x00")
            fields[shown] = [f"{shown!r} {reason}"]
    if fields:
        return " ".join(messages[0] for messages in fields.values()), fields
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            header = key[5:].replace("_", "-").title()
            return f"The {header} header {reason}", {}
    return None


def body_too_large(request: HttpRequest) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django itself treats an unreadable length as no body
    return limit is not None and length > limit


class ApiRequestGuardMiddleware:
    """Refuses API requests with NUL characters (400) or oversized bodies (413), in the API's error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_request(request):
            refusal = self.refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        if body_too_large(request):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            message = f"The request body is larger than this API accepts ({limit:,} bytes at most)."
            return JsonResponse(error_body(413, "too_large", message), status=413)
        try:
            found = nul_error(request)
        except SuspiciousOperation as error:  # e.g. more query parameters than Django parses
            return JsonResponse(error_body(400, "invalid", str(error)), status=400)
        if found is not None:
            message, fields = found
            return JsonResponse(error_body(400, "invalid", message, fields), status=400)
        return None
