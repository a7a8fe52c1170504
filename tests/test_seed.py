"""The seed dataset: it loads on the configured database, reloads without duplicates, and is curated right."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

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
)
from events.services.text_cleaning import clean_captured_text
from fixtures.build_seed import render_fixture

pytestmark = pytest.mark.django_db

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
SEED_MODELS = [Tag, Location, Actor, ActorAlias, Source, Event, Participation, Citation, EventRelation]

# The seed files behind each source, and where their page junk (sidebars) begins.
SEED_FILES = {
    "xinhua-2025-07-26-waic-opening": "000_6e67b410ee902a66.txt",
    "peoples-daily-2024-04-03-he-yin": "001_c7f698a66cb334f9.txt",
    "xinhua-2025-07-26-waico": "002_e398be88e55bf720.txt",
    "global-times-2025-07-28-reactions": "003_7f44d65a6cc781ab.txt",
    "ai-plus-initiative-full-text": "004_561e28af1e18772b.txt",
}
JUNK_STARTS = {"peoples-daily-2024-04-03-he-yin": "相关阅读", "global-times-2025-07-28-reactions": "热门资讯"}

REQUIRED_EVENTS = {
    # slug: (EDTF date, precision)
    "global-ai-governance-initiative": ("2023-10", "month"),
    "peoples-daily-commentary-ai-global-governance": ("2024-04-03", "day"),
    "world-ai-cooperation-organization-proposed": ("2025-07-26", "day"),
    "waic-2025": ("2025-07-26/2025-07-28", "day"),
    "li-qiang-waic-2025-opening-speech": ("2025-07-26", "day"),
    "global-ai-governance-action-plan-released": ("2025-07-26", "day"),
    "us-ai-action-plan-released": ("2025-07-23", "day"),
    "ai-plus-international-cooperation-initiative": ("2025-09-23", "day"),
    "xi-jinping-shanghai-inspection-2025-04": ("2025-04", "month"),
}
REQUIRED_ACTORS = [
    "xi-jinping",
    "li-qiang",
    "chinese-government",
    "xinhua",
    "peoples-daily",
    "global-times",
    "reuters",
    "donald-trump",
    "antonio-guterres",
]
REQUIRED_SOURCES = [*SEED_FILES, "global-times-2025-09-24-ai-plus"]


@pytest.fixture
def seed() -> None:
    call_command("loaddata", "seed", verbosity=0)


def model_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SEED_MODELS}


def seed_text(source_slug: str) -> str:
    path = FIXTURES_DIR / "seed_texts" / SEED_FILES[source_slug]
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


# --- Loading --------------------------------------------------------------------------------------


def test_the_fixture_loads_every_record_it_holds(seed: None) -> None:
    records = json.loads((FIXTURES_DIR / "seed.json").read_text(encoding="utf-8"))
    expected: dict[str, int] = {}
    for record in records:
        expected[record["model"]] = expected.get(record["model"], 0) + 1
    loaded = {f"events.{name.lower()}": count for name, count in model_counts().items()}
    assert loaded == expected
    assert loaded["events.event"] >= 20


def test_loading_the_fixture_again_creates_no_duplicates(seed: None) -> None:
    before = model_counts()
    event = Event.objects.get(slug="waic-2025")
    call_command("loaddata", "seed", verbosity=0)
    assert model_counts() == before
    assert Event.objects.get(slug="waic-2025").pk == event.pk  # the same row, updated in place


def test_the_fixture_is_what_the_curated_data_builds() -> None:
    # Rebuilding from fixtures/seed_data.py gives the committed file byte for byte; if this fails, run
    # `python fixtures/build_seed.py` and commit seed.json with the data change.
    assert render_fixture() == (FIXTURES_DIR / "seed.json").read_text(encoding="utf-8")


# --- Sources and quotes ---------------------------------------------------------------------------


def test_every_citation_quote_occurs_in_its_source(seed: None) -> None:
    for citation in Citation.objects.select_related("source", "event"):
        source = citation.source
        if source.text:
            assert citation.quote in source.text or citation.quote in source.text_clean, (
                f"{citation.event.slug}: quote not found in {source.slug}: {citation.quote!r}"
            )
    # Only the second AI+ source was not captured; its one quote is the sentence the seeds describe.
    textless = Source.objects.filter(text="")
    assert [source.slug for source in textless] == ["global-times-2025-09-24-ai-plus"]
    assert Citation.objects.get(source__slug="global-times-2025-09-24-ai-plus").quote.startswith(
        "China proposed the AI+ International Cooperation Initiative"
    )


def test_sources_keep_the_captured_text_verbatim_with_cleaned_text_and_checksum(seed: None) -> None:
    for slug in SEED_FILES:
        source = Source.objects.get(slug=slug)
        captured = seed_text(slug)
        assert source.text == captured
        assert source.checksum == hashlib.sha256(captured.encode("utf-8")).hexdigest()
        assert source.text_clean == clean_captured_text(captured)
    opening = Source.objects.get(slug="xinhua-2025-07-26-waic-opening")
    assert "國務(wù)院" in opening.text
    assert "國務(wù)院" not in opening.text_clean
    assert "國務院總理李強" in opening.text_clean


def test_sources_have_publishers_dates_and_languages(seed: None) -> None:
    sources = {source.slug: source for source in Source.objects.select_related("publisher")}
    assert sorted(sources) == sorted(REQUIRED_SOURCES)
    expected = {
        # slug: (publisher, published, language, parallel language)
        "xinhua-2025-07-26-waic-opening": ("xinhua", "2025-07-26", "zh-Hant", ""),
        "peoples-daily-2024-04-03-he-yin": ("peoples-daily", "2024-04-03", "zh-Hans", ""),
        "xinhua-2025-07-26-waico": ("xinhua", "2025-07-26", "zh-Hant", "en"),
        "global-times-2025-07-28-reactions": ("global-times", "2025-07-28", "zh-Hans", ""),
        "ai-plus-initiative-full-text": ("chinese-government", "", "zh-Hant", "en"),
        "global-times-2025-09-24-ai-plus": ("global-times", "2025-09-24", "en", ""),
    }
    for slug, (publisher, published, language, parallel) in expected.items():
        source = sources[slug]
        assert source.publisher is not None
        actual = (source.publisher.slug, source.published, source.language, source.parallel_language)
        assert actual == (publisher, published, language, parallel), slug
    assert "王宏泽" in sources["peoples-daily-2024-04-03-he-yin"].byline
    assert "龔雯" in sources["xinhua-2025-07-26-waic-opening"].byline


# --- Events ---------------------------------------------------------------------------------------


def test_every_published_event_has_a_date_and_a_citation_and_undated_ones_are_drafts(seed: None) -> None:
    for event in Event.objects.prefetch_related("citations"):
        assert event.citations.exists(), f"{event.slug} cites no source"
        if event.status == Event.Status.PUBLISHED:
            assert event.date and event.date_start is not None, f"{event.slug} is published without a date"
        else:
            assert event.status == Event.Status.DRAFT and not event.date, (
                f"{event.slug}: dated but unpublished"
            )
    assert Event.objects.published().count() >= 15
    assert Event.objects.filter(status=Event.Status.DRAFT).exists()  # the undated mentions


def test_the_named_events_have_their_dates_and_precisions(seed: None) -> None:
    for slug, (edtf, precision) in REQUIRED_EVENTS.items():
        event = Event.objects.get(slug=slug)
        assert (event.date, event.date_precision, event.status) == (edtf, precision, "published"), slug
    initiative = Event.objects.get(slug="global-ai-governance-initiative")
    assert (initiative.date_start, initiative.date_end) == (date(2023, 10, 1), date(2023, 10, 31))
    assert initiative.date_display("en") == "October 2023"
    assert initiative.date_display("zh") == "2023年10月"


def test_stored_bounds_agree_with_the_time_module(seed: None) -> None:
    for event in Event.objects.all():
        stored = (event.date_start, event.date_end, event.date_precision)
        assert stored == partial_dates.bounds(event.date), event.slug
    for source in Source.objects.all():
        stored = (source.published_start, source.published_end, source.published_precision)
        assert stored == partial_dates.bounds(source.published), source.slug


def test_every_event_has_titles_and_summaries_in_english_and_chinese(seed: None) -> None:
    for event in Event.objects.all():
        for field in ("title_en", "title_zh", "summary_en", "summary_zh"):
            assert getattr(event, field).strip(), f"{event.slug} has no {field}"
        assert any("\u4e00" <= character <= "\u9fff" for character in event.title_zh), event.slug
        assert any("\u4e00" <= character <= "\u9fff" for character in event.summary_zh), event.slug


def test_no_event_is_drawn_from_sidebar_junk(seed: None) -> None:
    # The sidebars carry November 2025 timestamps and teasers about phones and glasses: none of it dates
    # or supports an event on its own.
    assert not Event.objects.filter(date_end__gte=date(2025, 10, 1)).exists()
    for event in Event.objects.prefetch_related("citations__source"):
        article_quotes = []
        for citation in event.citations.all():
            marker = JUNK_STARTS.get(citation.source.slug)
            article = citation.source.text.split(marker)[0] if marker else citation.source.text
            if citation.quote in article or not citation.source.text:
                article_quotes.append(citation.quote)
        assert article_quotes, f"{event.slug} is backed only by page junk"


def test_the_issue_relations_are_recorded(seed: None) -> None:
    def related(from_slug: str, relation: str, to_slug: str) -> bool:
        return EventRelation.objects.filter(
            from_event__slug=from_slug, relation=relation, to_event__slug=to_slug
        ).exists()

    assert related(
        "peoples-daily-commentary-ai-global-governance", "commentary_on", "global-ai-governance-initiative"
    )
    assert related("li-qiang-waic-2025-opening-speech", "part_of", "waic-2025")
    assert related("world-ai-cooperation-organization-proposed", "follows", "global-ai-governance-initiative")
    assert related(
        "reuters-reports-waico-proposal", "reports_on", "world-ai-cooperation-organization-proposed"
    )


def test_events_name_their_actors_with_roles_and_places(seed: None) -> None:
    def roles(event_slug: str) -> set[tuple[str, str]]:
        return set(Participation.objects.filter(event__slug=event_slug).values_list("actor__slug", "role"))

    assert ("xi-jinping", "announcer") in roles("global-ai-governance-initiative")
    assert ("chinese-government", "proposer") in roles("world-ai-cooperation-organization-proposed")
    assert ("li-qiang", "speaker") in roles("li-qiang-waic-2025-opening-speech")
    assert ("antonio-guterres", "speaker") in roles("waic-2025-opening-ceremony")
    assert ("donald-trump", "announcer") in roles("us-ai-action-plan-released")
    for slug in (
        "waic-2025",
        "world-ai-cooperation-organization-proposed",
        "xi-jinping-shanghai-inspection-2025-04",
    ):
        location = Event.objects.get(slug=slug).location
        assert location is not None and location.slug == "shanghai", slug
    assert not Event.objects.filter(tags__isnull=True).exists()


# --- Actors ---------------------------------------------------------------------------------------


def test_the_required_actors_exist_with_names_in_both_languages(seed: None) -> None:
    for slug in REQUIRED_ACTORS:
        actor = Actor.objects.get(slug=slug)
        assert actor.name_en and actor.name_zh, slug
    assert Location.objects.filter(slug="shanghai").exists()


def test_alias_in_traditional_script_resolves_to_the_same_actor(seed: None) -> None:
    li_qiang = Actor.objects.get(slug="li-qiang")
    assert ActorAlias.objects.get(name="李強").actor == li_qiang
    assert ActorAlias.objects.get(name="李强").actor == li_qiang
    aliases = {(alias.name, alias.language, alias.script) for alias in li_qiang.aliases.all()}
    assert {
        ("國務院總理李強", "zh", "Hant"),
        ("国务院总理李强", "zh", "Hans"),
        ("Li Qiang", "en", "Latn"),
        ("Premier Li Qiang", "en", "Latn"),
    } <= aliases
