"""When a backing service fails: PostgreSQL down is a 503 with Retry-After, a client's cut-off body a
400, and Redis down a cache miss logged once a minute instead of a traceback per call."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError

from events.api.exceptions import error_body, is_api_request
from timeline.log_filters import OncePerInterval

logger = logging.getLogger(__name__)

# How long a client should wait before trying again while the database is unreachable.
RETRY_AFTER_SECONDS = 10
DATABASE_ERRORS = (OperationalError, InterfaceError)


database_outage_log = logging.getLogger("timeline.outages.database")
database_outage_log.addFilter(OncePerInterval())


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 for a request the database could not serve: JSON under /api/, plain text elsewhere."""
    message = "The database is unreachable for a moment; try again shortly."
    if is_api_request(request):
        response: HttpResponse = JsonResponse(error_body(503, "service_unavailable", message), status=503)
    else:
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class ServiceOutageMiddleware:
    """Answers a view's database outage with a 503 and Retry-After, and a request body the client cut
    short with a 400, neither with a traceback in the log (handler500 does the same for failures
    raised before any view, in events/api/exceptions.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            database_outage_log.error("Database unavailable (answered 503)", exc_info=exception)
            return service_unavailable(request)
        if isinstance(exception, UnreadablePostError):
            logger.info("Request body cut short by the client: %s %s", request.method, request.path)
            message = "The request body ended before the length it announced: send it again, whole."
            if is_api_request(request):
                return JsonResponse(error_body(400, "invalid", message), status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return None
