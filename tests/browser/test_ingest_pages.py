"""A curator ingests from what they have, in a real browser: a link pasted in the admin's ingest form,
and a feed registered and polled from the admin's feed list; then approves the draft it gave.

The pages and the feed are served by the ingestion tests' local HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from events.models import Event, Source
from ingestion.models import FeedItem, Finding
from tests import factories
from tests.browser.conftest import LAPTOP, PHONE
from tests.ingestion.test_web import server  # noqa: F401 (the local web server fixture)

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def sign_in(page: Any, base_url: str, next_path: str) -> None:
    page.goto(f"{base_url}/admin/login/?next={next_path}")
    page.get_by_label("Username").fill("mei")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("viewport", "locale"), [(LAPTOP, "en-US"), (PHONE, "zh-CN")])
def test_a_curator_ingests_a_link_and_approves_the_draft(
    new_page: Any,
    live_server: Any,
    server: str,  # noqa: F811 (the fixture imported above)
    screenshot: Any,
    viewport: Any,
    locale: str,
) -> None:
    factories.curator("mei")
    xinhua = factories.ActorFactory(slug="xinhua", kind="media_outlet", name_en="Xinhua", name_zh="新华社")
    factories.ActorAliasFactory(actor=xinhua, name="新华网", language="zh", script="Hans")
    page = new_page(viewport=viewport, locale=locale)
    sign_in(page, live_server.url, "/admin/ingestion/ingestrun/add/")

    page.get_by_label("URL").fill(f"{server}/zh.html")
    page.get_by_role("button", name="Ingest").click()

    page.get_by_text("1 draft(s)").first.wait_for()
    assert page.get_by_text(
        "国务院总理李强7月26日在上海出席2025世界人工智能大会"
    ).is_visible()  # the draft's title
    name = f"ingest-link-{viewport['width']}-{locale}"
    screenshot(page, name)
    source = Source.objects.get()
    assert source.title == "国务院总理李强出席世界人工智能大会开幕式并致辞" and source.publisher == xinhua

    page.goto(f"{live_server.url}/admin/ingestion/finding/")
    page.locator("#result_list tbody a").first.click()
    screenshot(page, f"{name}-review")
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_url(re.compile(r"/admin/ingestion/finding/(\?.*)?$"))
    screenshot(page, f"{name}-approved")
    event = Event.objects.get()
    assert event.status == Event.Status.PUBLISHED and not event.slug.startswith("draft-")
    assert event.title_zh.startswith("国务院总理李强") and event.title_en == ""
    assert Finding.objects.get(kind="draft").state == "accepted"
    # The admin has no favicon: a 404 the browser logs, not a problem of these pages.
    assert [problem for problem in page.problems if "404" not in problem] == []


@pytest.mark.django_db(transaction=True)
def test_a_curator_registers_a_feed_and_polls_it(
    page: Any,
    live_server: Any,
    server: str,  # noqa: F811 (the fixture imported above)
    screenshot: Any,
) -> None:
    factories.curator("mei")
    sign_in(page, live_server.url, "/admin/ingestion/feed/add/")

    page.get_by_label("Url").fill(f"{server}/feed.xml")  # the model field's label
    page.get_by_label("Poll every minutes").fill("30")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator("#result_list input.action-select").first.check()
    page.locator("select[name=action]").select_option("poll_now")
    page.get_by_role("button", name="Go").click()

    page.get_by_text("2 new item(s) ingested").wait_for()
    screenshot(page, "feed-polled-1366-en")
    assert FeedItem.objects.count() == 2 and Source.objects.count() == 2
    page.reload()
    assert page.locator("#result_list").get_by_text("Test wire").is_visible()  # the feed's own title
    # The admin has no favicon: a 404 the browser logs, not a problem of these pages.
    assert [problem for problem in page.problems if "404" not in problem] == []
