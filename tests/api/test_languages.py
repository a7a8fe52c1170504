"""Answers in English, simplified and traditional Chinese: lang, Accept-Language, curated and OpenCC text."""

import pytest

from events.languages import language_from_accept_header
from tests.api.conftest import error_of
from tests.factories import (
    ActorFactory,
    EventFactory,
    LocationFactory,
    ParticipationFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


@pytest.fixture
def event():
    event = EventFactory(
        slug="initiative",
        date="2023-10",
        title_en="Global AI Governance Initiative",
        title_zh="全球人工智能治理倡议",
        summary_en="Announced in October 2023.",
        summary_zh="2023年10月提出。",
        location=LocationFactory(name_en="Beijing", name_zh="北京"),
        tags=[TagFactory(slug="governance", name_en="AI governance", name_zh="人工智能治理")],
    )
    ParticipationFactory(event=event, actor=ActorFactory(name_en="Li Qiang", name_zh="李强"), role="speaker")
    return event


def first(response):
    assert response.status_code == 200, response.content
    return response.json()["results"][0]


def test_english_is_the_default(api_client, event):
    response = api_client.get(EVENTS)
    body = first(response)
    assert (body["title"], body["date_display"], body["actors"][0]["name"]) == (
        "Global AI Governance Initiative",
        "October 2023",
        "Li Qiang",
    )
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


def test_simplified_chinese(api_client, event):
    response = api_client.get(EVENTS, {"lang": "zh-hans"})
    body = first(response)
    assert body["title"] == "全球人工智能治理倡议"
    assert body["summary"] == "2023年10月提出。"
    assert body["date_display"] == "2023年10月"
    assert body["actors"][0]["name"] == "李强"
    assert body["location"]["name"] == "北京"
    assert body["tags"][0]["name"] == "人工智能治理"
    assert response["Content-Language"] == "zh-Hans"


def test_traditional_chinese_is_converted_from_simplified_with_taiwan_vocabulary(api_client, event):
    response = api_client.get(EVENTS, {"lang": "zh-hant"})
    body = first(response)
    assert body["title"] == "全球人工智慧治理倡議"
    assert body["actors"][0]["name"] == "李強"
    assert body["tags"][0]["name"] == "人工智慧治理"
    assert response["Content-Language"] == "zh-Hant"


def test_curated_traditional_text_wins_over_conversion(api_client, event):
    event.title_zh_hant = "全球人工智能治理倡議（官方譯名）"
    event.save()
    assert first(api_client.get(EVENTS, {"lang": "zh-hant"}))["title"] == "全球人工智能治理倡議（官方譯名）"


def test_traditional_date_display_is_in_traditional_script(api_client):
    EventFactory(date="2023~")
    assert first(api_client.get(EVENTS, {"lang": "zh-hans"}))["date_display"] == "约2023年"
    assert first(api_client.get(EVENTS, {"lang": "zh-hant"}))["date_display"] == "約2023年"


def test_text_missing_in_one_language_falls_back_to_the_other(api_client):
    EventFactory(title_en="Only English", title_zh="")
    assert first(api_client.get(EVENTS, {"lang": "zh-hant"}))["title"] == "Only English"


@pytest.mark.parametrize(
    ("header", "language", "title"),
    [
        ("zh-TW", "zh-Hant", "全球人工智慧治理倡議"),
        ("zh-HK,en;q=0.5", "zh-Hant", "全球人工智慧治理倡議"),
        ("zh-Hant", "zh-Hant", "全球人工智慧治理倡議"),
        ("zh-CN", "zh-Hans", "全球人工智能治理倡议"),
        ("zh", "zh-Hans", "全球人工智能治理倡议"),
        ("fr-FR, zh-Hans;q=0.8", "zh-Hans", "全球人工智能治理倡议"),
        ("en-GB,zh;q=0.9", "en", "Global AI Governance Initiative"),
        ("de", "en", "Global AI Governance Initiative"),
        # A weight above 1 is read as 1 (Django's parser dropped the whole header: English).
        ("zh-CN, zh-TW;q=1.1", "zh-Hans", "全球人工智能治理倡议"),
        ("en;q=0.5, zh-TW;q=2", "zh-Hant", "全球人工智慧治理倡議"),
        # q=0 means "not this language".
        ("zh-tw;q=0", "en", "Global AI Governance Initiative"),
        ("zh-TW;q=0, zh-CN;q=0.3", "zh-Hans", "全球人工智能治理倡议"),
        ("zh-TW;q=abc, zh-CN;q=0.3", "zh-Hans", "全球人工智能治理倡议"),
    ],
)
def test_accept_language_picks_the_language(api_client, event, header, language, title):
    response = api_client.get(EVENTS, HTTP_ACCEPT_LANGUAGE=header)
    assert response["Content-Language"] == language
    assert first(response)["title"] == title


def test_lang_overrides_accept_language(api_client, event):
    response = api_client.get(EVENTS, {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="zh-TW")
    assert first(response)["title"] == "Global AI Governance Initiative"


@pytest.mark.parametrize("value", ["fr", "zh", "zh-tw", ""])
def test_an_unknown_lang_is_a_400(api_client, event, value):
    error = error_of(api_client.get(EVENTS, {"lang": value}), 400)
    assert list(error["fields"]) == ["lang"]
    assert "zh-hant" in error["message"]


def test_an_explicit_script_wins_over_the_region():
    assert language_from_accept_header("zh-Hans-HK") == "zh-hans"
    assert language_from_accept_header("zh-Hant-CN") == "zh-hant"


def test_actor_detail_follows_the_language(api_client):
    actor = ActorFactory(slug="li-qiang", name_en="Li Qiang", name_zh="李强", description_zh="国务院总理")
    body = api_client.get(f"/api/v1/actors/{actor.slug}/", {"lang": "zh-hant"}).json()
    assert (body["name"], body["description"]) == ("李強", "國務院總理")
