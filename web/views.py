"""The timeline page: a static shell; its script reads the filters from the query string and asks the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from events.models import Event


def timeline_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/timeline.html", {"event_types": Event.Type.choices})
