"""The change feed (GET /api/v1/changes/): a client that replays it holds exactly what the API serves."""

from __future__ import annotations

import base64
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.http import http_date
from rest_framework.test import APIClient

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
from events.selectors.changes import (
    HISTORY_TABLES,
    RESOURCE_TYPES,
    ChangeCursor,
    change_feed_page,
)
from events.services.events import event_set_status
from tests import factories
from tests.api.conftest import error_of

FEED = "/api/v1/changes/"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_settle_window")]


@pytest.fixture
def no_settle_window() -> Any:
    """These tests write and read in one thread: nothing commits late, so the feed need not wait."""
    with override_settings(CHANGE_FEED_SETTLE_SECONDS=0):
        yield


class ReplayingClient:
    """A sync client written as the feed's documentation says: apply each entry in order, read on while
    ``has_more``, keep ``next``. It fetches each changed record from the ``url`` the entry gives."""

    def __init__(self, client: APIClient, limit: int = 3) -> None:
        self.client = client
        self.limit = limit
        self.cursor: str | None = None
        self.store: dict[tuple[str, int], dict[str, Any]] = {}
        self.answers: list[bytes] = []
        self.entries: list[dict[str, Any]] = []

    def sync(self) -> None:
        for _ in range(1000):
            params: dict[str, Any] = {"limit": self.limit}
            if self.cursor is not None:
                params["since"] = self.cursor
            response = self.client.get(FEED, params)
            assert response.status_code == 200, response.content
            self.answers.append(response.content)
            page = response.json()
            self.entries += page["results"]
            for entry in page["results"]:
                key = (entry["type"], entry["id"])
                if entry["action"] == "deleted":
                    assert entry["url"] is None
                    self.store.pop(key, None)
                else:
                    record = self.client.get(entry["url"])
                    assert record.status_code == 200, (entry, record.content)
                    self.store[key] = record.json()
            self.cursor = page["next"]
            if not page["has_more"]:
                return
        raise AssertionError("the feed never stopped saying has_more")


def served(client: APIClient) -> dict[tuple[str, int], dict[str, Any]]:
    """Every record the API's lists serve to this client, all pages."""
    records = {}
    for type_name in RESOURCE_TYPES:
        url: str | None = f"/api/v1/{type_name}s/?limit=2"
        while url:
            response = client.get(url)
            assert response.status_code == 200, response.content
            body = response.json()
            for item in body["results"]:
                records[(type_name, item["id"])] = item
            url = body["next"]
    return records


def assert_replica_matches(replica: ReplayingClient) -> None:
    expected = served(replica.client)
    assert sorted(replica.store) == sorted(expected)
    for key, listed in expected.items():
        stored = replica.store[key]
        # A source's detail adds its captured texts to what the list shows; everything else is the same.
        assert {field: stored[field] for field in listed} == listed, key


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


def test_a_replaying_client_holds_exactly_what_the_api_serves(
    anonymous: APIClient, curator_client: APIClient
) -> None:
    replicas = {"anonymous": ReplayingClient(anonymous), "curator": ReplayingClient(curator_client)}

    def sync_and_compare() -> None:
        for replica in replicas.values():
            replica.sync()
            assert_replica_matches(replica)

    # A small record: tagged, located events with actors (and aliases), sources (with publishers), relations.
    peace, trade = factories.TagFactory(slug="peace"), factories.TagFactory(slug="trade")
    geneva = factories.LocationFactory(slug="geneva", name_en="Geneva")
    minister = factories.ActorFactory(slug="minister", name_en="The Minister")
    factories.ActorAliasFactory(actor=minister, name="Minister")
    outlet = factories.ActorFactory(slug="outlet", name_en="Daily Outlet", kind=Actor.Kind.MEDIA_OUTLET)
    report = factories.SourceFactory(slug="report", publisher=outlet)
    summit = factories.EventFactory(slug="summit", location=geneva, tags=[peace, trade])
    talks = factories.EventFactory(slug="talks", tags=[peace])
    factories.ParticipationFactory(event=summit, actor=minister)
    factories.CitationFactory(event=summit, source=report)
    factories.EventRelationFactory(from_event=talks, to_event=summit, relation=EventRelation.Relation.PART_OF)
    draft = factories.EventFactory(slug="secret-plan", title_en="Secret plan", status=Event.Status.DRAFT)
    factories.ParticipationFactory(event=draft, actor=minister, role="speaker")
    sync_and_compare()

    # Writes through the API, as curators make them.
    response = curator_client.patch(f"/api/v1/events/{summit.id}/", {"title_en": "The summit"}, format="json")
    assert response.status_code == 200, response.content
    response = curator_client.post(
        "/api/v1/events/",
        {"slug": "new-draft", "title_en": "Unfinished draft", "date": "2025-08", "tags": ["trade"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    new_draft = Event.objects.get(slug="new-draft")
    sync_and_compare()

    # Publishing, renaming what events embed, unpublishing, retracting.
    event_set_status(event=new_draft, status=Event.Status.PUBLISHED)
    minister.name_en = "The Foreign Minister"
    minister.save()
    outlet.name_en = "Daily Outlet International"
    outlet.save()
    geneva.name_en = "Genève"
    geneva.save()
    sync_and_compare()

    event_set_status(event=talks, status=Event.Status.REVIEW)  # unpublished: gone for the public
    factories.ParticipationFactory(
        event=draft, actor=outlet, role="reporter"
    )  # a draft's row: public sees nothing
    sync_and_compare()

    event_set_status(event=summit, status=Event.Status.RETRACTED)
    ActorAlias.objects.filter(actor=minister).update(name="FM")  # bypasses history: must not matter below
    alias = ActorAlias.objects.get(actor=minister)
    alias.name = "Foreign Minister"
    alias.save()
    sync_and_compare()

    # Deletes: an event, a tag (its events lose it), a citation, a relation; a source retitled.
    event_set_status(event=summit, status=Event.Status.PUBLISHED)
    Citation.objects.get(event=summit).delete()
    report.title = "The report, corrected"
    report.save()
    factories.EventRelationFactory(from_event=new_draft, to_event=summit)
    sync_and_compare()

    draft_id = draft.id
    trade.delete()
    talks.delete()
    draft.delete()
    sync_and_compare()

    # The public never heard of the draft that was never published: not its id, not its title.
    public = replicas["anonymous"]
    assert b"Secret plan" not in b"".join(public.answers)
    assert ("event", draft_id) not in {(entry["type"], entry["id"]) for entry in public.entries}
    assert ("event", draft_id) in {(entry["type"], entry["id"]) for entry in replicas["curator"].entries}


def feed(client: APIClient, **params: Any) -> dict[str, Any]:
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    return response.json()


def entries(page: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [(entry["type"], entry["id"], entry["action"]) for entry in page["results"]]


def test_a_draft_and_everything_it_touches_stay_out_of_the_public_feed(
    anonymous: APIClient, curator_client: APIClient
) -> None:
    actor = factories.ActorFactory()
    start = feed(anonymous)["next"]
    draft = factories.EventFactory(title_en="Not yet announced", status=Event.Status.DRAFT)
    factories.ParticipationFactory(event=draft, actor=actor)
    factories.CitationFactory(event=draft)
    draft.title_en = "Still not announced"
    draft.save()

    public = feed(anonymous, since=start)
    curators = feed(curator_client, since=start)

    assert ("event", draft.id, "updated") not in entries(public)
    assert all(entry["type"] != "event" for entry in public["results"])
    assert ("actor", actor.id, "updated") not in entries(
        public
    )  # its event count for the public is unchanged
    assert b"announced" not in anonymous.get(FEED, {"since": start}).content
    assert ("event", draft.id, "updated") in entries(curators)
    assert ("actor", actor.id, "updated") in entries(curators)


@pytest.mark.parametrize(
    ("make_hidden", "curator_action"),
    [
        (lambda event: event_set_status(event=event, status=Event.Status.REVIEW), "updated"),
        (lambda event: event_set_status(event=event, status=Event.Status.RETRACTED), "updated"),
        (lambda event: event.delete(), "deleted"),
    ],
    ids=["unpublished", "retracted", "deleted"],
)
def test_an_event_the_public_can_no_longer_see_is_a_tombstone(
    anonymous: APIClient, curator_client: APIClient, make_hidden: Any, curator_action: str
) -> None:
    event = factories.EventFactory()
    event_id = event.id
    start = feed(anonymous)["next"]

    make_hidden(event)

    public = feed(anonymous, since=start)["results"]
    assert public == [
        {
            "type": "event",
            "id": event_id,
            "action": "deleted",
            "changed_at": public[0]["changed_at"],
            "url": None,
        }
    ]
    assert (("event", event_id, curator_action)) in entries(feed(curator_client, since=start))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("alias", {("actor", "minister")}),
        ("participation", {("event", "summit"), ("actor", "minister")}),
        ("citation", {("event", "summit"), ("source", "report")}),
        ("relation", {("event", "summit"), ("event", "talks")}),
        ("actor renamed", {("actor", "minister"), ("event", "summit")}),
        ("publisher renamed", {("actor", "outlet"), ("source", "report"), ("event", "summit")}),
        ("tag renamed", {("tag", "peace"), ("event", "summit")}),
        ("location renamed", {("location", "geneva"), ("event", "summit")}),
        ("event retitled", {("event", "talks"), ("event", "summit")}),
        ("event with actors retitled", {("event", "summit"), ("event", "talks"), ("actor", "minister")}),
    ],
)
def test_a_change_is_listed_for_every_record_whose_representation_it_changes(
    anonymous: APIClient, change: str, expected: set[tuple[str, str]]
) -> None:
    peace = factories.TagFactory(slug="peace")
    geneva = factories.LocationFactory(slug="geneva")
    minister = factories.ActorFactory(slug="minister")
    outlet = factories.ActorFactory(slug="outlet")
    report = factories.SourceFactory(slug="report", publisher=outlet)
    summit = factories.EventFactory(slug="summit", tags=[peace], location=geneva)
    talks = factories.EventFactory(slug="talks")
    factories.ParticipationFactory(event=summit, actor=minister)
    factories.CitationFactory(event=summit, source=report)
    if change != "relation":
        factories.EventRelationFactory(from_event=talks, to_event=summit)
    start = feed(anonymous)["next"]

    if change == "alias":
        factories.ActorAliasFactory(actor=minister)
    elif change == "participation":
        Participation.objects.get(event=summit).delete()
    elif change == "citation":
        citation = Citation.objects.get(event=summit)
        citation.quote = "something"
        citation.save()
    elif change == "relation":
        factories.EventRelationFactory(from_event=talks, to_event=summit)
    else:
        record, field = {
            "actor renamed": (minister, "name_en"),
            "publisher renamed": (outlet, "name_en"),
            "tag renamed": (peace, "name_en"),
            "location renamed": (geneva, "name_en"),
            "event retitled": (talks, "title_en"),
            "event with actors retitled": (summit, "title_en"),
        }[change]
        setattr(record, field, "Renamed")
        record.save()

    slugs = {
        model_type: dict(model.objects.values_list("id", "slug"))
        for model_type, model in [("event", Event), ("actor", Actor), ("source", Source), ("tag", Tag)]
    }
    slugs["location"] = dict(Location.objects.values_list("id", "slug"))
    listed = {
        (entry["type"], slugs[entry["type"]][entry["id"]])
        for entry in feed(anonymous, since=start)["results"]
    }
    assert listed == expected


def test_entries_come_oldest_first_each_record_once_per_page(anonymous: APIClient) -> None:
    first, second = factories.TagFactory(slug="first"), factories.TagFactory(slug="second")
    start = feed(anonymous)["next"]
    first.name_en = "First"
    first.save()
    second.name_en = "Second"
    second.save()
    first.name_en = "First again"
    first.save()

    page = feed(anonymous, since=start)

    assert entries(page) == [("tag", second.id, "updated"), ("tag", first.id, "updated")]
    assert page["results"][0]["url"].endswith(f"/api/v1/tags/{second.id}/")
    assert page["has_more"] is False


def test_a_change_that_touches_many_records_is_paged_without_losing_or_repeating_any(
    anonymous: APIClient,
) -> None:
    actor = factories.ActorFactory()
    events = [factories.ParticipationFactory(actor=actor).event for _ in range(7)]
    start = feed(anonymous)["next"]
    actor.name_en = "Renamed"
    actor.save()

    pages, cursor = [], start
    for _ in range(10):
        page = feed(anonymous, since=cursor, limit=3)
        pages.append(entries(page))
        cursor = page["next"]
        if not page["has_more"]:
            break

    assert [len(page) for page in pages] == [3, 3, 2]
    delivered = [item for page in pages for item in page]
    assert sorted(delivered) == sorted(
        [("event", event.id, "updated") for event in events] + [("actor", actor.id, "updated")]
    )


def test_since_now_starts_from_this_moment(anonymous: APIClient) -> None:
    factories.TagFactory()
    page = feed(anonymous, since="now")
    assert page["results"] == [] and page["has_more"] is False

    later = factories.TagFactory()

    assert entries(feed(anonymous, since=page["next"])) == [("tag", later.id, "created")]


def test_with_nothing_new_the_cursor_stays_and_the_answer_is_empty(anonymous: APIClient) -> None:
    factories.TagFactory()
    cursor = feed(anonymous)["next"]

    page = feed(anonymous, since=cursor)

    assert page == {"results": [], "next": cursor, "has_more": False}


def encoded(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "since",
    [
        "yesterday",
        "2025-01-01",
        "%%%",
        encoded("2.0.0.0.5.0"),
        encoded("1.0.0.0"),
        encoded("1.0.99.0.5.0"),
        encoded("1.x.0.0.5.0"),
        encoded("1.99999999999999999999.0.0.5.0"),
    ],
)
def test_a_bad_cursor_is_a_400_naming_since(anonymous: APIClient, since: str) -> None:
    error = error_of(anonymous.get(FEED, {"since": since}), 400)
    assert set(error["fields"]) == {"since"}
    assert "cursor" in error["fields"]["since"][0]


@pytest.mark.parametrize("limit", ["0", "1001", "ten", "-3"])
def test_a_bad_limit_is_a_400_naming_limit(anonymous: APIClient, limit: str) -> None:
    error = error_of(anonymous.get(FEED, {"limit": limit}), 400)
    assert set(error["fields"]) == {"limit"}


def test_writes_to_the_feed_are_refused(curator_client: APIClient) -> None:
    assert curator_client.post(FEED, {}, format="json").status_code == 405


@override_settings(CHANGE_FEED_SETTLE_SECONDS=5)
def test_a_change_dated_before_one_already_served_but_committed_later_is_not_skipped() -> None:
    """The settle window: rows younger than it are held back, so a slow transaction's earlier-dated row
    cannot land behind the cursor of a client that already read past its date."""
    now = timezone.now()
    history = Tag.history.model  # type: ignore[attr-defined]
    quick = factories.TagFactory(slug="quick")
    history.objects.filter(id=quick.id).update(history_date=now - timedelta(seconds=1))

    first = change_feed_page(user=AnonymousUser(), since=None, now=now)
    assert first.entries == []  # "quick" committed, but is inside the window: held back

    # A transaction that began earlier commits now, with a row dated before "quick".
    slow = factories.TagFactory(slug="slow")
    history.objects.filter(id=slow.id).update(history_date=now - timedelta(seconds=2))

    later = change_feed_page(user=AnonymousUser(), since=first.next_cursor, now=now + timedelta(seconds=10))
    assert [(entry.type, entry.id) for entry in later.entries] == [("tag", slow.id), ("tag", quick.id)]

    # Without the window, the first read would have served "quick" and moved past "slow" for good.
    with override_settings(CHANGE_FEED_SETTLE_SECONDS=0):
        history.objects.filter(id=slow.id).delete()
        naive = change_feed_page(user=AnonymousUser(), since=None, now=now)
        history.objects.create(
            id=slow.id,
            slug="slow",
            name_en="slow",
            name_zh="",
            history_type="+",
            history_date=now - timedelta(seconds=2),
            created_at=now,
            updated_at=now,
        )
        missed = change_feed_page(user=AnonymousUser(), since=naive.next_cursor, now=now)
    assert [(entry.type, entry.id) for entry in naive.entries] == [("tag", quick.id)]
    assert missed.entries == []


def test_the_order_is_total_across_tables_with_equal_dates() -> None:
    """Rows of different tables with the same history_date are ordered by table, then history_id."""
    when = timezone.now() - timedelta(seconds=30)
    tag, location = factories.TagFactory(), factories.LocationFactory()
    for model, record in [(Tag, tag), (Location, location)]:
        model.history.model.objects.filter(id=record.id).update(history_date=when)  # type: ignore[attr-defined]

    seen = []
    cursor = None
    for _ in range(5):
        page = change_feed_page(user=AnonymousUser(), since=cursor, limit=1)
        seen += [(entry.type, entry.id) for entry in page.entries]
        cursor = page.next_cursor
        if not page.has_more:
            break
    ranks = {table.kind: table.rank for table in HISTORY_TABLES}
    assert ranks["location"] < ranks["tag"]
    assert seen == [("location", location.id), ("tag", tag.id)]


def test_a_cursor_survives_encoding() -> None:
    cursor = ChangeCursor(timezone.now(), 3, 12345, 1, 678)
    assert ChangeCursor.decode(cursor.encode()) == cursor


def test_a_feed_page_costs_a_bounded_number_of_queries_whatever_its_size(
    anonymous: APIClient, django_assert_max_num_queries: Any
) -> None:
    tag, location = factories.TagFactory(), factories.LocationFactory()
    for index in range(40):
        event = factories.EventFactory(tags=[tag], location=location)
        factories.ParticipationFactory(event=event)
        factories.CitationFactory(event=event)
        if index:
            factories.EventRelationFactory(from_event=event, to_event=Event.objects.first())
        factories.ActorAliasFactory()

    for limit in (10, 500):
        with django_assert_max_num_queries(18):
            page = feed(anonymous, limit=limit)
        assert len(page["results"]) >= min(limit, 40) // 3


def test_pages_are_full_while_more_is_waiting(anonymous: APIClient, curator_client: APIClient) -> None:
    """Records changed twice and drafts' changes are left out of a page; the page reads on to fill up."""
    for index in range(12):
        event = factories.EventFactory(slug=f"public-{index}")
        event.title_en = f"Renamed {index}"
        event.save()
        draft = factories.EventFactory(slug=f"draft-{index}", status=Event.Status.DRAFT)
        factories.ParticipationFactory(event=draft)
    page = feed(anonymous, limit=10)
    assert page["has_more"]
    assert len(page["results"]) == 10
    rest = feed(anonymous, limit=100, since=page["next"])
    seen = [entry["id"] for entry in page["results"] + rest["results"] if entry["type"] == "event"]
    assert sorted(seen) == sorted(
        Event.objects.filter(slug__startswith="public-").values_list("id", flat=True)
    )


def test_a_change_held_back_by_the_settle_window_does_not_date_the_page(anonymous: APIClient) -> None:
    """Last-Modified is the newest change the page could show: once the held change is served, a client
    holding the earlier page must not get a 304."""
    served_early = factories.TagFactory(slug="served-early")
    held_back = factories.TagFactory(slug="held-back")
    two_hours_ago = timezone.now() - timedelta(hours=2)
    Tag.history.filter(id=served_early.id).update(history_date=two_hours_ago)  # type: ignore[attr-defined]
    Tag.history.filter(id=held_back.id).update(  # type: ignore[attr-defined]
        history_date=timezone.now() - timedelta(minutes=30)
    )
    with override_settings(CHANGE_FEED_SETTLE_SECONDS=3600):
        first = anonymous.get(FEED)
    assert [entry["id"] for entry in first.json()["results"]] == [served_early.id]
    assert first["Last-Modified"] == http_date(int(two_hours_ago.timestamp()))

    with override_settings(CHANGE_FEED_SETTLE_SECONDS=60):
        later = anonymous.get(FEED, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert later.status_code == 200
    assert held_back.id in [entry["id"] for entry in later.json()["results"]]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite commits one writer at a time: the window is the rule"
)
@pytest.mark.django_db(transaction=True)
def test_a_long_transaction_holds_the_feed_back_until_it_commits(anonymous: APIClient) -> None:
    """A change dated before one already served, committed by a transaction that ran far longer than the
    settle window (an 18 s ingestion, say), is still listed after the cursor a client was handed."""
    written, release = threading.Event(), threading.Event()

    def long_transaction() -> None:
        try:
            with transaction.atomic():
                factories.TagFactory(slug="slow")
                written.set()
                release.wait(timeout=30)
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=long_transaction)
    thread.start()
    try:
        assert written.wait(timeout=30)
        quick = factories.TagFactory(slug="quick")  # committed at once, dated after "slow"
        first = anonymous.get(FEED).json()
        assert ("tag", quick.id) not in {(entry["type"], entry["id"]) for entry in first["results"]}
    finally:
        release.set()
        thread.join(timeout=30)
    later = anonymous.get(FEED, {"since": first["next"]}).json()
    slow = Tag.objects.get(slug="slow")
    listed = [(entry["type"], entry["id"]) for entry in later["results"]]
    assert listed == [("tag", slow.id), ("tag", quick.id)]
