"""POST /api/v1/sources/ingest/: curators ingest an article over HTTP; everyone else is refused, and bad
input is a 400 in the API's one error shape, with nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from events.models import Event, Source
from tests.api.conftest import error_of
from tests.factories import ActorAliasFactory, ActorFactory
from tests.ingestion.conftest import another_run_ingesting

URL = "/api/v1/sources/ingest/"
ARTICLE = (
    "新华社北京7月26日电(记者某某)国务院总理李强26日在北京出席全球治理论坛开幕式并发表主旨讲话,"
    "强调各国应加强人工智能领域的国际合作。\n"
    "李强表示,去年中方已提出相关倡议,各方反响积极。\n"
)


@pytest.fixture
def li_qiang(db: Any) -> Any:
    actor = ActorFactory(slug="li-qiang", name_en="Li Qiang", name_zh="李强")
    ActorAliasFactory(actor=actor, name="国务院总理李强", language="zh", script="Hans")
    return actor


def test_the_route_is_named_and_comes_before_the_source_detail_route() -> None:
    assert reverse("api:source-ingest") == URL


def test_an_anonymous_request_is_a_401(api_client: Any, db: Any) -> None:
    error = error_of(api_client.post(URL, {"text": ARTICLE, "published": "2025-07-26"}, format="json"), 401)

    assert error["code"] == "not_authenticated"
    assert not Source.objects.exists()


def test_a_user_who_is_no_curator_is_a_403(reader_client: Any) -> None:
    error = error_of(
        reader_client.post(URL, {"text": ARTICLE, "published": "2025-07-26"}, format="json"), 403
    )

    assert "for curators" in error["message"]
    assert not Source.objects.exists()


def test_a_curator_ingests_and_gets_what_was_created(
    curator_client: Any, curator_user: Any, li_qiang: Any
) -> None:
    response = curator_client.post(
        URL,
        {"text": ARTICLE, "published": "2025-07-26", "url": "https://news.example.org/a?utm_source=x"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "ingested" and body["source"]["created"] is True
    assert [(draft["date"], draft["actors"]) for draft in body["drafts"]] == [
        ("2025-07-26", ["li-qiang"]),
        ("2024", ["li-qiang"]),
    ]
    source = Source.objects.get(pk=body["source"]["id"])
    assert source.url == "https://news.example.org/a"
    assert all(draft["title"] and draft["type"] for draft in body["drafts"])
    assert Event.objects.get(pk=body["drafts"][0]["event"]).history.earliest().history_user == curator_user


def test_the_headline_given_is_the_sources_title(curator_client: Any, li_qiang: Any) -> None:
    data = {"text": ARTICLE, "published": "2025-07-26", "title": "  Li Qiang at the World AI Conference "}
    body = curator_client.post(URL, data, format="json").json()

    assert Source.objects.get(pk=body["source"]["id"]).title == "Li Qiang at the World AI Conference"


def test_posting_the_same_article_again_is_a_200_with_nothing_new(curator_client: Any, li_qiang: Any) -> None:
    data = {"text": ARTICLE, "published": "2025-07-26"}
    curator_client.post(URL, data, format="json")

    again = curator_client.post(URL, data, format="json")

    assert again.status_code == 200
    assert again.json()["status"] == "unchanged" and again.json()["drafts"] == []
    assert Event.objects.count() == 2


def test_a_dry_run_answers_the_report_and_writes_nothing(curator_client: Any, li_qiang: Any) -> None:
    response = curator_client.post(
        URL, {"text": ARTICLE, "published": "2025-07-26", "dry_run": True}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "dry run" and len(response.json()["drafts"]) == 2
    assert not Source.objects.exists() and not Event.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "text", "This field is required"),
        ({"text": "   "}, "text", "is empty"),
        ({"text": ARTICLE, "published": "26 July"}, "published", "not an ISO date"),
        ({"text": ARTICLE, "language": "fr"}, "language", "is not a valid choice"),
        ({"text": ARTICLE, "url": "not a url"}, "url", "valid URL"),
        ({"text": ARTICLE}, "published", "prints no publication date"),
        ({"text": ARTICLE, "published": "2025-07-26", "dry_run": "perhaps"}, "dry_run", "valid boolean"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    curator_client: Any, data: dict, field: str, message: str
) -> None:
    error = error_of(curator_client.post(URL, data, format="json"), 400)

    assert message in " ".join(error["fields"][field])
    assert not Source.objects.exists()


def test_the_same_article_in_flight_elsewhere_is_a_409(curator_client: Any, li_qiang: Any) -> None:
    with another_run_ingesting(ARTICLE):
        error = error_of(
            curator_client.post(URL, {"text": ARTICLE, "published": "2025-07-26"}, format="json"), 409
        )

    assert "being ingested by another run" in error["message"]
