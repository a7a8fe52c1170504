"""Slugs that name a fixed route of the API (events/histogram/, sources/ingest/) are refused, so that no
record is shadowed by a route and made unreachable."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver

from events.api import urls as api_urls
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

MODELS_BY_PREFIX = {f"{prefix}/": viewset.queryset.model for prefix, viewset, _ in api_urls.router.registry}


def fixed_routes_under_record_prefixes() -> set[tuple[str, str]]:
    """(prefix, name) of every plain route of the API that reads like a record's detail URL."""
    found = set()
    for pattern in api_urls.urlpatterns:
        if not isinstance(pattern, URLPattern | URLResolver):
            continue
        route = str(pattern.pattern)
        for prefix in MODELS_BY_PREFIX:
            rest = route.removeprefix(prefix)
            if rest != route and rest.strip("/") and "<" not in rest and "(" not in rest:
                found.add((prefix, rest.strip("/").split("/")[0]))
    return found


def test_every_fixed_route_beside_a_records_detail_url_is_a_reserved_slug():
    routes = fixed_routes_under_record_prefixes()
    assert ("events/", "histogram") in routes and ("sources/", "ingest") in routes
    for prefix, name in routes:
        assert name in MODELS_BY_PREFIX[prefix].reserved_slugs, f"{prefix}{name} shadows a record's slug"


@pytest.mark.parametrize(
    ("path", "body", "slug"),
    [
        ("/api/v1/events/", {"title_en": "E"}, "histogram"),
        ("/api/v1/sources/", {"title": "S", "language": "en"}, "ingest"),
    ],
)
def test_a_slug_that_names_a_route_is_refused(curator_client, path, body, slug):
    error = error_of(curator_client.post(path, {**body, "slug": slug}, format="json"), 400)
    assert "reserved" in error["fields"]["slug"][0]
