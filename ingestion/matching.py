"""Matching found text against the record: actors by any alias in any script, and events already held.

Both sides are folded the same way (:func:`events.scripts.fold`: simplified mainland Chinese, case-folded),
so 李強 in a traditional-script dispatch finds the actor recorded as 李强, and 人工智慧 matches 人工智能.
A happening found in an article is the same as an event in the record when their dates overlap and they
share actors or words: :func:`best_event_match` scores that, and ingestion turns a match into a
suggested citation instead of a duplicate draft.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from babel import Locale
from django.db.models import Prefetch

from events.models import Actor, ActorAlias, Citation, Event
from events.scripts import fold

# Names shorter than this (in characters) are too ambiguous to find in running text: 中, US.
MIN_NAME_LENGTH = 2
_LATIN_NAME = re.compile(r"^[\w .'’-]+$", re.ASCII | re.IGNORECASE)
_HAN_CHARACTER = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z][a-z'-]{2,}")
# Date words and digits say nothing about what happened: two reports of different things on the same
# day share them.
_DATE_CHARACTERS = re.compile(r"[\d年月日号號天]")
_STOP_WORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "have",
        "has",
        "had",
        "was",
        "were",
        "are",
        "its",
        "their",
        "his",
        "her",
        "into",
        "will",
        "would",
        "said",
        "says",
        "also",
        "been",
        "over",
        "more",
        "than",
        "which",
        "who",
        "what",
        "when",
        "where",
        "they",
        "them",
        "there",
        "about",
        "after",
        "before",
        "under",
        "between",
    ]
)

# How much of a found sentence must be shared with an event's text for it to be that event.
WORDS_ALONE = 0.5  # with no actor in common
WORDS_WITH_ACTOR = 0.25  # with at least one actor in common

# Types that may name one happening in two reports (one says "summit", the other 会晤); words differ
# across languages, so the type family and a shared leading actor carry the match there.
_TYPE_FAMILIES = (
    {"meeting", "conference", "visit", "speech"},
    {"announcement", "proposal", "statement", "speech", "policy", "publication"},
    {"media_report"},
)


def types_agree(first: str, second: str) -> bool:
    """Whether two event types may be one happening's: equal, in one family, or one of them unknown."""
    if not first or not second or "other" in (first, second) or first == second:
        return True
    return any(first in family and second in family for family in _TYPE_FAMILIES)


@cache
def country_names() -> dict[str, str]:
    """Country and territory names in English and both Chinese scripts (CLDR, through Babel), folded,
    with their ISO code: 美国, 美國 and United States all name US."""
    names: dict[str, str] = {}
    for locale in ("en", "zh_Hans", "zh_Hant"):
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha() and len(name) >= 2 and code not in ("EU", "UN", "EZ", "QO"):
                names.setdefault(fold(name), code)
    names.update({fold(alias): code for alias, code in (("U.S.", "US"), ("US", "US"), ("UK", "GB"))})
    return names


def country_code(name: str) -> str | None:
    """The ISO code of a country's name in any of the three languages, if it is one."""
    return country_names().get(fold(name.strip()))


@dataclass(frozen=True)
class ActorMention:
    actor: Actor
    name: str  # the alias as the text writes it (folded)


class ActorIndex:
    """Every actor's names and aliases, folded, ready to be found in text."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.names: dict[str, Actor] = {}
        self.slugs: dict[str, Actor] = {}
        for actor in actors:
            self.slugs[actor.slug] = actor
            names = [actor.name_en, actor.name_zh, *(alias.name for alias in actor.aliases.all())]
            for name in names:
                key = fold(name.strip())
                if len(key) >= MIN_NAME_LENGTH:
                    self.names.setdefault(key, actor)
        # A country is one actor whatever language names it: 日本 finds the actor recorded as Japan.
        self.countries: dict[str, Actor] = {}
        for key, actor in self.names.items():
            code = country_names().get(key)
            if code and actor.kind == Actor.Kind.COUNTRY:
                self.countries.setdefault(code, actor)
        # Longest names first, so that 国务院总理李强 is one mention, not also 李强 inside it.
        self._ordered = sorted(self.names, key=len, reverse=True)
        # The names by their first two characters, longest first: a scan of a text looks up each position
        # once, whatever the size of the record.
        self._by_prefix: dict[str, list[str]] = {}
        for name in self._ordered:
            self._by_prefix.setdefault(name[:MIN_NAME_LENGTH], []).append(name)

    def add(self, actor: Actor, names: Iterable[str]) -> None:
        """Make a newly created actor findable by its names."""
        self.slugs[actor.slug] = actor
        for name in names:
            key = fold(name.strip())
            if len(key) >= MIN_NAME_LENGTH and key not in self.names:
                self.names[key] = actor
                bucket = self._by_prefix.setdefault(key[:MIN_NAME_LENGTH], [])
                bucket.append(key)
                bucket.sort(key=len, reverse=True)

    @classmethod
    def from_record(cls) -> ActorIndex:
        aliases = Prefetch("aliases", queryset=ActorAlias.objects.only("actor_id", "name"))
        return cls(Actor.objects.prefetch_related(aliases))

    def find(self, text: str) -> list[ActorMention]:
        """The actors named in ``text``, each once, in order of first appearance."""
        folded = fold(text)
        taken = [False] * len(folded)
        found: dict[int, tuple[int, ActorMention]] = {}
        for name in self._ordered:
            start = folded.find(name)
            while start >= 0:
                end = start + len(name)
                if not any(taken[start:end]) and self._stands_alone(folded, start, end, name):
                    for index in range(start, end):
                        taken[index] = True
                    actor = self.names[name]
                    if actor.pk not in found or found[actor.pk][0] > start:
                        found[actor.pk] = (start, ActorMention(actor=actor, name=name))
                start = folded.find(name, start + 1)
        return [mention for _, mention in sorted(found.values(), key=lambda item: item[0])]

    def spans(self, folded: str) -> list[tuple[int, int, Actor]]:
        """Where a folded text names actors: ``(start, end, actor)``, left to right, longest name first at
        each place, never overlapping."""
        found = []
        position = 0
        while position < len(folded) - 1:
            for name in self._by_prefix.get(folded[position : position + MIN_NAME_LENGTH], ()):
                end = position + len(name)
                if folded.startswith(name, position) and self._stands_alone(folded, position, end, name):
                    found.append((position, end, self.names[name]))
                    position = end - 1
                    break
            position += 1
        return found

    @staticmethod
    def _stands_alone(text: str, start: int, end: int, name: str) -> bool:
        """A Latin-script name must be a whole word (Li is not in Lima); Chinese has no word breaks."""
        if not _LATIN_NAME.match(name):
            return True
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        return not (before.isalnum() and before.isascii()) and not (after.isalnum() and after.isascii())

    def resolve(self, name: str) -> Actor | None:
        """The actor a publisher's name or slug designates, if any: exact names only, no guessing."""
        text = name.strip()
        if not text:
            return None
        found = self.slugs.get(text) or self.names.get(fold(text))
        if found is None and (code := country_code(text)):
            found = self.countries.get(code)
        return found


def words(text: str) -> frozenset[str]:
    """What a text says, as comparable pieces: Chinese character pairs and Latin words, date words out."""
    folded = fold(text)
    pieces: set[str] = set()
    for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", folded):
        run = _DATE_CHARACTERS.sub(" ", run)
        for chunk in run.split():
            pieces.update(chunk[index : index + 2] for index in range(len(chunk) - 1))
    pieces.update(word for word in _LATIN_WORD.findall(folded) if word not in _STOP_WORDS)
    return frozenset(pieces)


def shared_share(found: frozenset[str], known: frozenset[str]) -> float:
    """How much of the found sentence's words the known text also has (0–1)."""
    return len(found & known) / len(found) if found else 0.0


@dataclass
class KnownEvent:
    """An event of the record as matching sees it: its date bounds, actors, words and cited passages."""

    event: Event
    lower: dt.date
    upper: dt.date
    actor_ids: set[int]
    words: frozenset[str]
    citations: list[tuple[int, str]] = field(default_factory=list)  # (source id, quote)
    type: str = ""
    leading_ids: set[int] = field(default_factory=set)  # actors with a part other than subject

    @classmethod
    def of(cls, event: Event) -> KnownEvent:
        citations = [(citation.source_id, citation.quote) for citation in event.citations.all()]
        text = " ".join(
            [
                event.title_en,
                event.title_zh,
                event.title_zh_hant,
                event.summary_en,
                event.summary_zh,
                event.summary_zh_hant,
                *(quote for _, quote in citations),
            ]
        )
        assert event.date_start is not None and event.date_end is not None
        return cls(
            event=event,
            lower=event.date_start,
            upper=event.date_end,
            actor_ids={participation.actor_id for participation in event.participations.all()},
            words=words(text),
            citations=citations,
            type=event.type,
            leading_ids={
                participation.actor_id
                for participation in event.participations.all()
                if participation.role != "subject"
            },
        )

    def cites(self, source_id: int, sentence: str) -> bool:
        """Whether the event already cites this source for this sentence (or a passage of it)."""
        return any(
            cited_source == source_id and (quote in sentence or sentence in quote)
            for cited_source, quote in self.citations
        )


@dataclass(frozen=True)
class EventMatch:
    known: KnownEvent
    score: float
    shared_actors: int


def events_overlapping(lower: dt.date, upper: dt.date) -> list[KnownEvent]:
    """The record's dated events whose bounds overlap ``lower``–``upper``, ready for matching."""
    queryset = Event.objects.filter(date_start__lte=upper, date_end__gte=lower).prefetch_related(
        Prefetch("citations", queryset=Citation.objects.only("event_id", "source_id", "quote")),
        "participations",
    )
    return [KnownEvent.of(event) for event in queryset]


def best_event_match(
    *,
    lower: dt.date,
    upper: dt.date,
    actor_ids: set[int],
    sentence_words: frozenset[str],
    candidates: Iterable[KnownEvent],
    type_: str = "",
    leading_id: int | None = None,
) -> EventMatch | None:
    """The candidate that is the same happening, if any: overlapping dates and either enough shared words
    (less with a shared actor), or, in any language, an agreeing type and a shared leading actor (the
    sentence's agent is one of the event's actors, or one of its own is the event's proposer, speaker…).
    Ties go to the closer date range, then the earlier event."""
    best: tuple[tuple[float, int, float], EventMatch] | None = None
    for known in candidates:
        if known.lower > upper or known.upper < lower:
            continue
        shared_actors = len(actor_ids & known.actor_ids)
        score = shared_share(sentence_words, known.words)
        agree = types_agree(type_, known.type)
        leads = leading_id in known.actor_ids or bool(actor_ids & known.leading_ids)
        by_actors = leads and agree
        # Words alone must be many; with a shared actor fewer will do, but then the types must agree too.
        by_words = score >= WORDS_ALONE or (shared_actors > 0 and agree and score >= WORDS_WITH_ACTOR)
        if not (by_words or by_actors):
            continue
        if by_actors:
            score = max(score, 0.5)
        span_difference = abs((known.upper - known.lower).days - (upper - lower).days)
        rank = (score + 0.1 * min(shared_actors, 3), -span_difference, -known.event.pk)
        if best is None or rank > best[0]:
            best = (rank, EventMatch(known=known, score=score, shared_actors=shared_actors))
    return best[1] if best else None
