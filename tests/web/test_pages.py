"""The public pages as the server renders them: language, vocabulary, framing rules and bad input."""

from __future__ import annotations

import re

import pytest

from events.choice_labels import choice_labels
from events.models import Actor, Event, Participation
from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_every_type_role_and_kind_has_a_chinese_name(language):
    labels = choice_labels(language)
    for key, choices in (("type", Event.Type), ("role", Participation.Role), ("kind", Actor.Kind)):
        assert set(labels[key]) == set(choices.values)
        untranslated = [code for code, name in labels[key].items() if re.search("[A-Za-z]", name)]
        assert untranslated == [], f"{key} names missing in {language}: add them to events/choice_labels.py"


def test_a_chinese_page_is_written_in_chinese_from_the_first_byte(client):
    page = client.get("/?lang=zh-hant").content.decode()
    assert '<html lang="zh-Hant">' in page
    assert "<title>時間線</title>" in page
    assert ">會議</option>" in page and ">conference</option>" not in page


def test_the_browser_language_is_used_when_the_link_names_none(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-TW,zh;q=0.8").content.decode()
    assert '<html lang="zh-Hant">' in page


def test_an_unknown_language_gives_the_english_page_and_says_why(client):
    response = client.get("/?lang=<b>xx</b>")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Unknown language “&lt;b&gt;xx&lt;/b&gt;”" in page


def test_only_the_embed_may_be_framed(client):
    page = client.get("/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    embed = client.get("/embed/?actor=li-qiang")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "script-src 'self'" in embed["Content-Security-Policy"]  # the rest of the policy stays


def test_an_actor_page_names_the_actor_in_every_script_and_an_unknown_one_is_a_404(client):
    ActorFactory(slug="li-qiang", name_en="Li Qiang", name_zh="李强", kind="person")
    page = client.get("/actors/li-qiang/?lang=zh-hans").content.decode()
    assert "Li Qiang" in page and "李强" in page and "李強" in page and "人物" in page
    assert client.get("/actors/nobody/").status_code == 404


@pytest.mark.parametrize(
    ("date_from", "date_to", "window"),
    [
        ("October 2023", "October 2023", {"from": "2023-10-01", "to": "2023-11-01"}),
        ("2023年10月", "2024年", {"from": "2023-10-01", "to": "2025-01-01"}),
        ("2023-10-05", "", {"from": "2023-10-05", "to": None}),
        ("not a date", "2025-13", {"from": None, "to": None}),
    ],
)
def test_the_typed_window_is_read_by_the_time_module_whatever_its_form(client, date_from, date_to, window):
    response = client.get("/", {"date_from": date_from, "date_to": date_to})
    assert response.status_code == 200
    assert response.context["config"]["window"] == window


def test_the_head_preloads_the_views_own_feed_and_histogram_and_both_answer(client):
    """The browser asks for the data while it reads the scripts; the script fetches the same URLs."""
    ActorFactory(slug="li-qiang")
    response = client.get("/actors/li-qiang/", {"actor": "someone-else", "q": "a b", "lang": "zh-hans"})
    urls = response.context["config"]["urls"]
    assert urls["vis"] == "/api/v1/feeds/vis/?actor=li-qiang&q=a+b&lang=zh-hans"
    assert urls["histogram"] == "/api/v1/events/histogram/?actor=li-qiang&q=a+b&lang=zh-hans&interval=month"
    page = response.content.decode()
    for url in urls.values():
        assert f'<link rel="preload" href="{url.replace("&", "&amp;")}" as="fetch"' in page
        assert client.get(url).status_code == 200
    assert 'rel="preload"' not in client.get("/", {"view": "story"}).content.decode()
