"""PostgreSQL's indexed search (the search document of migration 0004) finds exactly what the
field-by-field search finds, on the seed and on generated records, and follows every edit."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection

from events.models import Actor, ActorAlias, Citation, Event, Participation
from events.search import search_events, search_events_field_by_field
from events.services.synthetic import synthetic_record_generate
from tests.api.test_seed_api import SEED
from tests.factories import (
    ActorAliasFactory,
    ActorFactory,
    CitationFactory,
    EventFactory,
    ParticipationFactory,
    SourceFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the search document is PostgreSQL's"),
]

FIXED_QUERIES = [
    "峰会", "峰會", "summit", "SUMMIT", "Summit 峰会", "li qiang", "李強", "李强", "人工智慧", "人工智能",
    "合作組織", "a", "的", "会", "AI", "ai", "%", "_", "a_b", "100%", "\\", "'", "x", "Q", "zzzz",
    "不存在的词", "ß", "İ", "governance initiative", "oversight 监管",
]  # fmt: skip


def texts_in_the_record() -> Iterator[str]:
    for row in Event.objects.values_list(
        "title_en", "title_zh", "title_zh_hant", "summary_en", "summary_zh", "summary_zh_hant"
    ):
        yield from row
    for quote, translation in Citation.objects.values_list("quote", "quote_translation"):
        yield from (quote, translation)
    for name_en, name_zh in Actor.objects.values_list("name_en", "name_zh"):
        yield from (name_en, name_zh)
    yield from ActorAlias.objects.values_list("name", flat=True)


def sampled_queries(count: int, seed: int) -> list[str]:
    """Pieces of the record's own texts, 1 to 8 characters long, and one or two words together."""
    rng = random.Random(seed)
    texts = sorted(text for text in texts_in_the_record() if text.strip())
    queries = []
    for _ in range(count):
        text = rng.choice(texts)
        start = rng.randrange(len(text))
        piece = text[start : start + rng.randint(1, 8)].strip()
        if piece:
            queries.append(piece)
    words = sorted({word for text in texts for word in text.split()})
    queries += [" ".join(rng.sample(words, 2)) for _ in range(count // 10)]
    return queries


def assert_same_results(queries: list[str]) -> None:
    everything = Event.objects.all()
    found_any = 0
    for query in queries:
        indexed = set(search_events(everything, query).values_list("id", flat=True))
        reference = set(search_events_field_by_field(everything, query).values_list("id", flat=True))
        assert indexed == reference, f"q={query!r}: indexed and field-by-field searches differ"
        found_any += bool(reference)
    assert found_any > len(queries) // 2, "most sampled queries should find something"


@pytest.mark.skipif(not SEED.exists(), reason="no seed dataset")
def test_the_seed_gives_the_same_results_indexed_and_field_by_field() -> None:
    call_command("loaddata", "seed", verbosity=0)
    assert_same_results(FIXED_QUERIES + sampled_queries(300, seed=1))


def test_generated_records_give_the_same_results_indexed_and_field_by_field() -> None:
    synthetic_record_generate(events=300, actors=40, sources=60, seed=3)
    assert_same_results(FIXED_QUERIES + sampled_queries(300, seed=2))


def test_generating_builds_the_documents_once_and_leaves_the_triggers_and_indexes_in_place() -> None:
    """generate_events builds the documents after its load (triggers off, indexes dropped meanwhile):
    afterwards, appended or not, every document is what the triggers would have written, the indexes
    are back, and the triggers follow the next edit."""
    synthetic_record_generate(events=120, actors=20, sources=30, seed=4)
    synthetic_record_generate(events=60, actors=10, sources=10, seed=5, append=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM events_event e WHERE e.search_document IS DISTINCT FROM "
            "timeline_event_search_document(e) OR e.search_grams IS DISTINCT FROM "
            "timeline_search_grams(e.search_document) OR e.search_document = ''"
        )
        assert cursor.fetchone() == (0,)
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'O' "
            "AND tgfoid::regproc::text LIKE 'timeline%%search%%'"
        )
        assert cursor.fetchone() == (11,)
        cursor.execute(
            "SELECT count(*) FROM pg_indexes "
            "WHERE indexname IN ('event_search_grams', 'event_search_trigrams')"
        )
        assert cursor.fetchone() == (2,)
    event = Event.objects.order_by("-id").first()
    CitationFactory(event=event, quote="Quokka sighting in the archive")
    assert event.slug in found("quokka")


def found(query: str) -> set[str]:
    return set(search_events(Event.objects.all(), query).values_list("slug", flat=True))


def test_the_document_follows_edits_of_every_searched_text() -> None:
    event = EventFactory(slug="opening", title_en="Opening ceremony", summary_en="")
    li = ActorFactory(slug="li-qiang", name_en="Li Qiang", name_zh="李强")
    assert found("李強") == set()

    participation = ParticipationFactory(event=event, actor=li)
    assert found("李強") == {"opening"}
    alias = ActorAliasFactory(actor=li, name="Premier Li", language="en", script="Latn")
    assert found("premier") == {"opening"}
    ActorAlias.objects.filter(pk=alias.pk).update(name="State Councillor")
    assert found("premier") == set() and found("councillor") == {"opening"}
    Actor.objects.filter(pk=li.pk).update(name_zh="李克强")
    assert found("李克強") == {"opening"}

    source = SourceFactory(text="中方倡议成立世界人工智能合作组织。")
    citation = CitationFactory(event=event, source=source, quote="世界人工智能合作组织")
    assert found("合作組織") == {"opening"}
    Citation.objects.filter(pk=citation.pk).delete()
    assert found("合作組織") == set()

    Event.objects.filter(pk=event.pk).update(title_en="Closing ceremony")
    assert found("opening") == set() and found("closing") == {"opening"}
    Participation.objects.filter(pk=participation.pk).delete()
    assert found("李克強") == set()


@pytest.mark.parametrize("query", ["峰", "峰会", "人工智能", "AI", "é"])
def test_short_and_non_ascii_terms_are_read_from_the_pair_index(query: str) -> None:
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute("DROP INDEX IF EXISTS event_search_trigrams")
    assert "event_search_grams" in plan_of(query)


def test_longer_ascii_terms_are_read_from_the_trigram_index_where_pg_trgm_is_installed() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            pytest.skip("pg_trgm is not installed in this database")
    assert "event_search_trigrams" in plan_of("summit")


def plan_of(query: str) -> str:
    """The plan of a search with only bitmap scans allowed (the tables are tiny): an index the query
    cannot use is absent from it."""
    sql, params = search_events(Event.objects.all(), query).values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_search_inside_a_subquery_reads_the_subquery_s_own_rows() -> None:
    """Searched events used as ``IN (subquery)`` (the histogram re-selects them so): the document
    condition follows the subquery's table alias, whatever the outer query's table."""
    from events.selectors.histogram import event_histogram

    li = ActorFactory(slug="li-qiang", name_en="Li Qiang")
    summit = EventFactory(slug="summit", title_en="Summit", date="2025-07-01")
    ParticipationFactory(event=summit, actor=li)
    ParticipationFactory(event=EventFactory(slug="other", title_en="Budget", date="2024-07-01"), actor=li)
    searched = search_events(Event.objects.all(), "summit")
    histogram = event_histogram(searched, interval="year")
    assert (histogram["total"], [bucket["period"] for bucket in histogram["buckets"]]) == (1, ["2025"])
    in_searched = Participation.objects.order_by().filter(event__in=searched.values("id"))
    assert list(in_searched.values_list("event_id", flat=True)) == [summit.id]  # no join to events


def stored_document(event: Event) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_document FROM events_event WHERE id = %s", [event.id])
        return cursor.fetchone()[0]


def test_saving_an_actor_or_a_citation_unchanged_rebuilds_no_document() -> None:
    """A busy actor is in a fifth of the events: saving it (the admin does, touching updated_at) must
    not rebuild their documents (10 s at 100k events); renaming it does."""
    event = EventFactory(slug="opening", title_en="Opening ceremony")
    li = ActorFactory(slug="li-qiang", name_en="Li Qiang", name_zh="李强")
    ParticipationFactory(event=event, actor=li)
    citation = CitationFactory(event=event, source=SourceFactory(text="开幕式隆重举行。"), quote="开幕式")
    with connection.cursor() as cursor:  # a marker that any rebuild would overwrite
        cursor.execute("UPDATE events_event SET search_document = 'UNTOUCHED' WHERE id = %s", [event.id])
    li.save()
    citation.save()
    ActorAlias.objects.filter(actor=li).update(updated_at=li.updated_at)
    Participation.objects.filter(event=event).update(updated_at=li.updated_at)
    assert stored_document(event) == "UNTOUCHED"
    li.name_en = "Li Keqiang"
    li.save()
    assert "LI KEQIANG" in stored_document(event) and found("keqiang") == {"opening"}
