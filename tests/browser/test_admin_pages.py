"""The curation desk works in a real browser under the Content-Security-Policy, at a laptop's width.

Headless Chromium (the house pattern of test_docs_page.py) signs in at the login form, opens the event
list and an event's form: no page logs a CSP violation or a script error, the actor filter is an
autocomplete box that finds an actor by name, and at 1,366 px the title column leaves titles room.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def sign_in(driver: Any, base_url: str, username: str, next_path: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{base_url}/admin/login/?next={next_path}")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()


def console_problems(driver: Any) -> list[str]:
    """Script errors and CSP violations the browser logged (the admin has no favicon: not a problem)."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if (entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"])
        and "/favicon.ico" not in entry["message"]
    ]


@pytest.mark.django_db(transaction=True)
def test_the_desk_works_under_the_csp_at_laptop_width(browser: Any, live_server: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    factories.curator("mei")
    premier = factories.ActorFactory(name_en="Li Qiang", slug="li-qiang")
    event = factories.EventFactory(
        title_en="Premier Li Qiang opens the World Artificial Intelligence Conference in Shanghai"
    )
    factories.ParticipationFactory(event=event, actor=premier, role="speaker")
    for n in range(30):
        factories.ActorFactory(name_en=f"Bystander {n}")

    browser.set_window_size(1366, 900)
    sign_in(browser, live_server.url, "mei", "/admin/events/event/")
    wait = WebDriverWait(browser, 20)
    wait.until(ready.presence_of_element_located((By.ID, "result_list")))

    # The actor filter is one autocomplete box (select2, from the admin's own scripts), not 31 links.
    box = wait.until(
        ready.element_to_be_clickable((By.CSS_SELECTOR, "#changelist-filter .select2-selection"))
    )
    assert not browser.find_elements(By.PARTIAL_LINK_TEXT, "Bystander")
    box.click()
    search = wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".select2-search__field")))
    search.send_keys("Li Qiang")
    # Read the offered options in one script call: select2 redraws them as results arrive.
    offered = "return [...document.querySelectorAll('.select2-results__option')].map(o => o.textContent)"
    wait.until(
        lambda driver: "Li Qiang" in driver.execute_script(offered),
        message="the actor autocomplete never offered Li Qiang",
    )

    title_cell = browser.find_element(By.CSS_SELECTOR, "#result_list .field-title_en")
    assert title_cell.size["width"] >= 300, f"the title column is {title_cell.size['width']} px wide"
    assert browser.find_element(By.CSS_SELECTOR, "#result_list td.field-actors_shown").text == "Li Qiang"

    browser.get(f"{live_server.url}/admin/events/event/{event.pk}/change/")
    wait.until(ready.presence_of_element_located((By.ID, "event_form")))
    # Scripts ran: the admin's autocomplete widgets were drawn by its JavaScript.
    assert browser.find_elements(By.CSS_SELECTOR, ".select2-container")
    assert console_problems(browser) == []


@pytest.mark.django_db(transaction=True)
def test_a_stale_save_in_the_browser_is_refused_then_reapplied(browser: Any, live_server: Any) -> None:
    """Mei edits in the browser while Jun saves the same event from another session."""
    from django.test import Client
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    from events.models import Event
    from tests.admin_forms import rendered_form_data

    factories.curator("mei")
    event = factories.EventFactory(title_en="As imported", summary_en="Original.")
    change_path = f"/admin/events/event/{event.pk}/change/"
    sign_in(browser, live_server.url, "mei", change_path)
    wait = WebDriverWait(browser, 20)
    summary = wait.until(ready.presence_of_element_located((By.NAME, "summary_en")))

    jun = Client()
    jun.force_login(factories.curator("jun"))
    data = rendered_form_data(jun.get(change_path))
    data["title_en"] = "Jun's title"
    assert jun.post(change_path, data).status_code == 302

    summary.clear()
    summary.send_keys("Mei's summary.")
    browser.find_element(By.NAME, "_continue").click()
    errors = wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".errorlist.nonfield")))
    assert "changed by jun after you opened this form" in errors.text
    assert "“As imported” → “Jun's title”" in errors.text
    assert Event.objects.get(pk=event.pk).summary_en == "Original."

    title = browser.find_element(By.NAME, "title_en")  # Mei takes Jun's title, keeps her summary
    title.clear()
    title.send_keys("Jun's title")
    browser.find_element(By.NAME, "_continue").click()
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".messagelist .success")))
    event.refresh_from_db()
    assert (event.title_en, event.summary_en) == ("Jun's title", "Mei's summary.")
