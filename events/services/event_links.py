"""Event link services: who took part, which sources back it, how it relates to other events.

Each ``event_set_*`` replaces one kind of link with the given list, touching only the rows that
change (so history records real changes only), validates every new row, and names a refused row by
its position (``citations[1].quote``). :func:`event_save` is the one write behind the API: fields,
then links, then the workflow status, all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from events.models import Citation, Event, EventRelation, Participation, two_way_link_message
from events.quotes import quote_as_stored
from events.services.common import save_validated
from events.services.events import event_create, event_set_status, event_update

INVERSE_TO_FORWARD = {inverse: forward for forward, inverse in EventRelation.INVERSE.items()}


def _validated(record: Any, list_name: str, index: int, exclude: Sequence[str] = ()) -> Any:
    try:
        record.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise ValidationError(
            {f"{list_name}[{index}].{field}": messages for field, messages in error.message_dict.items()}
        ) from error
    return record


def _touch(event: Event) -> None:
    """A change of links is a change of the event: its updated_at moves (for caches and feeds)."""
    event.updated_at = timezone.now()
    event.save(update_fields=["updated_at"])


LinkRow = Participation | Citation | EventRelation


def _linked_events(link: LinkRow) -> list[Event]:
    if isinstance(link, EventRelation):
        return [link.from_event, link.to_event]
    return [link.event]


@transaction.atomic
def link_save(*, link: LinkRow) -> LinkRow:
    """Save one participation, citation or relation edited on its own (the admin's pages for them):
    validated as in an event's lists, and the events it links move their ``updated_at``."""
    link.full_clean()
    save_validated(link)
    for event in _linked_events(link):
        _touch(event)
    return link


@transaction.atomic
def link_delete(*, link: LinkRow) -> None:
    """Delete one participation, citation or relation; the events it linked move their ``updated_at``."""
    events = _linked_events(link)
    link.delete()
    for event in events:
        _touch(event)


@transaction.atomic
def event_set_participants(*, event: Event, participants: Iterable[Mapping[str, Any]]) -> bool:
    """Make the event's participations exactly ``participants`` (each ``{actor, role, note?}``)."""
    # A participant given twice counts once, at its last position (which an error then names).
    wanted: dict[tuple[int, str], tuple[int, str]] = {}
    for index, participant in enumerate(participants):
        key = (participant["actor"].pk, participant["role"])
        wanted.pop(key, None)
        wanted[key] = (index, participant.get("note", ""))
    existing = {(part.actor_id, part.role): part for part in event.participations.all()}
    changed = False
    for key, part in existing.items():
        if key not in wanted:
            part.delete()
            changed = True
        elif part.note != wanted[key][1]:
            part.note = wanted[key][1]
            part.save(update_fields=["note", "updated_at"])
            changed = True
    for (actor_id, role), (index, note) in wanted.items():
        if (actor_id, role) not in existing:
            part = Participation(event=event, actor_id=actor_id, role=role, note=note)
            save_validated(_validated(part, "actors", index, exclude=["event"]))
            changed = True
    return changed


@transaction.atomic
def event_set_citations(*, event: Event, citations: Iterable[Mapping[str, Any]]) -> bool:
    """Make the event's citations exactly ``citations`` (each ``{source, quote, ...}``); a quote must
    occur in its source's captured text, and the same quote of the same source may be cited once."""
    details = ("quote_translation", "translation_language", "locator")
    wanted: dict[tuple[int, str], tuple[int, Mapping[str, Any]]] = {}
    for index, citation in enumerate(citations):
        source = citation["source"]
        # Keyed as stored: a quote typed with other punctuation widths is the source's own words.
        quote = quote_as_stored(source.text, citation["quote"], source.text_clean or "")
        citation = {**citation, "quote": quote}
        key = (source.pk, quote)
        if key in wanted:
            raise ValidationError(
                {
                    f"citations[{index}].quote": f"citations[{index}] repeats citations[{wanted[key][0]}]: "
                    "the same quote of the same source is cited once."
                }
            )
        wanted[key] = (index, citation)
    existing = {(cited.source_id, cited.quote): cited for cited in event.citations.select_related("source")}
    changed = False
    for key, cited in existing.items():
        if key not in wanted:
            cited.delete()
            changed = True
    for key, (index, citation) in wanted.items():
        cited = existing.get(key) or Citation(event=event, source=citation["source"], quote=citation["quote"])
        updates = [name for name in details if getattr(cited, name) != citation.get(name, "")]
        for name in updates:
            setattr(cited, name, citation.get(name, ""))
        if cited.pk is None:
            save_validated(_validated(cited, "citations", index, exclude=["event"]))
            changed = True
        elif updates:
            _validated(cited, "citations", index, exclude=["event"]).save(
                update_fields=[*updates, "updated_at"]
            )
            changed = True
    return changed


def _refuse_two_way_links(wanted: Mapping[tuple[int, str, int], int]) -> None:
    """An event cannot be both part_of and has_part of one other event (nor follow and be followed by
    it, ...): every relation but the symmetric related_to runs one way between two events."""
    for (from_id, name, to_id), index in wanted.items():
        if name == EventRelation.Relation.RELATED_TO:
            continue
        other_index = wanted.get((to_id, name, from_id))
        if other_index is not None and other_index < index:
            raise ValidationError(
                {
                    f"related[{index}].relation": f"related[{index}] contradicts related[{other_index}]: "
                    + two_way_link_message(name)
                }
            )


@transaction.atomic
def event_set_relations(*, event: Event, relations: Iterable[tuple[str, Event]]) -> bool:
    """Make the event's relations exactly ``relations``: ``(name, other)`` pairs, where a forward name
    (``part_of``) links this event to the other and an inverse one (``has_part``) the other to this."""
    wanted: dict[tuple[int, str, int], int] = {}
    for index, (name, other) in enumerate(relations):
        if other.pk == event.pk:
            raise ValidationError({f"related[{index}].event": "An event cannot be related to itself."})
        if name in EventRelation.Relation.values:
            wanted[(event.pk, name, other.pk)] = index
        elif name in INVERSE_TO_FORWARD:
            wanted[(other.pk, INVERSE_TO_FORWARD[name], event.pk)] = index
        else:
            raise ValidationError({f"related[{index}].relation": f"{name!r} is not a relation."})
    _refuse_two_way_links(wanted)
    existing = {
        (link.from_event_id, link.relation, link.to_event_id): link
        for link in EventRelation.objects.filter(from_event=event)
        | EventRelation.objects.filter(to_event=event)
    }
    changed = False
    for key, link in existing.items():
        if key not in wanted:
            link.delete()
            changed = True
    for key, index in wanted.items():
        if key not in existing:
            from_id, name, to_id = key
            link = EventRelation(from_event_id=from_id, relation=name, to_event_id=to_id)
            save_validated(_validated(link, "related", index))
            changed = True
    return changed


@transaction.atomic
def event_save(
    *,
    event: Event | None,
    fields: Mapping[str, Any],
    status: str | None = None,
    participants: Iterable[Mapping[str, Any]] | None = None,
    citations: Iterable[Mapping[str, Any]] | None = None,
    relations: Iterable[tuple[str, Event]] | None = None,
) -> Event:
    """Create (``event=None``) or update an event with its links, then move it to ``status``.

    Links given as None are left alone; the status moves last, so that one request can give an event
    its date and publish it. Any refusal undoes the whole write.
    """
    if event is None:
        fields = dict(fields)
        tags = fields.pop("tags", ())
        event = event_create(tags=tags, **fields)
    else:
        event = event_update(event=event, data=fields)
    links_changed = False
    if participants is not None:
        links_changed |= event_set_participants(event=event, participants=participants)
    if citations is not None:
        links_changed |= event_set_citations(event=event, citations=citations)
    if relations is not None:
        links_changed |= event_set_relations(event=event, relations=relations)
    if links_changed:
        _touch(event)
    if status is not None:
        event = event_set_status(event=event, status=status)
    return event
