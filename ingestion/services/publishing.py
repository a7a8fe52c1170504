"""Making a draft from ingestion publishable: a slug from its title, and the new actors it proposed.

:func:`draft_prepare_publication` is what approving a drafted finding calls before it publishes the
event (``ingestion.services.review.finding_approve``): the draft's placeholder slug
(``draft-<checksum>-<offset>``) becomes one made from its title, and each new actor the sentence named
is created (or found again, by any alias in any script) and takes its part in the event; so is the
source's publisher when ingestion proposed one.
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from django.db import transaction
from django.utils.text import slugify
from pypinyin import lazy_pinyin

from events.models import Actor, ActorAlias, Event
from events.scripts import to_simplified
from events.services.actors import actor_create
from events.services.event_links import event_save
from events.services.sources import source_update
from ingestion.matching import ActorIndex, country_code
from ingestion.models import Finding

# Slugs are read in URLs: about eight words of a title, never cut inside one.
SLUG_LENGTH = 60
DRAFT_SLUG_PREFIX = "draft-"


def romanised(text: str) -> str:
    """A Latin-script form of a text: Chinese characters as toneless pinyin (either script), the rest kept."""
    return " ".join(lazy_pinyin(text, errors="default"))


def _slug_words(text: str, length: int) -> str:
    slug = slugify(romanised(text))
    if len(slug) <= length:
        return slug
    cut = slug.rfind("-", 0, length + 1)
    return slug[: cut if cut > 0 else length]


def event_slug_from_title(event: Event) -> str:
    """A free slug made from the event's title (English, else Chinese in pinyin); the date and then a
    number are added when another event has it already."""
    title = event.title_en or event.title_zh or event.title_zh_hant
    base = _slug_words(title, SLUG_LENGTH) or "event"
    taken = set(
        Event.objects.exclude(pk=event.pk).filter(slug__startswith=base).values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    dated = f"{base}-{event.date}".lower().replace("/", "-") if event.date else base
    candidate, number = slugify(dated), 2
    while candidate in taken:
        candidate = f"{slugify(dated)}-{number}"
        number += 1
    return candidate


def _actor_slug(name_en: str) -> str:
    base = slugify(name_en)[:70] or "actor"
    taken = set(Actor.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def proposed_actor_get_or_create(*, name: str, kind: str, index: ActorIndex) -> Actor:
    """The record's actor for a proposed name: found again by any alias in any script (a country by its
    code, whatever the language), else created with the name as an alias in its own script."""
    found = index.resolve(name)
    if found is not None:
        return found
    is_latin = name.isascii()
    simplified = to_simplified(name)
    if is_latin:
        name_en, name_zh, aliases = name, "", [{"name": name, "language": "en", "script": "Latn"}]
    else:
        script = ActorAlias.Script.SIMPLIFIED if simplified == name else ActorAlias.Script.TRADITIONAL
        aliases = [{"name": name, "language": "zh", "script": script}]
        if script == ActorAlias.Script.TRADITIONAL:
            aliases.append({"name": simplified, "language": "zh", "script": ActorAlias.Script.SIMPLIFIED})
        code = country_code(name)
        name_en = _english_country(code) if code else romanised(simplified).title()
        name_zh = simplified
    actor = actor_create(
        slug=_actor_slug(name_en),
        kind=kind if kind in Actor.Kind.values else Actor.Kind.OTHER,
        name_en=name_en[:200],
        name_zh=name_zh[:200],
        aliases=aliases,
    )
    index.add(actor, [alias["name"] for alias in aliases])
    return actor


def _english_country(code: str) -> str:
    return str(Locale.parse("en").territories.get(code, code))


def _publisher_for_source(finding: Finding, index: ActorIndex) -> None:
    """The publisher ingestion proposed for the finding's source (no actor of the record then), made one."""
    source = finding.source
    report = finding.run.report if finding.run is not None else {}
    proposed = (report.get("source") or {}).get("proposed_publisher") if isinstance(report, dict) else None
    if source.publisher_id is None and proposed:
        publisher = proposed_actor_get_or_create(name=proposed, kind=Actor.Kind.MEDIA_OUTLET, index=index)
        source_update(source=source, data={"publisher": publisher})


@transaction.atomic
def draft_prepare_publication(*, finding: Finding) -> Event:
    """Give the finding's draft a slug from its title and the actors it proposed, before it is published."""
    event = finding.event
    assert event is not None
    participants: list[dict[str, Any]] = [
        {"actor": part.actor, "role": part.role, "note": part.note}
        for part in event.participations.select_related("actor")
    ]
    taken = {(item["actor"].pk, item["role"]) for item in participants}
    index = ActorIndex.from_record()
    for proposal in finding.proposed_actors or []:
        actor = proposed_actor_get_or_create(
            name=proposal["name"], kind=proposal.get("kind", ""), index=index
        )
        role = proposal.get("role") or "subject"
        if (actor.pk, role) not in taken:
            taken.add((actor.pk, role))
            participants.append({"actor": actor, "role": role, "note": "proposed by ingestion, approved"})
    _publisher_for_source(finding, index)
    fields = {}
    if event.slug.startswith(DRAFT_SLUG_PREFIX):
        fields["slug"] = event_slug_from_title(event)
    return event_save(event=event, fields=fields, participants=participants)
