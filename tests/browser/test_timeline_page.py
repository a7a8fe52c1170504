"""The public timeline page at / and the timelinejs feed, in a real (headless) Chromium.

The page is loaded from pytest-django's live server with the seed, as `make run` serves it; the tests
act as a visitor would (choosing in the form, clicking an event, reloading the URL) and read what is
shown. The last test loads the timelinejs feed into the vendored TimelineJS library itself.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from events.models import Citation, Event

pytestmark = pytest.mark.browser

XSS_TITLE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def seeded(transactional_db: Any) -> None:
    call_command("load_seed", verbosity=0)


def open_page(browser: Any, url: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    # Tall enough for every lane of the seed: vis-timeline draws only the lanes in view.
    browser.set_window_size(1280, 2600)
    browser.get(url)
    WebDriverWait(browser, 30).until(
        lambda driver: driver.find_element("tag name", "body").get_attribute("data-ready") == "true",
        message="the timeline page never finished drawing",
    )


def shown_titles(browser: Any) -> set[str]:
    contents = browser.find_elements("css selector", "#timeline .vis-item .vis-item-content")
    return {element.get_attribute("textContent").strip() for element in contents}


def published(**filters: Any) -> set[str]:
    return set(Event.objects.visible_to(None).filter(**filters).values_list("title_en", flat=True))


def console_errors(browser: Any) -> list[dict[str, Any]]:
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def item_element(browser: Any, title: str) -> Any:
    for element in browser.find_elements("css selector", "#timeline .vis-item"):
        if element.get_attribute("textContent").strip() == title:
            return element
    raise AssertionError(f"no timeline item shows {title!r}")


def open_detail(browser: Any, title: str) -> None:
    """Click the item showing ``title`` as a person would, once it has stopped moving, and wait for the
    detail panel; on a loaded machine the first click can land mid-redraw, so a person clicks again."""
    import time

    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.action_chains import ActionChains

    for _attempt in range(3):
        element = item_element(browser, title)
        previous = None
        while previous != element.rect:
            previous = element.rect
            time.sleep(0.3)
        ActionChains(browser).move_to_element(element).click().perform()
        try:
            wait_for_detail(browser, title)
            return
        except TimeoutException:
            continue
    wait_for_detail(browser, title)


def wait_for_detail(browser: Any, title: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(
        lambda driver: driver.find_element("id", "detail-title").get_attribute("textContent") == title,
        message=f"the detail panel never showed {title!r}",
    )


def test_the_page_renders_the_seed_events_with_no_console_error(
    browser: Any, live_server: Any, seeded: None
) -> None:
    open_page(browser, live_server.url + "/")
    assert shown_titles(browser) == published()
    assert browser.find_element("id", "status").text == f"{len(published())} events"
    assert browser.find_elements("css selector", "#histogram .bar"), "the overview histogram drew no bar"
    assert console_errors(browser) == []


def test_filtering_by_actor_changes_what_is_shown_and_the_url(
    browser: Any, live_server: Any, seeded: None
) -> None:
    from selenium.webdriver.support.ui import Select, WebDriverWait

    open_page(browser, live_server.url + "/")
    before = shown_titles(browser)
    WebDriverWait(browser, 15).until(
        lambda driver: len(driver.find_elements("css selector", "select[name=actor] option")) > 1,
        message="the actor list never loaded",
    )
    Select(browser.find_element("name", "actor")).select_by_value("xi-jinping")
    WebDriverWait(browser, 15).until(lambda driver: "actor=xi-jinping" in driver.current_url)
    open_page(browser, browser.current_url)  # the choice navigates; wait for the new view to draw
    after = shown_titles(browser)
    assert after == published(participations__actor__slug="xi-jinping")
    assert after and after != before
    assert parse_qs(urlsplit(browser.current_url).query) == {"actor": ["xi-jinping"]}
    assert console_errors(browser) == []


def test_an_events_sources_and_quotes_show_and_reloading_the_url_restores_the_view(
    browser: Any, live_server: Any, seeded: None
) -> None:
    citation = Citation.objects.filter(event__status=Event.Status.PUBLISHED).exclude(quote="").first()
    assert citation is not None
    event = citation.event
    actor = event.participations.first()
    assert actor is not None
    open_page(browser, f"{live_server.url}/?actor={actor.actor.slug}")
    open_detail(browser, event.title_en)
    sources = browser.find_element("id", "detail-sources").get_attribute("textContent")
    assert citation.quote in sources
    assert citation.source.title in sources
    actors = browser.find_element("id", "detail-actors").get_attribute("textContent")
    assert actor.actor.name_en in actors
    assert f"event={event.pk}" in browser.current_url

    browser.refresh()
    open_page(browser, browser.current_url)
    wait_for_detail(browser, event.title_en)
    assert browser.find_element("name", "actor").get_attribute("value") == actor.actor.slug
    assert citation.quote in browser.find_element("id", "detail-sources").get_attribute("textContent")
    assert console_errors(browser) == []


def test_an_event_titled_with_markup_runs_nothing(browser: Any, live_server: Any, seeded: None) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    from tests.factories import CitationFactory, EventFactory

    event = EventFactory(title_en=XSS_TITLE, summary_en=XSS_TITLE, date="2025-07-26", type="statement")
    CitationFactory(event=event, quote=XSS_TITLE, source__title=XSS_TITLE)
    open_page(browser, f"{live_server.url}/?type=statement")
    assert XSS_TITLE in shown_titles(browser)  # shown as the text it is
    open_detail(browser, XSS_TITLE)
    assert XSS_TITLE in browser.find_element("id", "detail-sources").get_attribute("textContent")
    assert browser.find_elements("css selector", "img[src=x]") == [], "the title became an <img> element"
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018  (reading it is the check: an alert() would be open)


def test_the_timelinejs_feed_loads_in_the_real_timelinejs_library(
    browser: Any, live_server: Any, seeded: None
) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    feed = "/api/v1/feeds/timelinejs/?lang=zh-hans"
    # A plain HTML page of the live server's origin, emptied, then TimelineJS from the static files.
    browser.get(live_server.url + "/admin/login/")
    browser.execute_script(
        """
        document.head.replaceChildren();
        document.body.replaceChildren();
        document.body.removeAttribute("class");
        const container = document.createElement("div");
        container.id = "tl";
        container.style.cssText = "width: 1000px; height: 600px";
        document.body.append(container);
        const style = document.createElement("link");
        style.rel = "stylesheet";
        style.href = "/static/web/vendor/timelinejs/css/timeline.css";
        const script = document.createElement("script");
        script.src = "/static/web/vendor/timelinejs/js/timeline.js";
        document.head.append(style, script);
        """
    )
    WebDriverWait(browser, 15).until(lambda driver: driver.execute_script("return typeof TL !== 'undefined'"))
    browser.execute_script(
        """
        window.tlState = "loading";
        const timeline = new TL.Timeline("tl", arguments[0], {
            font: null, language: "zh-cn", script_path: "/static/web/vendor/timelinejs/js/",
        });
        timeline.on("loaded", () => { window.tlState = "loaded"; });
        """,
        feed,
    )
    WebDriverWait(browser, 30).until(
        lambda driver: driver.execute_script("return window.tlState") == "loaded",
        message="TimelineJS never finished loading the feed: "
        + browser.find_element("id", "tl").get_attribute("textContent")[:300],
    )
    markers = browser.find_elements("css selector", "#tl .tl-timemarker")
    assert len(markers) == Event.objects.visible_to(None).count()
    headlines = browser.execute_script(
        "return [...document.querySelectorAll('#tl .tl-headline')].map(h => h.textContent)"
    )
    assert any("习近平" in headline for headline in headlines)
    text = browser.find_element("id", "tl").get_attribute("textContent")
    assert "Error" not in text and "错误" not in text, f"TimelineJS showed an error: {text[:300]}"
    logged = [
        entry["message"] for entry in browser.get_log("browser") if "favicon.ico" not in entry["message"]
    ]
    assert not [message for message in logged if "Error" in message or "Failed" in message], logged
