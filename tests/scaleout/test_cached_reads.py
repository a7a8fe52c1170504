"""Anonymous answers cached in a real Redis, read from a real replica: any public change invalidates them,
and a lagging replica never stores its older answer under the newer generation."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.scaleout.replica import REPLICA, replay_paused, wait_until
from tests.scaleout.test_read_replica import event_url, published_event, signed_in_curator, title_seen_by

pytestmark = [
    pytest.mark.scaleout("replica", "redis"),
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]


@override_settings(CHANGE_FEED_SETTLE_SECONDS=0, API_CACHE_SECONDS=600)
def test_anonymous_answers_live_in_redis_until_a_public_change_reaches_the_replica(
    api_client: APIClient,
) -> None:
    event = published_event("Before")
    raw = redis.Redis.from_url(settings.REDIS_URL)
    before = set(raw.keys("*api:read:*"))
    # Stored once the replica has replayed the commit the generation was started after.
    wait_until(
        lambda: title_seen_by(api_client, event) == "Before" and bool(set(raw.keys("*api:read:*")) - before),
        "the anonymous answer to be stored in Redis",
    )

    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert title_seen_by(api_client, event) == "Before"
    assert len(on_replica) == len(on_primary) == 0, "a cached answer costs no query at all"

    response = signed_in_curator("token").patch(event_url(event), {"title_en": "After"}, format="json")
    assert response.status_code == 200, response.content
    wait_until(lambda: title_seen_by(api_client, event) == "After", "anonymous readers to see the change")


@override_settings(CHANGE_FEED_SETTLE_SECONDS=0, API_CACHE_SECONDS=600)
def test_a_lagging_replica_does_not_store_its_older_answer_under_the_new_generation(
    api_client: APIClient,
) -> None:
    event = published_event("Before")
    curator = signed_in_curator("token")
    with replay_paused():
        response = curator.patch(event_url(event), {"title_en": "After"}, format="json")
        assert response.status_code == 200, response.content
        # The replica has not replayed the change: it answers the old title, every time from the
        # database (the new generation's commit is beyond what it has replayed), never from the cache.
        for _ in range(2):
            with CaptureQueriesContext(connections[REPLICA]) as on_replica:
                assert title_seen_by(api_client, event) == "Before"
            assert len(on_replica) > 0
    wait_until(lambda: title_seen_by(api_client, event) == "After", "the replica to catch up")
    assert title_seen_by(api_client, event) == "After"  # and now from the cache
