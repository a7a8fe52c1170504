"""The Swagger UI at /api/v1/docs/ works in a real browser with no internet.

Headless Debian Chromium, driven by Selenium through the system chromedriver (so Selenium Manager never
downloads anything), loads the docs page from pytest-django's live server. Every host name but the live
server's is made unresolvable, as on a machine with no internet, and the test checks that the page
still renders the API's operations and asked no other host for anything.

Without /usr/bin/chromium the test is skipped, saying why; with REQUIRE_BROWSER=1 (CI) it fails instead.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DOCS_PATH = "/api/v1/docs/"
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

pytestmark = pytest.mark.browser


def require_browser() -> None:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
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
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
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


@pytest.mark.django_db(transaction=True)
def test_docs_page_renders_the_operations_from_local_assets_only(browser: Any, live_server: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_server.url + DOCS_PATH)

    # Swagger UI draws one block per operation once it has fetched and parsed the schema.
    def events_list_operation(driver: Any) -> bool:
        blocks = driver.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
        return any(block.text.strip().rstrip("/") == "/api/v1/events" for block in blocks)

    WebDriverWait(browser, 30).until(
        events_list_operation, message="the docs page never showed the GET /api/v1/events/ operation"
    )
    assert browser.find_elements(By.CSS_SELECTOR, ".opblock-get"), "no GET operation was rendered"

    server = urlsplit(live_server.url).netloc
    network_urls = {
        url for url in requested_urls(browser) if urlsplit(url).scheme in {"http", "https", "ws", "wss"}
    }
    assert network_urls, "the network log recorded nothing: the check below would prove nothing"
    elsewhere = sorted(url for url in network_urls if urlsplit(url).netloc != server)
    assert elsewhere == [], f"the docs page asked hosts other than {server}: {elsewhere}"
