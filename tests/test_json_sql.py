"""The representation written by PostgreSQL (events/read/json_sql.py) is, byte for byte, the one
events.presentation builds and orjson writes: over hostile texts, every date form, missing parts,
relations to drafts, and generated records."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import orjson
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.languages import EN, LANGUAGES, ZH_HANS, ZH_HANT
from events.models import Event, Source
from events.orderings import EVENT_ORDERINGS
from events.presentation import event_link, event_representations
from events.read import json_sql
from events.selectors.events import event_list
from events.selectors.lookups import id_or_slug_lookup
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EventFactory,
    EventRelationFactory,
    LocationFactory,
    ParticipationFactory,
    SourceFactory,
    TagFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the JSON is written by PostgreSQL"),
]

HOSTILE = (
    'quote " backslash \\ slash / tab \t newline \n bell \x07 unit \x1f del \x7f 😀 𠀀 \u2028 \ufeff 国际'
)


def python_texts(events: Any, language: str) -> list[bytes]:
    request = RequestFactory().get("/api/v1/events/")
    rows = event_representations(events, language=language, user=AnonymousUser(), request=request)
    return [orjson.dumps(row) for row in rows]


def database_texts(events: Any, language: str) -> list[bytes]:
    link = event_link(RequestFactory().get("/api/v1/events/"))
    assert link is not None
    ids = [row["id"] for row in json_sql.event_keys(events, ("id",))]
    texts = json_sql.event_json_texts(ids, language=language, link=link, using=events.db)
    return [text.encode() for text in texts]


def assert_same(events: Any) -> int:
    for language in json_sql.LANGUAGES:
        expected, written = python_texts(events, language), database_texts(events, language)
        assert len(written) == len(expected)
        for mine, theirs in zip(written, expected, strict=True):
            assert mine == theirs, f"{language}:\n{mine.decode()}\n!=\n{theirs.decode()}"
    return len(expected)


@pytest.fixture
def hostile_record() -> list[Event]:
    """Events with every part of the representation present, absent or hostile."""
    tag_b, tag_a = (
        TagFactory(slug="b-tag", name_en=HOSTILE),
        TagFactory(slug="a-tag", name_en="", name_zh="标签"),
    )
    place = LocationFactory(slug="nowhere", name_en="", name_zh="上海")
    speaker = ActorFactory(slug="speaker", name_en="Li Qiang", name_zh="李强")
    chinese_only = ActorFactory(slug="zh-only", name_en="", name_zh="新华社")
    no_name = ActorFactory(slug="no-name", name_en="", name_zh="")
    dates = ["2023", "2023-10", "2025-07-26", "2025-07-26/2025-07-28", "2023~", "2024?", "../2020", "2021/.."]
    events = []
    for number, date in enumerate(dates):
        event = EventFactory(
            slug=f"hostile-{number}",
            title_en=HOSTILE if number == 0 else ("" if number == 1 else f"Event {number}"),
            title_zh="" if number == 2 else f"事件{number}",
            summary_en="" if number % 2 else HOSTILE,
            summary_zh="",
            date=date,
            location=place if number % 3 == 0 else None,
            tags=[tag_b, tag_a] if number % 2 == 0 else [],
        )
        events.append(event)
    first = events[0]
    ParticipationFactory(event=first, actor=speaker, role="speaker")
    ParticipationFactory(event=first, actor=chinese_only)
    ParticipationFactory(event=first, actor=no_name, role="")
    # Quotes: an inline pinyin annotation the public does not see, real parentheses that stay.
    CitationFactory(event=first, quote="全球人工智能治理國(guó)際合作")
    CitationFactory(event=first, quote="a byline (AI) stays, " + HOSTILE)
    CitationFactory(event=first, source=SourceFactory(publisher=None, url=None, published=""), quote="")
    CitationFactory(event=events[1], source=SourceFactory(publisher=chinese_only, published="2024-04"))
    CitationFactory(event=events[4], quote="人工智能治理國（guó）際合作")  # in full-width parentheses
    # Related both ways round, to events dated alike (ordered by id, then relation), and to a draft.
    draft = EventFactory(slug="draft", status=Event.Status.DRAFT)
    EventRelationFactory(from_event=first, to_event=events[2], relation="follows")
    EventRelationFactory(from_event=events[2], to_event=first, relation="part_of")
    EventRelationFactory(from_event=first, to_event=events[3], relation="commentary_on")
    EventRelationFactory(from_event=first, to_event=events[6], relation="related_to")
    EventRelationFactory(from_event=first, to_event=draft, relation="follows")
    # Moments with and without microseconds.
    Event.objects.filter(pk=first.pk).update(created_at=dt.datetime(2024, 4, 3, 8, 5, 9, tzinfo=dt.UTC))
    Event.objects.filter(pk=events[1].pk).update(
        updated_at=dt.datetime(1999, 12, 31, 23, 59, 59, 120, tzinfo=dt.UTC)
    )
    return events


def test_every_part_of_hostile_events_is_written_as_the_python_representation(hostile_record: Any) -> None:
    events = event_list(user=AnonymousUser())
    assert assert_same(events) == len(hostile_record)


def test_the_public_quote_is_cleaned_and_real_parentheses_stay(hostile_record: Any) -> None:
    first = Event.objects.filter(pk=hostile_record[0].pk)
    quotes = [citation["quote"] for citation in orjson.loads(database_texts(first, EN)[0])["citations"]]
    assert quotes[0] == "全球人工智能治理國際合作"
    assert quotes[1].startswith("a byline (AI) stays")
    full_width = Event.objects.filter(pk=hostile_record[4].pk)
    (citation,) = orjson.loads(database_texts(full_width, EN)[0])["citations"]
    assert citation["quote"] == "人工智能治理國際合作"


def test_related_drafts_are_left_out_and_the_rest_come_by_date_then_id_then_relation(
    hostile_record: Any,
) -> None:
    first = Event.objects.filter(pk=hostile_record[0].pk)
    related = orjson.loads(database_texts(first, EN)[0])["related"]
    assert "draft" not in {item["title"] for item in related}
    # "../2020" starts at the open start, before 2025; events[2] and [3] start on the same day.
    assert [(item["id"], item["relation"]) for item in related] == [
        (hostile_record[6].pk, "related_to"),
        (hostile_record[2].pk, "follows"),
        (hostile_record[2].pk, "has_part"),
        (hostile_record[3].pk, "commentary_on"),
    ]


@pytest.mark.parametrize("ordering", sorted(EVENT_ORDERINGS))
def test_a_page_keeps_its_order_and_its_slice(hostile_record: Any, ordering: str) -> None:
    columns = EVENT_ORDERINGS[ordering].columns
    events = event_list(user=AnonymousUser()).order_by(*EVENT_ORDERINGS[ordering].order_by())[2:6]
    rows = json_sql.event_keys(events, columns)
    expected = list(events.values(*columns))
    assert rows == expected and len(rows) == 4
    texts = database_texts(events, EN)
    assert [orjson.loads(text)["id"] for text in texts] == [row["id"] for row in rows]


def test_generated_records_are_written_as_the_python_representation() -> None:
    call_command("generate_events", "--events", "400", "--actors", "30", "--sources", "90", stdout=StringIO())
    Event.objects.filter(pk__in=Event.objects.order_by("id").values("pk")[:50]).update(
        updated_at=timezone.now()
    )
    Source.objects.filter(pk__in=Source.objects.order_by("id").values("pk")[:10]).update(publisher=None)
    assert assert_same(event_list(user=AnonymousUser())) > 300


def test_traditional_chinese_and_other_databases_keep_the_python_representation() -> None:
    assert set(json_sql.LANGUAGES) == set(LANGUAGES) - {ZH_HANT}
    assert json_sql.supports(ZH_HANS, "default")
    assert not json_sql.supports(ZH_HANT, "default")
    with override_settings(API_JSON_IN_DATABASE=False):
        assert not json_sql.supports(EN, "default")


def test_a_detail_by_id_or_slug_is_written_as_the_python_representation(hostile_record: Any) -> None:
    link = event_link(RequestFactory().get("/api/v1/events/"))
    assert link is not None
    for event in hostile_record:
        for language in json_sql.LANGUAGES:
            (expected,) = python_texts(Event.objects.filter(pk=event.pk), language)
            for key in (str(event.pk), event.slug):
                found = json_sql.event_json_detail(id_or_slug_lookup(key), language=language, link=link)
                assert found == expected


def test_a_detail_the_public_may_not_see_or_that_is_not_there_is_none(hostile_record: Any) -> None:
    draft = EventFactory(slug="a-draft", status=Event.Status.DRAFT)
    for key in (str(draft.pk), draft.slug, "no-such-event", "0", str(2**63 - 1), str(2**64)):
        assert json_sql.event_json_detail(id_or_slug_lookup(key), language=EN, link="http://x/") is None


def test_postgresql_escapes_strings_as_orjson_does() -> None:
    characters = [chr(code) for code in range(1, 0x3000) if not 0xD800 <= code < 0xE000]
    characters += ["\ufeff", "\uffff", "😀", "𠀀", "a\\b", 'say "hi"', "</script>"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_json(text)::text FROM unnest(%s::text[]) AS text", [characters])
        written = [text for (text,) in cursor.fetchall()]
    assert written == [orjson.dumps(character).decode() for character in characters]


def test_behind_a_transaction_pooler_the_statements_run_unprepared(
    hostile_record: Any, monkeypatch: Any
) -> None:
    """DATABASE_DISABLE_SERVER_SIDE_CURSORS (pgbouncer in transaction mode): the same texts, no PREPARE."""
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    first = hostile_record[0]
    with CaptureQueriesContext(connection) as captured:
        assert_same(event_list(user=AnonymousUser()))
        link = "http://testserver/api/v1/events/"
        detail = json_sql.event_json_detail(id_or_slug_lookup(first.slug), language=EN, link=link)
    assert detail == python_texts(Event.objects.filter(pk=first.pk), EN)[0]
    assert not any(
        "PREPARE" in query["sql"] or "EXECUTE" in query["sql"] for query in captured.captured_queries
    )


def test_an_event_deleted_between_the_two_statements_is_left_out(hostile_record: Any) -> None:
    """The page's keys and its texts are two statements: an event deleted in between is not an error."""
    ids = [event.pk for event in hostile_record[:3]]
    Event.objects.filter(pk=ids[1]).delete()
    texts = json_sql.event_json_texts(ids, language=EN, link="http://x/", using="default")
    assert [orjson.loads(text)["id"] for text in texts] == [ids[0], ids[2]]
