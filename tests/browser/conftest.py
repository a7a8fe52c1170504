"""Shared scaffolding of the browser tests: headless Debian Chromium, driven by Playwright (``page``,
``screenshot``) or, in the older tests, by Selenium through the system chromedriver (``browser``).

Playwright never downloads a browser here: it launches /usr/bin/chromium. Every host name but the live
server's is made unresolvable, as on a machine with no internet. Without /usr/bin/chromium the tests are
skipped, saying why; with REQUIRE_BROWSER=1 (CI) they fail instead. Screenshots go to SCREENSHOT_DIR
(default: the test's tmp_path), for a person to look at.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # No internet: only the live server's host names resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
)


def require_browser(*needed: Path) -> None:
    missing = [str(path) for path in (needed or (CHROMIUM, CHROMEDRIVER)) if not path.is_file()]
    if not missing:
        return
    reason = (
        f"{' and '.join(missing)} not found: install them with `apt-get install chromium chromium-driver` "
        "to run the browser tests"
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1 says they must run).")
    pytest.skip(reason + ".")


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # belt and braces: Selenium Manager must not go online
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.add_argument("--window-size=1280,900")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def requested_urls(driver: Any) -> set[str]:
    """Every URL the page asked for: the network log, plus the page's own resource timing entries."""
    urls = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.add(message["params"]["request"]["url"])
    urls |= set(
        driver.execute_script(
            "return performance.getEntries().filter(e => e.name.includes('://')).map(e => e.name)"
        )
    )
    return urls


# --- Playwright ------------------------------------------------------------------------------------

# Playwright's sync API runs an event loop in the test's thread; Django's ORM refuses to run beside one
# unless told that the caller (a test, never the server) knows what it does.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 800}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian Chromium for the session; each test gets its own context (cookies, storage)."""
    require_browser(CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_FLAGS[1:])
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def new_page(chromium: Any) -> Iterator[Any]:
    """``new_page(viewport=PHONE, locale="zh-CN")``: a fresh page in a context of its own, closed after
    the test. Console errors and uncaught exceptions are collected on ``page.problems``."""
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int] | None = None, locale: str = "en-US", **options: Any) -> Any:
        context = chromium.new_context(viewport=viewport or LAPTOP, locale=locale, **options)
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(f"uncaught: {error}"))
        page.on(
            "console",
            lambda message: (
                page.problems.append(f"console: {message.text}") if message.type == "error" else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Any) -> Any:
    """A laptop-sized English page."""
    return new_page()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """``screenshot(page, "name")`` saves a full-page PNG to SCREENSHOT_DIR (or tmp_path) and returns it."""
    directory = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = directory / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
