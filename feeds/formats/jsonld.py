"""schema.org ``Event`` items as JSON-LD (``{"@context": "https://schema.org", "@graph": [...]}``).

* ``startDate`` / ``endDate`` are ISO 8601 at the date's precision (``2023``, ``2023-10``,
  ``2025-07-26``), as schema.org's Date allows; an open or unknown end is left out; the EDTF value
  (with its approximate / uncertain qualifier) is kept as an ``additionalProperty`` named ``edtf``,
  and the wording as ``disambiguatingDescription``.
* Actors by role: organizer and host → ``organizer``; speaker, announcer, proposer, author and
  publisher → ``performer``; attendee → ``attendee``; reporters, commentators and subjects, for whom
  schema.org has no role, → ``about``. People are ``Person``, every other kind ``Organization``.
* ``subjectOf`` lists the citing sources as ``NewsArticle`` items, each with its verbatim quote as a
  ``Quotation`` part. ``location`` is a ``Place``. Undated events have no ``startDate``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from events.partial_dates import iso_at_precision, stored_end_precisions
from events.read.fields import event_fields

# What this format shows of an event: nothing else is read or built for it.
FIELDS = event_fields(
    "id",
    "url",
    "slug",
    "title",
    "summary",
    "date",
    "date_start",
    "date_end",
    "date_display",
    "location",
    "actors",
    "tags",
    "citations",
)

ROLE_PROPERTY = {
    "organizer": "organizer",
    "host": "organizer",
    "speaker": "performer",
    "announcer": "performer",
    "proposer": "performer",
    "author": "performer",
    "publisher": "performer",
    "attendee": "attendee",
}


def agent(actor: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "Person" if actor.get("kind") == "person" else "Organization",
        "identifier": actor["slug"],
        "name": actor["name"],
    }


def news_article(citation: dict[str, Any]) -> dict[str, Any]:
    source = citation["source"]
    article: dict[str, Any] = {"@type": "NewsArticle", "headline": source["title"]}
    if source.get("url"):
        article["url"] = source["url"]
    if source.get("published"):
        article["datePublished"] = source["published"]
    if source.get("publisher"):
        article["publisher"] = {"@type": "Organization", "name": source["publisher"]["name"]}
    if citation.get("quote"):
        article["hasPart"] = {"@type": "Quotation", "text": citation["quote"]}
    return article


def event(item: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "Event",
        "@id": item.get("url") or f"#event-{item['id']}",
        "identifier": item["slug"],
        "name": item["title"],
        "description": item.get("summary") or "",
    }
    if item["date"]:
        # Each known end from its stored bound (None where open), at that end's own precision.
        for name, day, precision in zip(
            ("startDate", "endDate"),
            (item["date_start"], item["date_end"]),
            stored_end_precisions(item["date"]),
            strict=False,  # a single date has one end
        ):
            if day is not None and precision is not None:
                node[name] = iso_at_precision(dt.date.fromisoformat(day), precision)
        node["disambiguatingDescription"] = item["date_display"]
        node["additionalProperty"] = [{"@type": "PropertyValue", "name": "edtf", "value": item["date"]}]
    if item.get("location"):
        node["location"] = {"@type": "Place", "name": item["location"]["name"]}
    for actor in item.get("actors") or []:
        node.setdefault(ROLE_PROPERTY.get(actor["role"], "about"), []).append(agent(actor))
    if item.get("tags"):
        node["keywords"] = [tag["name"] for tag in item["tags"]]
    if item.get("citations"):
        node["subjectOf"] = [news_article(citation) for citation in item["citations"]]
    return node


def render(items: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@graph": [event(item) for item in items]}
