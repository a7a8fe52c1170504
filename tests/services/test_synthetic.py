"""Tests for the synthetic record generator: deterministic, shaped like the real record, consistent."""

from __future__ import annotations

from collections import Counter
from statistics import median
from typing import Any

import pytest
from django.db.models import Count
from rest_framework.test import APIClient

from events import partial_dates
from events.models import (
    Actor,
    ActorAlias,
    Citation,
    Event,
    EventRelation,
    Location,
    Participation,
    Source,
    Tag,
    text_checksum,
)
from events.services.synthetic import TABLE_COLUMNS, synthetic_record_generate
from events.services.text_cleaning import clean_captured_text
from events.source_urls import normalize_url

pytestmark = pytest.mark.django_db

SHAPE = {"events": 1000, "actors": 120, "sources": 200}
HISTORY_TRACKED = [Tag, Location, Actor, ActorAlias, Source, Event, Participation, Citation, EventRelation]


@pytest.fixture
def generated(db: Any) -> Any:
    return synthetic_record_generate(seed=11, **SHAPE)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every generated row, without the load's timestamps (the only values that depend on the clock)."""
    rows = {}
    for model, columns in TABLE_COLUMNS.items():
        kept = [column for column in columns if column not in ("created_at", "updated_at", "retrieved_at")]
        rows[model._meta.db_table] = list(model._default_manager.order_by("id").values_list(*kept))
    return rows


def clear_record() -> None:
    Event.objects.all().delete()
    Source.objects.all().delete()
    ActorAlias.objects.all().delete()
    Actor.objects.all().delete()
    Tag.objects.all().delete()
    Location.objects.all().delete()


def test_the_same_seed_gives_the_same_record_and_another_seed_another() -> None:
    synthetic_record_generate(events=200, actors=20, sources=30, seed=5)
    first = snapshot()
    clear_record()
    synthetic_record_generate(events=200, actors=20, sources=30, seed=5)
    assert snapshot() == first
    clear_record()
    synthetic_record_generate(events=200, actors=20, sources=30, seed=6)
    assert snapshot()["events_event"] != first["events_event"]


def test_row_counts_are_the_ones_asked_for(generated: Any) -> None:
    assert Event.objects.count() == SHAPE["events"]
    assert Actor.objects.count() == SHAPE["actors"]
    assert Source.objects.count() == SHAPE["sources"]
    assert generated.rows["events_event"] == SHAPE["events"]


def test_dates_have_every_precision_and_shape_spread_over_decades(generated: Any) -> None:
    dates = list(Event.objects.exclude(date="").values_list("date", flat=True))
    precisions = Counter(Event.objects.values_list("date_precision", flat=True))
    assert {"year", "month", "day"} <= set(precisions)
    assert precisions["day"] > precisions["month"] > precisions["year"] > 0
    assert any("/" in date and ".." not in date for date in dates), "closed ranges"
    assert any(date.endswith("/..") or date.startswith("../") for date in dates), "open ends"
    assert any(date.endswith("/") for date in dates), "unknown ends"
    for qualifier in "~?%":
        assert any(qualifier in date for date in dates), f"qualifier {qualifier}"
    years = [int(date.lstrip("./")[:4]) for date in dates]
    assert min(years) <= 2000 and median(years) >= 2018  # decades, but mostly recent


def test_status_mix_has_drafts_and_mostly_published_events(generated: Any) -> None:
    share = {
        status: count / SHAPE["events"]
        for status, count in Counter(Event.objects.values_list("status", flat=True)).items()
    }
    assert 0.07 <= share["draft"] <= 0.14
    assert 0.85 <= share["published"] <= 0.93
    assert not Event.objects.filter(status="published", date="").exists()
    assert Event.objects.filter(status="draft", date="").exists()  # some drafts are not dated yet


def test_actor_popularity_is_skewed_with_one_actor_in_about_a_fifth_of_the_events(generated: Any) -> None:
    links = list(Actor.objects.annotate(n=Count("participations")).order_by("-n").values_list("n", flat=True))
    assert 0.15 <= links[0] / SHAPE["events"] <= 0.26
    assert links[1] <= links[0] * 0.7  # the busiest stands out
    assert links[-1] < links[0] / 20  # and a long tail of rare ones


def test_every_event_has_two_to_four_actors_and_one_to_three_citations(generated: Any) -> None:
    counts = Event.objects.annotate(
        actors_n=Count("participations__actor", distinct=True), citations_n=Count("citations", distinct=True)
    )
    assert set(counts.values_list("actors_n", flat=True)) == {2, 3, 4}
    assert set(counts.values_list("citations_n", flat=True)) == {1, 2, 3}


def test_every_quote_occurs_verbatim_in_its_source(generated: Any) -> None:
    for quote, text in Citation.objects.values_list("quote", "source__text"):
        assert quote and quote in text
    assert Citation.objects.exclude(quote_translation="").exists()


def test_derived_columns_equal_a_recomputation(generated: Any) -> None:
    for date, start, end, precision in Event.objects.values_list(
        "date", "date_start", "date_end", "date_precision"
    ):
        assert (start, end, precision) == partial_dates.bounds(date), date
    for row in Source.objects.values_list(
        "published",
        "published_start",
        "published_end",
        "published_precision",
        "url",
        "checksum",
        "text",
        "text_clean",
    ):
        published, start, end, precision, url, checksum, text, text_clean = row
        assert (start, end, precision) == partial_dates.bounds(published)
        assert url is None or url == normalize_url(url)
        assert checksum == text_checksum(text)
        assert text_clean == clean_captured_text(text)
    assert not Source.objects.filter(url__contains="utm_").exists()


def test_names_come_in_english_and_both_chinese_scripts(generated: Any) -> None:
    scripts = set(ActorAlias.objects.values_list("script", flat=True))
    assert {"Latn", "Hans", "Hant"} <= scripts
    assert Actor.objects.exclude(name_zh="").count() == SHAPE["actors"]
    languages = set(Source.objects.values_list("language", flat=True))
    assert languages == {"en", "zh-Hans", "zh-Hant"}


def test_events_carry_tags_locations_and_relations(generated: Any) -> None:
    assert not Event.objects.filter(tags=None).exists()
    assert 0.5 < Event.objects.exclude(location=None).count() / SHAPE["events"] < 0.9
    assert EventRelation.objects.count() > SHAPE["events"] * 0.05


def test_every_generated_record_has_its_first_history_entry(generated: Any) -> None:
    for model in HISTORY_TRACKED:
        history = model.history.model  # type: ignore[attr-defined]
        assert history.objects.filter(history_type="+").count() == model.objects.count(), model.__name__
        assert set(history.objects.values_list("id", flat=True)) == set(
            model.objects.values_list("id", flat=True)
        )
    event = Event.objects.filter(tags__isnull=False).first()
    assert event is not None
    first = event.history.earliest()  # type: ignore[attr-defined]
    assert {link.tag_id for link in first.tags.all()} == set(event.tags.values_list("id", flat=True))


def test_new_records_after_the_load_get_ids_after_the_generated_ones(generated: Any) -> None:
    tag = Tag.objects.create(slug="after-the-load", name_en="After")
    assert tag.id > max(Tag.objects.exclude(pk=tag.pk).values_list("id", flat=True))


def test_the_api_serves_the_generated_events(generated: Any) -> None:
    client = APIClient()
    busiest = Actor.objects.annotate(n=Count("participations")).order_by("-n").first()
    assert busiest is not None
    page = client.get("/api/v1/events/", {"actor": busiest.slug, "date_from": "2010", "limit": 50})
    assert page.status_code == 200, page.content
    assert page.json()["results"] and all(
        busiest.slug in {actor["slug"] for actor in event["actors"]} for event in page.json()["results"]
    )
    event = Event.objects.published().first()
    assert event is not None
    detail = client.get(f"/api/v1/events/{event.id}/")
    assert detail.status_code == 200
    assert 2 <= len(detail.json()["actors"]) <= 4 and detail.json()["citations"]
    found = client.get("/api/v1/events/", {"q": "峰会", "lang": "zh-hant"})
    assert found.status_code == 200 and found.json()["results"]
