"""Matching: actors by any alias in any script, whole words only in Latin script; the same happening needs
overlapping dates and shared words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ingestion.matching import ActorIndex, KnownEvent, best_event_match, words
from tests.factories import ActorAliasFactory, ActorFactory, EventFactory, ParticipationFactory


@pytest.fixture
def index(db: Any) -> ActorIndex:
    li = ActorFactory(slug="li-qiang", name_en="Li Qiang", name_zh="李强")
    ActorAliasFactory(actor=li, name="国务院总理李强", language="zh", script="Hans")
    ActorAliasFactory(actor=li, name="Premier Li Qiang")
    ActorFactory(slug="china", name_en="China", name_zh="中国")
    ActorFactory(slug="chinese-government", name_en="Chinese government", name_zh="中国政府")
    return ActorIndex.from_record()


def test_names_are_found_in_either_script_each_actor_once(index: ActorIndex) -> None:
    found = index.find("國務院總理李強說,李強還表示中國政府願意合作")

    assert [mention.actor.slug for mention in found] == ["li-qiang", "chinese-government"]


def test_a_latin_name_must_stand_as_a_whole_word(index: ActorIndex) -> None:
    assert index.find("Chinaware and Li Qiangs were on sale in Lima") == []
    assert [m.actor.slug for m in index.find("Premier Li Qiang met China's partners.")] == [
        "li-qiang",
        "china",
    ]


def test_a_publisher_is_resolved_by_slug_or_exact_name_only(index: ActorIndex) -> None:
    assert index.resolve("li-qiang").slug == "li-qiang"
    assert index.resolve("李強").slug == "li-qiang"
    assert index.resolve("Li") is None


@pytest.mark.django_db
def test_the_same_happening_needs_overlapping_dates_and_shared_words(db: Any) -> None:
    actor = ActorFactory(slug="trump", name_en="Donald Trump")
    event = EventFactory(
        title_en="Trump releases an AI blueprint to expand exports to allies", date="2025-07-23"
    )
    ParticipationFactory(event=event, actor=actor)
    known = [KnownEvent.of(event)]
    sentence = words("Trump released an AI blueprint to expand exports to allies")
    day = dt.date(2025, 7, 23)

    match = best_event_match(
        lower=day, upper=day, actor_ids={actor.pk}, sentence_words=sentence, candidates=known
    )
    assert match is not None and match.known.event == event

    next_day = day + dt.timedelta(days=1)
    assert (
        best_event_match(
            lower=next_day, upper=next_day, actor_ids={actor.pk}, sentence_words=sentence, candidates=known
        )
        is None
    )
    other_words = words("Trump played golf with friends at his club")
    assert (
        best_event_match(lower=day, upper=day, actor_ids=set(), sentence_words=other_words, candidates=known)
        is None
    )
