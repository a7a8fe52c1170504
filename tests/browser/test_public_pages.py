"""The public pages as a reader meets them, in Chromium through Playwright: readable at 1,366 and 360 px,
translated, reachable by keyboard, with a histogram that navigates, a story view, actor pages and an
embeddable view; axe-core (vendored under tests/browser/vendor) finds no serious or critical violation.

Each test loads the seed from pytest-django's live server and acts as a person would (clicking, typing,
pressing keys); screenshots of every view go to $SCREENSHOT_DIR for a person to look at.
"""

from __future__ import annotations

import calendar
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from events.choice_labels import choice_labels
from events.models import Event
from tests.browser.conftest import LAPTOP, PHONE
from web.words import WORDS

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
LANGUAGES = {"en": "en-US", "zh-hans": "zh-CN", "zh-hant": "zh-TW"}

# Every text box a reader should be able to read in full: event labels, lane names, axis labels, the
# agenda's titles. A box is clipped when its text overflows it or when a box around it that hides
# overflow (the timeline's panels, an item's band) cuts it.
CLIPPED_TEXT_BOXES = """() => {
  const boxes = [...document.querySelectorAll(
    '#timeline .vis-item .event, #timeline .vis-label .vis-inner, '
    + '#timeline .vis-time-axis .vis-text, #agenda .what'
  )].filter((box) => box.offsetParent && box.textContent.trim());
  const clipped = boxes.filter((box) => {
    if (box.scrollWidth > box.clientWidth + 1) return true;
    const own = box.getBoundingClientRect();
    for (let around = box.parentElement; around && around.id !== 'timeline'; around = around.parentElement) {
      if (getComputedStyle(around).overflow === 'visible') continue;
      const edge = around.getBoundingClientRect();
      if (own.left < edge.left - 1 || own.right > edge.right + 1) return true;
    }
    return false;
  });
  return { total: boxes.length, clipped: clipped.map((box) => box.textContent.trim()) };
}"""


@pytest.fixture
def seeded(transactional_db: Any) -> None:
    call_command("load_seed", verbosity=0)


def published_titles() -> set[str]:
    return set(Event.objects.visible_to(None).exclude(date="").values_list("title_en", flat=True))


def opened(page: Any, url: str) -> Any:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    return page


def axe_violations(page: Any) -> list[str]:
    """The serious and critical violations axe-core finds in the page as it is now (the page must be
    opened with ``bypass_csp=True``: the site's policy rightly refuses the injected script)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"
        ".filter((v) => ['serious', 'critical'].includes(v.impact))"
        ".map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)"
    )
    return list(found)


def test_every_title_is_readable_at_1366_and_360_px_in_every_language(
    new_page: Any, live_server: Any, seeded: None, screenshot: Any
) -> None:
    for language, browser_locale in LANGUAGES.items():
        for name, viewport in (("1366", LAPTOP), ("360", PHONE)):
            page = opened(
                new_page(viewport=viewport, locale=browser_locale), f"{live_server.url}/?lang={language}"
            )
            screenshot(page, f"timeline-{language}-{name}")
            boxes = page.evaluate(CLIPPED_TEXT_BOXES)
            assert boxes["total"] >= len(published_titles()), f"{language} at {name} px: too few text boxes"
            assert len(boxes["clipped"]) <= 0.1 * boxes["total"], (language, name, boxes["clipped"])
            assert page.problems == []


def test_the_first_view_frames_every_event_with_its_whole_label(
    page: Any, live_server: Any, seeded: None
) -> None:
    opened(page, live_server.url + "/")
    shown = page.evaluate(
        """() => {
          const panel = document.querySelector('#timeline .vis-panel.vis-center').getBoundingClientRect();
          return [...document.querySelectorAll('#timeline .vis-item .event')].filter((label) => {
            const box = label.getBoundingClientRect();
            return box.left >= panel.left && box.right <= panel.right;
          }).map((label) => label.textContent);
        }"""
    )
    assert set(shown) == published_titles()


def test_phones_get_an_agenda_by_period_and_a_deep_linked_event_opens_in_view(
    new_page: Any, live_server: Any, seeded: None, screenshot: Any
) -> None:
    event = Event.objects.visible_to(None).get(date="2025-07-26", type="speech")
    page = opened(new_page(viewport=PHONE), f"{live_server.url}/?event={event.pk}")
    title = page.locator("#detail-title")
    page.wait_for_function("() => document.getElementById('detail-title').textContent.length > 0")
    screenshot(page, "deep-link-en-360")
    box = title.bounding_box()
    assert title.text_content() == event.title_en
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert page.locator("#timeline").is_hidden()
    # The filters fold away on a phone, so the agenda starts in the first screen.
    assert page.locator("#filter-box").evaluate("(box) => box.open") is False
    assert page.locator("#agenda .agenda-item").first.bounding_box()["y"] < PHONE["height"] / 2
    assert page.locator("#agenda .period h2").first.text_content() == "October 2023"
    assert "July 2025" in page.locator("#agenda .period h2").all_text_contents()

    page.go_back()  # the back button closes the event, on the same page
    page.wait_for_selector("#detail", state="hidden")
    assert "event=" not in page.url

    page.get_by_role("button", name=re.compile("Nikkei")).click()
    page.wait_for_selector("#detail:not([hidden])")
    assert page.locator("#detail-title").text_content().startswith("Nikkei")
    assert page.locator("#detail-title").bounding_box()["y"] >= 0
    page.go_back()
    page.wait_for_selector("#detail", state="hidden")


def test_zh_pages_show_no_english_vocabulary(
    new_page: Any, live_server: Any, seeded: None, screenshot: Any
) -> None:
    english = choice_labels("en")
    vocabulary = {
        *english["type"].values(),
        *english["type_short"].values(),
        *english["role"].values(),
        *(word for key, word in WORDS["en"].items() if key not in {"title"}),
        "events",
        *calendar.month_name[1:],
        *calendar.month_abbr[1:],
    }
    vocabulary = {word for word in vocabulary if re.search("[a-z]{3}", word)}
    speech = Event.objects.visible_to(None).get(date="2025-07-26", type="speech")
    for language in ("zh-hans", "zh-hant"):
        for viewport in (LAPTOP, PHONE):
            page = opened(
                new_page(viewport=viewport), f"{live_server.url}/?lang={language}&event={speech.pk}"
            )
            page.wait_for_function("() => document.getElementById('detail-title').textContent.length > 0")
            screenshot(page, f"detail-{language}-{viewport['width']}")
            # The page's own words, lanes, axis, form and detail; record texts (titles, sources) aside.
            text = page.evaluate(
                """() => [...document.querySelectorAll(
                  'header label span, header option, header button, #views, #status, .hint, #zoom, '
                  + '#timeline .vis-label, #timeline .vis-time-axis, #agenda h2, #agenda .kind, '
                  + '#detail-date, #detail h3, #detail-actors, footer > span:first-child'
                )].map((node) => node.textContent).join(' | ')"""
            )
            text += " " + page.locator("#histogram").get_attribute("aria-label")
            found = {word for word in vocabulary if re.search(rf"\b{re.escape(word)}\b", text)}
            assert found == set(), (language, viewport["width"], found)
            assert (
                page.locator("html").get_attribute("lang")
                == {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}[language]
            )
            quote = page.locator("#detail .quote").first
            assert quote.evaluate("(node) => getComputedStyle(node).fontStyle") == "normal"
            assert page.problems == []


def test_english_counts_agree_in_number(page: Any, live_server: Any, seeded: None) -> None:
    opened(page, f"{live_server.url}/?type=announcement")
    assert page.locator("#status").text_content() == "1 event"


def test_the_browser_language_chooses_the_page_language_and_a_bad_lang_is_shown_in_english(
    new_page: Any, live_server: Any, seeded: None
) -> None:
    page = opened(new_page(locale="zh-TW"), live_server.url + "/")
    assert page.locator("h1").text_content() == "時間線"
    page = opened(new_page(), f"{live_server.url}/?lang=klingon")
    assert page.problems == []
    assert "klingon" in page.get_by_role("alert").text_content()
    assert page.locator("#status").text_content() == f"{len(published_titles())} events"


def test_public_quotes_show_without_inline_pinyin(page: Any, live_server: Any, seeded: None) -> None:
    citation = next(
        citation
        for citation in Event.objects.visible_to(None).get(date="2025-07-26", type="speech").citations.all()
        if "(wù)" in citation.quote
    )
    opened(page, f"{live_server.url}/?event={citation.event_id}")
    page.wait_for_function("() => document.querySelectorAll('#detail .quote').length > 0")
    quotes = " ".join(page.locator("#detail .quote").all_text_contents())
    assert "國務院" in quotes and "(wù)" not in quotes
    citation.refresh_from_db()
    assert "國務(wù)院" in citation.quote  # the record keeps the source's text


def test_a_keyboard_walk_through_three_events(new_page: Any, live_server: Any, seeded: None) -> None:
    page = opened(new_page(bypass_csp=True), live_server.url + "/")
    in_date_order = list(
        Event.objects.visible_to(None)
        .exclude(date="")
        .order_by("date_start", "pk")
        .values_list("title_en", flat=True)
    )
    for _ in range(40):  # Tab from the top of the page until an event has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('event')"):
            break
    focused = [page.evaluate("document.activeElement.textContent")]
    assert focused[0] == in_date_order[0]
    for _ in range(2):
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "(last) => document.activeElement.matches('.event')"
            " && document.activeElement.textContent !== last",
            arg=focused[-1],
        )
        focused.append(page.evaluate("document.activeElement.textContent"))
    assert focused == in_date_order[:3]
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(title) => document.getElementById('detail-title').textContent === title", arg=focused[-1]
    )
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    page.wait_for_selector("#detail", state="hidden")
    # The focus is back where the reader was.
    page.wait_for_function("(title) => document.activeElement.textContent === title", arg=focused[-1])


def test_the_wheel_scrolls_the_page_unless_ctrl_is_held(
    new_page: Any, live_server: Any, seeded: None
) -> None:
    page = opened(new_page(viewport={"width": 1366, "height": 500}), live_server.url + "/")
    axis = "[...document.querySelectorAll('.vis-time-axis .vis-text')].map((t) => t.textContent) + ''"
    before = page.evaluate(axis)
    page.locator("#timeline .vis-panel.vis-center").hover()
    page.mouse.wheel(0, 300)
    page.wait_for_function("() => window.scrollY > 0")
    assert page.evaluate(axis) == before, "the wheel zoomed the timeline instead of scrolling the page"
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    page.wait_for_function(f"(before) => ({axis}) !== before", arg=before)  # with Ctrl held, the wheel zooms


def test_the_histogram_spans_the_timeline_and_brushing_shows_exactly_the_brushed_period(
    page: Any, live_server: Any, seeded: None
) -> None:
    opened(page, live_server.url + "/")
    labels = page.locator("#histogram text").all_text_contents()
    assert "2024" in labels and "2025" in labels, labels
    histogram = page.locator("#histogram").bounding_box()
    page.mouse.move(histogram["x"] + histogram["width"] * 0.3, histogram["y"] + 20)
    page.mouse.down()
    page.mouse.move(histogram["x"] + histogram["width"] * 0.6, histogram["y"] + 20, steps=5)
    page.mouse.up()
    page.wait_for_url(re.compile("date_from="))
    page.wait_for_selector("body[data-ready=true]")
    query = parse_qs(urlsplit(page.url).query)
    shown = page.evaluate(
        "['#histogram .shown', '#histogram .window'].flatMap((selector) => {"
        " const box = document.querySelector(selector);"
        " return [+box.getAttribute('x'), +box.getAttribute('width')]; })"
    )
    # The timeline's window (dashed) is the brushed period (shaded), to the pixel.
    assert shown[0] == pytest.approx(shown[2], abs=1.5) and shown[1] == pytest.approx(shown[3], abs=1.5), (
        query,
        shown,
    )


@pytest.mark.parametrize("typed", ["October 2023", "2023年10月", "2023-10"])
def test_a_typed_range_is_shaded_whatever_its_form(
    page: Any, live_server: Any, seeded: None, typed: str
) -> None:
    opened(page, f"{live_server.url}/?date_from={typed}&date_to={typed}")
    shade = page.locator("#histogram .window")
    assert shade.count() == 1
    width = float(shade.get_attribute("width"))
    whole = page.locator("#histogram").bounding_box()["width"]
    assert 2 <= width < whole / 10  # one month of a span of years


def test_story_mode_shows_one_event_per_slide_with_a_link_per_slide(
    new_page: Any, live_server: Any, seeded: None, screenshot: Any
) -> None:
    for language, viewport in (("en", LAPTOP), ("zh-hans", PHONE), ("zh-hant", LAPTOP)):
        page = opened(new_page(viewport=viewport), f"{live_server.url}/?view=story&lang={language}")
        screenshot(page, f"story-{language}-{viewport['width']}")
        assert page.problems == []
    page = opened(new_page(bypass_csp=True), f"{live_server.url}/?view=story")
    assert page.locator(".tl-slide-titleslide .tl-headline").first.text_content() == "Timeline"
    page.locator(".tl-slidenav-next").first.click()
    page.wait_for_function("() => window.location.hash.startsWith('#event-')")
    first = page.evaluate("window.location.hash")
    page.locator(".tl-slidenav-next").first.click()
    page.wait_for_function("(first) => window.location.hash !== first", arg=first)
    link = page.url
    slide_id = link.split("#event-", 1)[1]  # TimelineJS's bookmark: #event-<the slide's unique_id>
    slide = page.locator(f"#{slide_id}")
    headline = slide.locator(".tl-headline").text_content()
    event = Event.objects.visible_to(None).get(title_en=headline)
    assert slide_id == f"event-{event.pk}"
    text = slide.text_content()
    assert event.date_display("en") in text
    for participation in event.participations.all():
        assert f"{participation.actor.name_en} ({participation.role})" in text
    for citation in event.citations.exclude(quote=""):
        assert citation.source.title in text and citation.quote[:20] in text
    assert axe_violations(page) == []
    again = opened(new_page(), link)
    again.wait_for_timeout(1000)  # TimelineJS moves to the bookmarked slide after it has loaded
    assert again.locator(f"#{slide_id}").is_visible()
    assert again.locator(f"#{slide_id}").bounding_box()["x"] >= 0
    assert again.locator(f"#{slide_id}").bounding_box()["x"] < LAPTOP["width"] / 2


def test_an_actor_page_shows_its_names_roles_feeds_and_events(
    new_page: Any, live_server: Any, seeded: None, screenshot: Any
) -> None:
    for language in LANGUAGES:
        for viewport in (LAPTOP, PHONE):
            page = opened(new_page(viewport=viewport), f"{live_server.url}/actors/li-qiang/?lang={language}")
            screenshot(page, f"actor-{language}-{viewport['width']}")
            assert page.problems == []
    page = opened(new_page(bypass_csp=True), f"{live_server.url}/actors/li-qiang/")
    names = page.locator("#actor .names").text_content()
    assert "Li Qiang" in names and "李强" in names and "李強" in names
    assert "speaker" in page.locator("#actor .roles").text_content()
    titles = set(page.locator("#timeline .vis-item .event").all_text_contents())
    assert titles == set(
        Event.objects.visible_to(None)
        .filter(participations__actor__slug="li-qiang")
        .values_list("title_en", flat=True)
    )
    assert "actor=li-qiang" in page.locator("#feed-links a", has_text="ics").get_attribute("href")
    assert axe_violations(page) == []
    assert new_page().goto(f"{live_server.url}/actors/no-such-actor/").status == 404


def test_the_embed_has_no_chrome_a_link_back_and_may_be_framed(
    new_page: Any, live_server: Any, seeded: None, screenshot: Any
) -> None:
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    opened(page, f"{live_server.url}/?actor=li-qiang&lang=zh-hans")
    page.get_by_role("button", name="复制嵌入代码").click()
    page.wait_for_selector("#copy-status:not(:empty)")
    code = page.evaluate("navigator.clipboard.readText()")
    source = re.search(r'src="([^"]+)"', code).group(1)
    assert "/embed/?" in source and "actor=li-qiang" in source and "lang=zh-hans" in source
    response = page.request.get(source)
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    assert "x-frame-options" not in response.headers
    assert (
        "frame-ancestors 'none'" in page.request.get(live_server.url + "/").headers["content-security-policy"]
    )

    for language in LANGUAGES:
        for viewport in (LAPTOP, PHONE):
            embed = opened(new_page(viewport=viewport), source.replace("zh-hans", language))
            screenshot(embed, f"embed-{language}-{viewport['width']}")
    embed = opened(new_page(bypass_csp=True), source)
    assert embed.locator("header, footer, #filters").count() == 0
    assert embed.locator("#open-full").get_attribute("target") == "_blank"
    assert "actor=li-qiang" in embed.locator("#open-full").get_attribute("href")
    assert axe_violations(embed) == []


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "360"])
def test_axe_finds_no_serious_violation_on_the_timeline_with_and_without_an_event_open(
    new_page: Any, live_server: Any, seeded: None, viewport: dict[str, int]
) -> None:
    for language in LANGUAGES:
        page = opened(new_page(viewport=viewport, bypass_csp=True), f"{live_server.url}/?lang={language}")
        assert axe_violations(page) == [], language
        page.locator(".event, .agenda-item").first.click()
        page.wait_for_selector("#detail:not([hidden])")
        page.wait_for_function("() => document.getElementById('detail-title').textContent.length > 0")
        assert axe_violations(page) == [], language


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_today_is_marked_on_the_timeline_in_the_readers_language(
    new_page: Any, live_server: Any, seeded: None, language: str
) -> None:
    # A typed period around today: the timeline shows exactly 2020-01-01 to 2031-01-01.
    page = opened(new_page(), f"{live_server.url}/?date_from=2020&date_to=2030&lang={language}")
    marker = page.locator("#timeline .vis-current-time")
    assert marker.locator(".now-label").text_content() == WORDS[language]["now"]
    center = page.locator("#timeline .vis-panel.vis-center").bounding_box()
    at = marker.bounding_box()["x"] - center["x"]
    today = page.evaluate("Date.now()")
    start, end = (calendar.timegm((year, 1, 1, 0, 0, 0)) * 1000 for year in (2020, 2031))
    assert at == pytest.approx((today - start) / (end - start) * center["width"], abs=3)


def test_the_histogram_is_brushed_by_keyboard_with_two_labelled_handles(
    new_page: Any, live_server: Any, seeded: None
) -> None:
    page = opened(new_page(bypass_csp=True), live_server.url + "/")
    brush_from = page.get_by_role("slider", name=WORDS["en"]["brush_from"])
    brush_to = page.get_by_role("slider", name=WORDS["en"]["brush_to"])

    def walk_to(slider: Any, month: str, key: str) -> None:
        for _ in range(200):
            if slider.get_attribute("aria-valuetext") == month:
                return
            page.keyboard.press(key)
        raise AssertionError(f"{month} not reached: {slider.get_attribute('aria-valuetext')}")

    brush_from.focus()
    page.keyboard.press("Home")
    walk_to(brush_from, "July 2024", "ArrowRight")
    page.keyboard.press("Tab")  # on to the other handle
    assert page.evaluate("document.activeElement.id") == "brush-to"
    page.keyboard.press("End")
    walk_to(brush_to, "February 2025", "ArrowLeft")
    assert float(page.locator("#histogram .brush").get_attribute("width")) > 10  # the brush follows
    assert axe_violations(page) == []
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("date_from=2024-07.*date_to=2025-02"))
    page.wait_for_selector("body[data-ready=true]")
    shown = page.evaluate(
        "['#histogram .shown', '#histogram .window'].flatMap((selector) => {"
        " const box = document.querySelector(selector);"
        " return [+box.getAttribute('x'), +box.getAttribute('width')]; })"
    )
    # The timeline shows exactly July 2024 to February 2025, the shaded typed period.
    assert shown[0] == pytest.approx(shown[2], abs=1.5) and shown[1] == pytest.approx(shown[3], abs=1.5)
    assert page.locator("#brush-from").get_attribute("aria-valuetext") == "July 2024"


@pytest.fixture
def crowded(transactional_db: Any) -> None:
    """400 synthetic events, every dated one published: more than 300, so vis-timeline clusters them."""
    call_command("generate_events", events=400, seed=1, verbosity=0)
    Event.objects.filter(date_start__isnull=False).update(status=Event.Status.PUBLISHED)


ON_LABEL = "() => document.activeElement.matches('#timeline .event, #timeline .cluster')"


def walk_to_a_cluster(page: Any) -> None:
    """Tab from the top of the page into the timeline, then the arrow keys until a cluster has the focus."""
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(ON_LABEL):
            break
    for _ in range(60):
        if page.evaluate("document.activeElement.matches('#timeline .cluster')"):
            return
        page.keyboard.press("ArrowRight")
        page.wait_for_function(ON_LABEL)
    raise AssertionError("no cluster reached with the arrow keys")


def test_the_keyboard_walks_into_a_cluster_and_opens_an_event_inside_it(
    new_page: Any, live_server: Any, crowded: None
) -> None:
    page = opened(new_page(bypass_csp=True), live_server.url + "/")
    walk_to_a_cluster(page)
    cluster = page.evaluate(
        "[document.activeElement.textContent, document.activeElement.getAttribute('aria-label')]"
    )
    count = int(cluster[0])
    assert cluster[1].startswith(f"{count} events, "), cluster
    page.keyboard.press("Enter")
    listed = page.locator("#cluster-list .cluster-event")
    page.wait_for_selector("#cluster-list:not([hidden])")
    assert listed.count() == count
    assert page.evaluate("document.activeElement.matches('#cluster-list .cluster-event')")
    assert axe_violations(page) == []
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate(
        "[document.activeElement.dataset.event, document.activeElement.querySelector('.what').textContent]"
    )
    # The event is inside the cluster: the timeline draws no label of its own for it.
    assert page.locator(f'#timeline .event[data-event="{chosen[0]}"]').count() == 0
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(title) => document.getElementById('detail-title').textContent === title", arg=chosen[1]
    )
    page.keyboard.press("Escape")
    page.wait_for_selector("#detail", state="hidden")
    page.wait_for_function("(id) => document.activeElement.dataset.event === id", arg=chosen[0])
    page.keyboard.press("Escape")
    page.wait_for_selector("#cluster-list", state="hidden")
    page.wait_for_function(ON_LABEL)  # the focus is back on the timeline


def test_the_focus_stays_on_a_cluster_that_the_timeline_hides_for_a_moment_as_it_redraws(
    new_page: Any, live_server: Any, crowded: None
) -> None:
    page = opened(new_page(bypass_csp=True), live_server.url + "/")
    walk_to_a_cluster(page)
    before = page.evaluate("document.activeElement.getAttribute('aria-label')")
    # What vis-timeline does to a label as it regroups: out of the layout for a frame, then back.
    page.evaluate(
        "() => new Promise((done) => {"
        " const item = document.activeElement.closest('.vis-item');"
        " item.style.display = 'none';"
        " requestAnimationFrame(() => requestAnimationFrame(() => { item.style.display = ''; done(); }));"
        "})"
    )
    page.wait_for_function(ON_LABEL)  # the keyboard user is still on the timeline, not the page's top
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == before


def swipe(page: Any, selector: str, leftwards: bool = True) -> None:
    """A one-finger swipe across ``selector``, as touch events (the page needs a hasTouch context)."""
    box = page.locator(selector).bounding_box()
    y = box["y"] + box["height"] * 0.4
    start, end = box["x"] + box["width"] * 0.85, box["x"] + box["width"] * 0.15
    if not leftwards:
        start, end = end, start
    touch = page.context.new_cdp_session(page)
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start, "y": y}]})
    for step in range(1, 11):
        point = {"x": start + (end - start) * step / 10, "y": y}
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        page.wait_for_timeout(16)
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    touch.detach()


def test_story_mode_moves_to_the_next_slide_with_a_swipe(
    new_page: Any, live_server: Any, seeded: None
) -> None:
    page = opened(new_page(viewport=PHONE, has_touch=True, is_mobile=True), f"{live_server.url}/?view=story")
    assert page.evaluate("location.hash") in ("", "#event-timeline")  # the title slide
    assert page.locator(".tl-message-full").is_visible()  # TimelineJS's "swipe to navigate" notice
    swipe(page, ".tl-storyslider")  # over the notice, as a reader would
    page.wait_for_function("() => location.hash.startsWith('#event-event-')")
    assert page.locator(".tl-message-full").is_hidden()
    first = page.evaluate("location.hash")
    slide = page.locator(f"#{first.removeprefix('#event-')}")
    page.wait_for_function(
        "(id) => { const box = document.getElementById(id).getBoundingClientRect();"
        " return box.left >= 0 && box.left < 40; }",
        arg=first.removeprefix("#event-"),
    )
    assert slide.locator(".tl-headline").text_content()
    swipe(page, ".tl-storyslider")
    page.wait_for_function("(first) => location.hash !== first", arg=first)
    swipe(page, ".tl-storyslider", leftwards=False)  # and back
    page.wait_for_function("(first) => location.hash === first", arg=first)
    assert page.problems == []
