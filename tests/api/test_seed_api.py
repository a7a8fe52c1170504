"""The API over the seed dataset (fixtures/seed.json): the questions of issue 5, answered as curl would."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from events.models import Event, Source
from events.source_urls import normalize_url
from tests.api.conftest import result_slugs

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed.json"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not SEED.exists() or json.loads(SEED.read_text(encoding="utf-8")) == [],
        reason="fixtures/seed.json is still empty: the seed dataset has not landed yet",
    ),
]

EVENTS = "/api/v1/events/"


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed", verbosity=0)


def events(client, **params):
    response = client.get(EVENTS, {"limit": 500, **params})
    return response.json()["results"], set(result_slugs(response))


def test_events_of_october_2023(api_client, seed):
    results, slugs = events(api_client, date_from="2023-10", date_to="2023-10")
    assert "global-ai-governance-initiative" in slugs
    assert all(
        item["date_start"] <= "2023-10-31" and (item["date_end"] or "9999") >= "2023-10-01"
        for item in results
    )
    assert events(api_client, date_from="October 2023", date_to="October 2023")[1] == slugs
    # Found by a window inside the month, too, because the event is known to the month only:
    assert (
        "global-ai-governance-initiative"
        in events(api_client, date_from="2023-10-15", date_to="2023-10-20")[1]
    )


def test_events_of_26_july_2025(api_client, seed):
    _, slugs = events(api_client, date_from="2025-07-26", date_to="2025-07-26")
    assert {
        "world-ai-cooperation-organization-proposed",
        "waic-2025",
        "li-qiang-waic-2025-opening-speech",
    } <= slugs
    assert "peoples-daily-commentary-ai-global-governance" not in slugs
    _, within = events(api_client, date_from="2025-07-26", date_to="2025-07-26", date_match="within")
    assert "waic-2025" not in within  # the conference lasts three days
    assert "world-ai-cooperation-organization-proposed" in within


def test_the_commentary_of_3_april_2024(api_client, seed):
    _, slugs = events(api_client, date_from="2024-04-03", date_to="2024-04-03", date_match="within")
    assert "peoples-daily-commentary-ai-global-governance" in slugs


def test_events_of_li_qiang_by_slug_and_by_his_name_in_either_script(api_client, seed):
    _, by_slug = events(api_client, actor="li-qiang")
    assert "li-qiang-waic-2025-opening-speech" in by_slug
    _, traditional = events(api_client, q="李強")
    _, simplified = events(api_client, q="李强")
    assert traditional == simplified
    assert by_slug <= traditional
    _, xi = events(api_client, actor="xi-jinping")
    assert "global-ai-governance-initiative" in xi


def test_li_qiang_is_found_among_actors_by_his_traditional_alias(api_client, seed):
    response = api_client.get("/api/v1/actors/", {"q": "李強"})
    assert "li-qiang" in result_slugs(response)
    detail = api_client.get("/api/v1/actors/li-qiang/").json()
    assert "李強" in {alias["name"] for alias in detail["aliases"]}
    assert detail["event_count"] == len(events(api_client, actor="li-qiang")[1])


def test_the_public_sees_only_the_published_seed_events(api_client, curator_client, seed):
    published = set(Event.objects.published().values_list("slug", flat=True))
    assert events(api_client)[1] == published
    assert len(events(curator_client)[1]) == Event.objects.count() > len(published)


def test_seed_events_read_in_traditional_chinese(api_client, seed):
    body = api_client.get(f"{EVENTS}global-ai-governance-initiative/", {"lang": "zh-hant"}).json()
    assert body["date_display"] == "2023年10月"
    assert body["title"]
    assert (
        body["title"]
        != api_client.get(f"{EVENTS}global-ai-governance-initiative/", {"lang": "en"}).json()["title"]
    )


def test_seed_source_urls_are_stored_normalised(seed):
    # loaddata writes rows without calling save(), so the fixture itself must hold normalised URLs,
    # or the API's ?url= lookup would miss them.
    for source in Source.objects.exclude(url=None):
        assert source.url == normalize_url(source.url), source.slug


def test_every_seed_event_renders(curator_client, seed):
    body = curator_client.get(EVENTS, {"limit": 500, "count": "true"}).json()
    assert body["count"] == Event.objects.count()
