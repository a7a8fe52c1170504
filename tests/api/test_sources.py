"""Sources: publisher, publication-date windows, language, "is this URL already here?", texts, writes."""

import pytest

from events.models import Source
from tests.api.conftest import error_of, result_slugs
from tests.factories import ActorFactory, CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db

SOURCES = "/api/v1/sources/"


def test_a_source_has_its_web_address_as_url_and_its_api_link_as_api_url(api_client):
    source = SourceFactory(slug="dispatch", url="https://news.example.org/dispatch", published="2025-07-26")
    body = api_client.get(SOURCES).json()["results"][0]
    assert body["url"] == "https://news.example.org/dispatch"
    assert body["api_url"] == f"http://testserver/api/v1/sources/{source.pk}/"
    assert (body["published"], body["published_start"], body["published_precision"]) == (
        "2025-07-26",
        "2025-07-26",
        "day",
    )
    assert "text" not in body


def test_the_detail_has_the_captured_and_cleaned_texts(api_client):
    SourceFactory(slug="dispatch", text="國務(wù)院總理")
    body = api_client.get(f"{SOURCES}dispatch/").json()
    assert body["text"] == "國務(wù)院總理"
    assert "text_clean" in body


def test_publisher_filters_sources(api_client):
    xinhua = ActorFactory(slug="xinhua", kind="media_outlet")
    SourceFactory(slug="from-xinhua", publisher=xinhua)
    SourceFactory(slug="from-elsewhere")
    assert result_slugs(api_client.get(SOURCES, {"publisher": "xinhua"})) == ["from-xinhua"]
    assert result_slugs(api_client.get(SOURCES, {"publisher": xinhua.pk})) == ["from-xinhua"]
    assert "nobody" in error_of(api_client.get(SOURCES, {"publisher": "nobody"}), 400)["message"]


def test_published_window_has_the_event_window_semantics(api_client):
    SourceFactory(slug="april-2024", published="2024-04")
    SourceFactory(slug="day", published="2024-04-03")
    SourceFactory(slug="undated", published="")
    assert set(
        result_slugs(api_client.get(SOURCES, {"published_from": "2024-04-03", "published_to": "2024-04-03"}))
    ) == {
        "april-2024",
        "day",
    }
    assert result_slugs(
        api_client.get(
            SOURCES,
            {"published_from": "2024-04-03", "published_to": "2024-04-03", "published_match": "within"},
        )
    ) == ["day"]
    assert set(result_slugs(api_client.get(SOURCES, {"published_to": "2024"}))) == {"april-2024", "day"}
    assert list(error_of(api_client.get(SOURCES, {"published_from": "April"}), 400)["fields"]) == [
        "published_from"
    ]


def test_language_filters_sources(api_client):
    SourceFactory(slug="simplified", language="zh-Hans")
    SourceFactory(slug="english", language="en")
    assert result_slugs(api_client.get(SOURCES, {"language": "zh-Hans"})) == ["simplified"]
    assert list(error_of(api_client.get(SOURCES, {"language": "fr"}), 400)["fields"]) == ["language"]


@pytest.mark.parametrize(
    "spelling",
    [
        "https://news.example.org/2025/07/26/waico",
        "HTTPS://NEWS.example.org:443/2025/07/26/waico/",
        "https://news.example.org/2025/07/26/waico?utm_source=rss&utm_medium=feed#top",
    ],
)
def test_url_answers_whether_a_url_is_already_stored(api_client, spelling):
    SourceFactory(slug="stored", url="https://news.example.org/2025/07/26/waico/")
    SourceFactory(slug="other", url="https://news.example.org/2025/07/26/other")
    assert result_slugs(api_client.get(SOURCES, {"url": spelling})) == ["stored"]


def test_url_of_an_unknown_page_finds_nothing_and_a_non_url_is_a_400(api_client):
    SourceFactory(url="https://news.example.org/a")
    assert result_slugs(api_client.get(SOURCES, {"url": "https://news.example.org/b"})) == []
    assert list(error_of(api_client.get(SOURCES, {"url": "news.example.org/a"}), 400)["fields"]) == ["url"]


def test_q_searches_source_titles_in_any_script(api_client):
    SourceFactory(slug="commentary", title="积极参与和引领人工智能全球治理")
    SourceFactory(slug="other", title="Something else")
    assert result_slugs(api_client.get(SOURCES, {"q": "人工智慧"})) == ["commentary"]


def test_a_curator_creates_a_source_with_a_normalised_url_and_a_human_date(curator_client):
    ActorFactory(slug="peoples-daily")
    response = curator_client.post(
        SOURCES,
        {
            "slug": "commentary",
            "title": "Commentary",
            "publisher": "peoples-daily",
            "url": "HTTP://Paper.Example.CN/2024/04/03/commentary.html?utm_source=x",
            "published": "3 April 2024",
            "language": "zh-Hans",
            "text": "正文。",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["url"] == "http://paper.example.cn/2024/04/03/commentary.html"
    assert body["published"] == "2024-04-03"
    assert response["Location"] == body["api_url"]
    assert Source.objects.get().text_clean == "正文。"


def test_another_spelling_of_a_stored_url_is_a_400_naming_url(curator_client):
    SourceFactory(url="https://news.example.org/a")
    error = error_of(
        curator_client.post(
            SOURCES,
            {"slug": "dup", "title": "Dup", "url": "https://NEWS.example.org/a/", "language": "en"},
            format="json",
        ),
        400,
    )
    assert list(error["fields"]) == ["url"]


def test_a_cited_source_cannot_be_deleted(curator_client):
    source = CitationFactory().source
    assert error_of(curator_client.delete(f"{SOURCES}{source.pk}/"), 409)["code"] == "conflict"
    uncited = SourceFactory()
    assert curator_client.delete(f"{SOURCES}{uncited.pk}/").status_code == 204
