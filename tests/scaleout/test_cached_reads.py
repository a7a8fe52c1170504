"""Anonymous answers cached in a real Redis, read from a real replica: any public change invalidates them."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.scaleout.replica import REPLICA, wait_until
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
    before = set(raw.keys("*api:anon:*"))
    # Stored once the replica has replayed the publication's history too: until then its change stamp
    # is not there, and an answer is computed fresh rather than cached under a stamp the body may outrun.
    wait_until(
        lambda: title_seen_by(api_client, event) == "Before" and bool(set(raw.keys("*api:anon:*")) - before),
        "the anonymous answer to be stored in Redis",
    )

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert title_seen_by(api_client, event) == "Before"
    assert len(on_replica.captured_queries) == 1, "a cached answer costs only the change stamp's query"

    response = signed_in_curator("token").patch(event_url(event), {"title_en": "After"}, format="json")
    assert response.status_code == 200, response.content
    wait_until(lambda: title_seen_by(api_client, event) == "After", "anonymous readers to see the change")
