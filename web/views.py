"""The public pages: the timeline (and its story view), an actor's page and the embeddable view.

Each is a shell rendered in the reader's language; its script reads the filters from the query string
and asks the public API and feeds. What the script needs from the server (the language, the names of
types and roles, the typed date window as the time module reads it) is handed over as JSON data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csp.decorators import csp_replace
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt

from events.choice_labels import choice_label, choice_labels
from events.languages import (
    CONTENT_LANGUAGE,
    EN,
    LANGUAGE_PARAM,
    LANGUAGES,
    language_from_accept_header,
    localized_choice,
    traditional,
)
from events.models import Actor, Event, Participation
from events.partial_dates import OPEN_END, OPEN_START, InvalidDate, parse_human_date
from web.words import WORDS

FEEDS = ("timelinejs", "vis", "ics", "csv", "ndjson", "jsonld")
VIEWS = ("timeline", "story")
FILTERS = ("date_from", "date_to", "actor", "type", "q")


def page_language(request: HttpRequest) -> tuple[str, str | None]:
    """The page's language, and the unknown ``?lang=`` value it replaced with English (else None).

    Unlike the API, the page never refuses a bad ``lang``: a person gets the page, told why in English.
    """
    value = request.GET.get(LANGUAGE_PARAM)
    if value is None or not value.strip():
        return language_from_accept_header(request.headers.get("Accept-Language", "")), None
    if value.strip().lower() in LANGUAGES:
        return value.strip().lower(), None
    return EN, value[:40]


def typed_window(request: HttpRequest) -> dict[str, str | None]:
    """The first day of ``date_from`` and the day after ``date_to``, as the API's filters read them
    ("October 2023", "2023年10月", "2023-10"); None for a missing or unreadable one."""
    window: dict[str, str | None] = {"from": None, "to": None}
    for name, key in (("date_from", "from"), ("date_to", "to")):
        text = request.GET.get(name, "").strip()
        if not text:
            continue
        try:
            value = parse_human_date(text)
        except InvalidDate:
            continue
        if key == "from" and value.lower != OPEN_START:
            window[key] = value.lower.isoformat()
        if key == "to" and value.upper != OPEN_END:
            window[key] = (value.upper + dt.timedelta(days=1)).isoformat()
    return window


def data_urls(request: HttpRequest, language: str, actor: Actor | None) -> dict[str, str]:
    """The vis feed and the histogram of this view, named in the page's head so that the browser asks
    for them while it still reads the scripts (``<link rel=preload>``); the script fetches the very same
    URLs, which is what lets the browser hand over the preloaded answers."""
    query = QueryDict(mutable=True)
    for name in FILTERS:
        values = [actor.slug] if name == "actor" and actor else request.GET.getlist(name)
        query.setlist(name, [value for value in values if value])
    query["lang"] = language
    histogram = query.copy()
    for name in ("date_from", "date_to"):
        histogram.pop(name, None)
    histogram["interval"] = "month"
    return {
        "vis": f"{reverse('feeds:vis')}?{query.urlencode()}",
        "histogram": f"{reverse('api:event-histogram')}?{histogram.urlencode()}",
    }


def page_context(request: HttpRequest, *, embed: bool = False, actor: Actor | None = None) -> dict[str, Any]:
    language, bad_language = page_language(request)
    words = WORDS[language]
    view = request.GET.get("view", "timeline")
    labels = choice_labels(language)
    config = {
        "lang": language,
        "badLanguage": bad_language,
        "browserLang": language_from_accept_header(request.headers.get("Accept-Language", "")),
        "words": words,
        "labels": labels,
        "window": typed_window(request),
        "view": view if view in VIEWS else "timeline",
        "embed": embed,
        "actor": actor.slug if actor else None,
        "feeds": FEEDS,
        "urls": data_urls(request, language, actor),
    }
    return {
        "config": config,
        "words": words,
        "language": language,
        "html_lang": CONTENT_LANGUAGE[language],
        "event_types": sorted(labels["type"].items(), key=lambda item: item[1]),
        "embed": embed,
        "bad_language": words["bad_language"].replace("{lang}", bad_language) if bad_language else "",
    }


def timeline_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/timeline.html", page_context(request))


# Public, read-only and cookie-free: any site may frame it (README: "Embedding"); every other page
# keeps frame-ancestors 'none' and X-Frame-Options DENY.
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed_page(request: HttpRequest) -> HttpResponse:
    """The same view without the page's chrome, for an iframe, with a link back to the full page."""
    return render(request, "web/timeline.html", page_context(request, embed=True))


def actor_page(request: HttpRequest, slug: str) -> HttpResponse:
    """An actor's names in every script, its roles, its feeds, and its events on the timeline."""
    actor = get_object_or_404(Actor.objects.prefetch_related("aliases"), slug=slug)
    context = page_context(request, actor=actor)
    language = context["language"]
    names = [
        ("English", actor.name_en),
        ("简体中文", actor.name_zh),
        ("繁體中文", traditional(actor.name_zh) if actor.name_zh else ""),
    ]
    aliases = sorted({alias.name for alias in actor.aliases.all()} - {name for _, name in names})
    roles = (
        Participation.objects.filter(actor=actor, event__in=Event.objects.visible_to(None))
        .values("role")
        .annotate(events=Count("event", distinct=True))
        .order_by("-events", "role")
    )
    context.update(
        {
            "actor": actor,
            "actor_name": localized_choice(actor.name_en, actor.name_zh, None, language),
            "actor_kind": choice_label(Actor.Kind, actor.kind, language),
            "names": [(script, name) for script, name in names if name],
            "aliases": aliases,
            "roles": [
                (choice_label(Participation.Role, row["role"], language), row["events"]) for row in roles
            ],
        }
    )
    return render(request, "web/timeline.html", context)
