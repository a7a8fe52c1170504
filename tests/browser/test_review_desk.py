"""The curator's desk as a person uses it, in Chromium: paste an article, review what it found with one
click each (approve, merge, reject, from the mouse or the keyboard), watch a typed date read back, and
see the published event on the public page and in the API.

Screenshots of every page the desk changed go to SCREENSHOT_DIR at 1,366 and 360 px.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command

from events.models import Event, Source
from ingestion.models import Finding
from tests import factories
from tests.browser.conftest import LAPTOP, PHONE
from tests.ingestion.conftest import PUBLISHED, seed_text

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def desk(transactional_db: Any, live_server: Any) -> Any:
    """The seed's actors and no events; a curator, mei."""
    call_command("load_seed", verbosity=0)
    Event.objects.all().delete()
    Source.objects.all().delete()
    factories.curator("mei")
    return live_server


def problems(page: Any) -> list[str]:
    """Script errors, CSP refusals and failed requests; the admin has no favicon, which is no problem."""
    failed = [text for text in page.problems if "Failed to load resource" not in text]
    return failed + [url for url in page.failed_urls if not url.endswith("/favicon.ico")]


def sign_in(page: Any, base_url: str, next_path: str = "/admin/") -> None:
    page.failed_urls = []
    page.on(
        "response", lambda response: page.failed_urls.append(response.url) if response.status >= 400 else None
    )
    page.goto(f"{base_url}/admin/login/?next={next_path}")
    page.fill("input[name=username]", "mei")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_path}")


class Clicks:
    """Clicks counted, from the paste to the published event."""

    def __init__(self, page: Any) -> None:
        self.page, self.count = page, 0

    def __call__(self, locator: Any) -> None:
        self.count += 1
        with self.page.expect_navigation():
            locator.click()


def paste(page: Any, base_url: str, name: str) -> None:
    page.goto(f"{base_url}/admin/ingestion/ingestrun/add/")
    page.fill("textarea[name=text]", seed_text(name))
    page.fill("input[name=published]", PUBLISHED[name])


def test_paste_to_published_in_three_clicks_then_public(desk: Any, new_page: Any, screenshot: Any) -> None:
    page = new_page(viewport=LAPTOP)
    sign_in(page, desk.url)
    paste(page, desk.url, "001_c7f698a66cb334f9")
    screenshot(page, "desk-ingest-form-1366")
    click = Clicks(page)

    click(page.get_by_role("button", name="Ingest"))
    screenshot(page, "desk-ingest-report-1366")
    click(page.get_by_role("link", name="Review this draft"))
    assert page.get_by_role("button", name="Approve and publish").is_visible()
    screenshot(page, "desk-review-draft-1366")
    preview = page.locator("#public-preview")
    assert "October 2023" in preview.inner_text() and "2023年10月" in preview.inner_text()
    assert "习近平" in preview.inner_text() or "Xi Jinping" in preview.inner_text()
    click(page.get_by_role("button", name="Approve and publish"))

    assert click.count <= 3, f"paste to published took {click.count} clicks"
    event = Event.objects.get()
    assert event.status == Event.Status.PUBLISHED
    assert "is published" in page.locator(".messagelist").inner_text()
    assert problems(page) == []

    # The public sees it: the API lists it to anyone, and the timeline page shows its title.
    public = new_page(viewport=LAPTOP)
    answer = public.request.get(f"{desk.url}/api/v1/events/{event.pk}/")
    assert answer.status == 200 and answer.json()["date_display"] == "October 2023"
    public.goto(f"{desk.url}/")
    public.wait_for_function(
        "title => document.body.innerText.includes(title)", arg=event.title_en, timeout=20_000
    )


def test_merge_and_reject_from_the_keyboard(desk: Any, new_page: Any, screenshot: Any) -> None:
    target = factories.EventFactory(
        slug="gaigi", title_en="Global AI Governance Initiative", date="2023-11", status="published"
    )
    page = new_page(viewport=LAPTOP)
    sign_in(page, desk.url)
    paste(page, desk.url, "003_7f44d65a6cc781ab")
    with page.expect_navigation():
        page.get_by_role("button", name="Ingest").click()
    first, second = Finding.objects.filter(kind=Finding.Kind.DRAFT).order_by("pk")[:2]

    # Merge: search by a title word, Enter; then Tab to the result's button, Enter. No required box.
    page.goto(f"{desk.url}/admin/ingestion/finding/{first.pk}/change/")
    page.focus("#merge-search")
    page.keyboard.type("Governance")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results")
    screenshot(page, "desk-review-merge-search-1366")
    page.locator("#search-results button", has_text="Merge into this event").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    first.refresh_from_db()
    assert first.state == Finding.State.MERGED and first.event_id == target.pk

    # Reject with a reason: type it, Enter.
    page.goto(f"{desk.url}/admin/ingestion/finding/{second.pk}/change/")
    page.focus("input[name=reason]")
    page.keyboard.type("A dispatch date, not a happening")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    second.refresh_from_db()
    assert second.state == Finding.State.REJECTED and second.reason == "A dispatch date, not a happening"

    # Approve: the button has the focus when the page opens; Enter publishes.
    third = Finding.objects.filter(state=Finding.State.PENDING, kind=Finding.Kind.DRAFT).first()
    page.goto(f"{desk.url}/admin/ingestion/finding/{third.pk}/change/")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    third.refresh_from_db()
    assert third.state == Finding.State.ACCEPTED
    assert problems(page) == []


def test_typing_a_date_shows_how_it_reads_while_typing(desk: Any, new_page: Any, screenshot: Any) -> None:
    page = new_page(viewport=LAPTOP)
    sign_in(page, desk.url, "/admin/events/event/add/")
    page.fill("input[name=title_en]", "A test event")
    page.locator("input[name=date]").press_sequentially("~2024-05", delay=30)
    reads_as = page.locator(".field-date_shown_both .readonly")
    bounds = page.locator(".field-date_bounds .readonly")
    reads_as.filter(has_text="c. May 2024 / 约2024年5月").wait_for()
    assert bounds.inner_text() == "2024-05-01 … 2024-05-31 (month precision)"
    screenshot(page, "desk-event-date-preview-1366")

    page.fill("input[name=date]", "")
    page.locator("input[name=date]").press_sequentially("late 2023", delay=30)
    reads_as.filter(has_text="“late” names no exact months").wait_for()
    assert bounds.inner_text() == ""
    screenshot(page, "desk-event-date-refused-1366")
    assert problems(page) == []


def test_the_source_slug_follows_its_title(desk: Any, new_page: Any, screenshot: Any) -> None:
    page = new_page(viewport=LAPTOP)
    sign_in(page, desk.url, "/admin/events/source/add/")
    page.locator("input[name=title]").press_sequentially("Xinhua: Premier at WAIC", delay=10)
    assert page.input_value("input[name=slug]") == "xinhua-premier-at-waic"
    screenshot(page, "desk-source-add-1366")


@pytest.mark.parametrize("viewport,width", [(LAPTOP, 1366), (PHONE, 360)])
def test_the_queue_and_review_page_fit_and_read_as_sentences(
    desk: Any, new_page: Any, screenshot: Any, viewport: dict[str, int], width: int
) -> None:
    page = new_page(viewport=viewport)
    sign_in(page, desk.url)
    paste(page, desk.url, "003_7f44d65a6cc781ab")
    with page.expect_navigation():
        page.get_by_role("button", name="Ingest").click()
    page.goto(f"{desk.url}/admin/ingestion/finding/")
    body = page.locator("body").inner_text()
    assert "Review queue: choose a finding to review" in body
    assert re.search(r"\b5 findings\b", body)
    assert "Select finding to change" not in body and "review queue" not in body.replace("Review queue", "")
    assert page.get_by_role("link", name="Ingest an article").is_visible()
    if width == 1366:
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the queue is {overflow} px wider than the window"
    screenshot(page, f"desk-queue-{width}")
    with page.expect_navigation():
        page.get_by_role("link", name="Review the new draft").first.click()
    screenshot(page, f"desk-review-{width}")
    assert problems(page) == []
