"""The Swagger UI at /api/v1/docs/ works in a real browser with no internet.

Headless Debian Chromium, driven by Selenium through the system chromedriver (so Selenium Manager never
downloads anything), loads the docs page from pytest-django's live server. Every host name but the live
server's is made unresolvable, as on a machine with no internet, and the test checks that the page
still renders the API's operations and asked no other host for anything.

Without /usr/bin/chromium the test is skipped, saying why; with REQUIRE_BROWSER=1 (CI) it fails instead.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import requested_urls

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_docs_page_renders_the_operations_from_local_assets_only(browser: Any, live_server: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_server.url + "/api/v1/docs/")

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
