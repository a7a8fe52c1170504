"""Review services: a curator approves, merges or rejects what ingestion found, one at a time or many.

Every decision writes through the record's services (:mod:`events.services`), is attributed to the
curator, and is all or nothing for one finding. Approving a new draft publishes it; approving a
suggestion adds its citation to the event. Merging a draft moves its citations and actors to an
existing event and deletes the draft. Rejecting a draft deletes it (its finding stays, so that ingesting
the article again does not bring it back); rejecting a suggestion only records the decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from events.models import Citation, Event
from events.services.event_links import event_save
from events.services.events import event_delete
from ingestion.matching import KnownEvent, shared_share, words
from ingestion.models import Finding
from ingestion.services.acting import acting_as
from ingestion.services.publishing import draft_prepare_publication


def _citations_of(event: Event) -> list[dict[str, Any]]:
    return [
        {
            "source": cited.source,
            "quote": cited.quote,
            "quote_translation": cited.quote_translation,
            "translation_language": cited.translation_language,
            "locator": cited.locator,
        }
        for cited in event.citations.select_related("source")
    ]


def _participants_of(event: Event) -> list[dict[str, Any]]:
    return [
        {"actor": part.actor, "role": part.role, "note": part.note}
        for part in event.participations.select_related("actor")
    ]


def _pending(finding: Finding) -> None:
    if finding.state != Finding.State.PENDING:
        raise ValidationError(f"This finding was {finding.get_state_display()} already.")
    if finding.event_id is None:
        raise ValidationError("The event of this finding no longer exists.")


def _decide(finding: Finding, state: str, user: Any, event: Event | None, reason: str = "") -> Finding:
    """Record the decision; ``event`` is the finding's event after it (None when it was deleted)."""
    finding.state = state
    finding.event = event
    finding.decided_by = user if getattr(user, "pk", None) else None
    finding.decided_at = timezone.now()
    finding.reason = reason
    finding.save(update_fields=["state", "event", "decided_by", "decided_at", "reason"])
    return finding


def _unchanged_since(event: Event, version: str | None) -> None:
    """Refuse to write over a change made after the curator opened the page (no lost update)."""
    if version is not None and version != event.updated_at.isoformat():
        raise ValidationError(
            f"{event.title_en!r} was changed by someone else after you opened this page, so nothing was "
            "saved: open it again to see the new version."
        )


@transaction.atomic
def finding_approve(
    *, finding: Finding, user: Any, fields: Mapping[str, Any] | None = None, version: str | None = None
) -> Finding:
    """Publish a new draft, or add a suggested citation to its event.

    ``fields`` are the curator's edits of the draft (title, date, summary...), saved with the same
    write as the status move: edit and approve is one decision. ``version`` is the draft's
    ``updated_at`` as the curator saw it; a draft changed since is refused.
    """
    _pending(finding)
    event = Event.objects.select_for_update().get(pk=finding.event_id)
    with acting_as(user):
        if finding.kind == Finding.Kind.DRAFT:
            _unchanged_since(event, version)
            finding.event = event
            if fields:  # the curator's edits first, so that the slug is made from the edited title
                finding.event = event = event_save(event=event, fields=dict(fields))
            event = draft_prepare_publication(finding=finding)  # its slug from its title, its new actors
            event_save(event=event, fields={}, status=Event.Status.PUBLISHED)
        else:
            citation = {"source": finding.source, "quote": finding.quote, "locator": "added from ingestion"}
            event_save(event=event, fields={}, citations=[*_citations_of(event), citation])
    return _decide(finding, Finding.State.ACCEPTED, user, event)


@transaction.atomic
def finding_reject(*, finding: Finding, user: Any, reason: str = "") -> Finding:
    """Turn down a finding, saying why if the curator did; a rejected new draft is deleted (its
    history remains, with the reason as the deletion's change reason)."""
    _pending(finding)
    event = finding.event
    assert event is not None
    if finding.kind == Finding.Kind.DRAFT:
        if event.status != Event.Status.DRAFT:
            raise ValidationError(
                f"{event.title_en!r} is {event.get_status_display()} now, no longer a draft: change it in "
                "the events admin instead."
            )
        # Repeats merged into this draft go with it.
        event.findings.filter(state=Finding.State.MERGED).update(state=Finding.State.REJECTED)
        event._change_reason = f"Rejected in review: {reason}" if reason else "Rejected in review"  # type: ignore[attr-defined]
        with acting_as(user):
            event_delete(event=event)
        return _decide(finding, Finding.State.REJECTED, user, None, reason)
    return _decide(finding, Finding.State.REJECTED, user, event, reason)


@transaction.atomic
def finding_merge(*, finding: Finding, into: Event, user: Any) -> Finding:
    """Fold a new draft into an existing event: its citations and actors join the event's, the draft goes."""
    _pending(finding)
    draft = finding.event
    assert draft is not None
    if finding.kind != Finding.Kind.DRAFT:
        raise ValidationError("Only a new draft can be merged; a suggestion is approved or rejected.")
    if into.pk == draft.pk:
        raise ValidationError("A draft cannot be merged into itself.")
    if draft.status != Event.Status.DRAFT:
        raise ValidationError(f"{draft.title_en!r} is no longer a draft.")
    with acting_as(user):
        citations = _citations_of(into)
        known = {(item["source"].pk, item["quote"]) for item in citations}
        citations += [
            item for item in _citations_of(draft) if (item["source"].pk, item["quote"]) not in known
        ]
        participants = _participants_of(into)
        taken = {(item["actor"].pk, item["role"]) for item in participants}
        participants += [
            item for item in _participants_of(draft) if (item["actor"].pk, item["role"]) not in taken
        ]
        event_save(event=into, fields={}, citations=citations, participants=participants)
        draft.findings.exclude(pk=finding.pk).update(event=into)
        event_delete(event=draft)
    return _decide(finding, Finding.State.MERGED, user, into)


def likely_duplicates(*, event: Event, limit: int = 5) -> list[tuple[Event, float]]:
    """Other events that may tell the same happening as ``event``: overlapping dates, and shared actors
    or words (ingestion's matching, with a lower bar), most alike first."""
    if event.date_start is None or event.date_end is None:
        return []
    own = words(" ".join([event.title_en, event.title_zh, event.summary_en, event.summary_zh]))
    own |= frozenset().union(*(words(quote) for quote in event.citations.values_list("quote", flat=True)))
    actor_ids = set(event.participations.values_list("actor_id", flat=True))
    overlapping = Event.objects.filter(date_start__lte=event.date_end, date_end__gte=event.date_start)
    overlapping = overlapping.exclude(pk=event.pk).order_by("-date_start", "pk")
    # Bounded however many events a year holds: those sharing an actor, then the nearest others.
    ids = list(overlapping.filter(participations__actor_id__in=actor_ids).values_list("pk", flat=True)[:200])
    ids += list(overlapping.values_list("pk", flat=True)[:200])
    candidates = Event.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("citations", queryset=Citation.objects.only("event_id", "source_id", "quote")),
        "participations",
    )
    scored = []
    for candidate in candidates:
        known = KnownEvent.of(candidate)
        shared_actors = len(actor_ids & known.actor_ids)
        score = shared_share(own, known.words) + 0.2 * min(shared_actors, 3)
        if score >= 0.2:
            scored.append((candidate, round(min(score, 1.0), 2)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return scored[:limit]


def findings_decide(
    *, findings: Iterable[Finding], user: Any, action: str, into: Event | None = None, reason: str = ""
) -> tuple[list[Finding], dict[Finding, str]]:
    """Apply ``action`` (approve, reject or merge) to many findings; each on its own, so one refusal does
    not undo the others. Returns those done and, for the others, why not."""
    done: list[Finding] = []
    refused: dict[Finding, str] = {}
    for finding in findings:
        try:
            if action == "approve":
                done.append(finding_approve(finding=finding, user=user))
            elif action == "reject":
                done.append(finding_reject(finding=finding, user=user, reason=reason))
            elif action == "merge" and into is not None:
                done.append(finding_merge(finding=finding, into=into, user=user))
            else:
                raise ValidationError(f"{action!r} is not a review action.")
        except ValidationError as error:
            refused[finding] = "; ".join(error.messages)
    return done, refused
