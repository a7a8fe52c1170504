"""Reads on a real PostgreSQL streaming replica: anonymous readers use it, curators and writes never do.

The standby is a real one (.ci/run: pg_basebackup from the throwaway primary, streaming on another port);
the test database reaches it by replication, like everything else. To make "served by the replica"
observable rather than a matter of timing, a test pauses the standby's replay: whatever the primary
writes meanwhile is on the primary only, until replay resumes.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connections, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import Event
from events.services.event_links import event_save
from tests.factories import EventFactory, curator
from tests.scaleout.replica import REPLICA, in_recovery, replay_paused, wait_until, wait_until_replicated
from timeline.db_routers import reads_from

pytestmark = [
    pytest.mark.scaleout("replica"),
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]


def event_url(event: Event) -> str:
    return f"/api/v1/events/{event.pk}/"


def title_seen_by(client: APIClient, event: Event) -> str:
    response = client.get(event_url(event))
    assert response.status_code == 200, response.content
    return response.json()["title"]


def published_event(title: str) -> Event:
    """A published event that the replica has received."""
    event = EventFactory(title_en=title)
    wait_until_replicated(Event.objects.filter(pk=event.pk, title_en=title))
    return event


def signed_in_curator(how: str) -> APIClient:
    client = APIClient()
    user = curator()
    if how == "token":
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    else:
        client.force_login(user)
    return client


def test_the_replica_is_a_read_only_standby_of_the_primary() -> None:
    event = published_event("Replicated")

    assert in_recovery(REPLICA)
    assert not in_recovery("default")
    with pytest.raises(DatabaseError, match="read-only transaction"):
        Event.objects.using(REPLICA).filter(pk=event.pk).update(title_en="Written on the replica")


def test_an_anonymous_reader_is_served_by_the_replica(api_client: APIClient) -> None:
    event = published_event("On both")

    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        assert title_seen_by(api_client, event) == "On both"
        assert api_client.get("/api/v1/events/").status_code == 200

    assert on_replica.captured_queries, "the anonymous reads should have run on the replica"
    assert on_primary.captured_queries == [], "an anonymous read should not touch the primary"


@pytest.mark.parametrize("signed_in_by", ["token", "session"])
def test_a_curator_reads_their_own_write_at_once_and_anonymous_readers_after_replication(
    signed_in_by: str, api_client: APIClient
) -> None:
    event = published_event("Before")
    curator_client = signed_in_curator(signed_in_by)

    with replay_paused():
        response = curator_client.patch(event_url(event), {"title_en": "After"}, format="json")
        assert response.status_code == 200, response.content
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert title_seen_by(curator_client, event) == "After"
        assert on_replica.captured_queries == [], "a curator's reads should all run on the primary"
        # The standby has not replayed the change: an anonymous reader still sees the old title.
        assert title_seen_by(api_client, event) == "Before"

    wait_until(lambda: title_seen_by(api_client, event) == "After", "anonymous readers to see the change")


def test_writes_and_transactions_use_the_primary_while_reads_use_the_replica() -> None:
    with reads_from(REPLICA):  # as during an anonymous request
        # Saved on the primary: a write routed to the read-only replica would fail.
        event = EventFactory(title_en="Created")
        assert event._state.db == "default"
        wait_until_replicated(Event.objects.filter(pk=event.pk))

        with replay_paused():
            with transaction.atomic():
                event_save(event=event, fields={"title_en": "Changed"})
                # Inside the transaction, reads see the write: they use the primary.
                assert Event.objects.get(pk=event.pk).title_en == "Changed"
            # Outside, reads go to the replica again, which has not replayed the change yet.
            assert Event.objects.get(pk=event.pk).title_en == "Created"
        assert Event.objects.using("default").get(pk=event.pk).title_en == "Changed"
