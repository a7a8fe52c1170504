"""Stored XSS in Chromium: a payload in every text field a record carries runs nowhere anyone looks.

Every free-text field of events, actors (and aliases), sources, citations, participations, tags,
locations, ingestion runs and review findings holds markup that would run if it reached the page as
markup (``<script>``, ``onerror``, ``onload``, a broken-out attribute), each naming its field. An
article with such markup is ingested through the real service, so the review queue shows it with its
evidence marked. Chromium then visits, as a visitor and as a signed-in curator, the public page (with
an event opened), the admin lists, every change form and the review queue: no dialog may open, and the
Content-Security-Policy may report no violation (an injected inline script or handler would be refused,
and reported, before it ran).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from django.test import Client

from events.models import Actor, ActorAlias, Citation, Event, Location, Participation, Source, Tag
from ingestion.models import Finding, IngestRun
from tests.browser.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser

# Fields whose value has a format of its own (dates, keys, hashes, identifiers): not free text.
NOT_FREE_TEXT = {"date", "published", "checksum", "key", "wikidata_id", "text_clean"}
# Which of each record's fields carry a payload, for the test's own check that none was forgotten.
FILLED: dict[str, list[str]] = {}


def payload(label: str, max_length: int | None) -> str:
    full = f"\"'><img src=x onerror=alert('{label}')><script>alert('{label}')</script><svg onload=alert(1)>"
    if max_length is None or len(full) <= max_length:
        return full
    return "<svg onload=alert(1)>"


def fill_every_text_field(record: models.Model) -> None:
    """Writes a payload into each free-text field of ``record``, past the services (as any old row might)."""
    values = {}
    for field in record._meta.concrete_fields:
        if (
            isinstance(field, (models.CharField, models.TextField))
            and not isinstance(field, (models.SlugField, models.URLField))
            and not field.choices
            and field.name not in NOT_FREE_TEXT
        ):
            values[field.name] = payload(f"{type(record).__name__}.{field.name}", field.max_length)
    type(record).objects.filter(pk=record.pk).update(**values)
    FILLED[type(record).__name__] = sorted(values)


@pytest.fixture
def hostile_record(transactional_db: Any) -> dict[str, Any]:
    from ingestion.services.articles import ArticleInput
    from ingestion.services.ingest import ingest_article
    from tests.factories import (
        ActorAliasFactory,
        ActorFactory,
        CitationFactory,
        EventFactory,
        LocationFactory,
        ParticipationFactory,
        SourceFactory,
        TagFactory,
        curator,
    )

    user = curator("xss-curator")
    actor = ActorFactory(slug="hostile-actor")
    ActorAliasFactory(actor=actor, name="Hostile alias")
    location = LocationFactory(slug="hostile-place")
    tag = TagFactory(slug="hostile-tag")
    source = SourceFactory(slug="hostile-source", url="https://news.example.org/a?q=%3Cscript%3E")
    event = EventFactory(
        slug="hostile-event", date="2025-07-26", status=Event.Status.PUBLISHED, location=location
    )
    event.tags.add(tag)
    ParticipationFactory(event=event, actor=actor, role="speaker")
    CitationFactory(event=event, source=source, quote=source.text)
    for model in (Event, Actor, ActorAlias, Source, Citation, Participation, Tag, Location):
        for record in model.objects.all():
            fill_every_text_field(record)

    # An ingested article: its captured text is hostile, and the review queue marks evidence inside it.
    article = (
        "GENEVA, 26 July 2025 - <script>alert('article')</script>The council "
        "<img src=x onerror=alert('article')> met on 26 July 2025 and adopted the plan.\n"
        "A week later, on 2 August 2025, the ministers <svg onload=alert(1)> signed it.\n"
    )
    ingest_article(
        article=ArticleInput(
            text=article,
            name=payload("IngestRun.name", 300),
            url=None,
            publisher="",
            published="2025-07-26",
            language="auto",
        ),
        user=user,
        dry_run=False,
    )
    for model in (IngestRun, Finding):
        for record in model.objects.all():
            fill_every_text_field(record)
    assert Finding.objects.exists(), "the hostile article gave the review queue nothing to show"
    return {"curator": user, "event": Event.objects.get(slug="hostile-event")}


def watched(page: Any) -> dict[str, list[str]]:
    """Dialogs opened and CSP violations reported on ``page`` (from now on, on every page it loads)."""
    seen: dict[str, list[str]] = {"dialogs": [], "violations": []}

    def on_dialog(dialog: Any) -> None:
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda message: seen["violations"].append(message.text) if "Refused to" in message.text else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => console.error("
        "'Refused to (securitypolicyviolation) ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return seen


def sign_in(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def visit(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_load_state("load")


def admin_pages() -> list[str]:
    pages = []
    for model in (
        Event,
        Actor,
        ActorAlias,
        Source,
        Citation,
        Participation,
        Tag,
        Location,
        IngestRun,
        Finding,
    ):
        meta = model._meta
        pages.append(f"/admin/{meta.app_label}/{meta.model_name}/")
        pages += [
            f"/admin/{meta.app_label}/{meta.model_name}/{pk}/change/"
            for pk in model.objects.values_list("pk", flat=True)
        ]
    return [*pages, "/admin/", "/admin/ingestion/finding/?state=pending", "/admin/ingestion/ingestrun/add/"]


@pytest.mark.parametrize(("viewport", "locale"), [(LAPTOP, "en-US"), (PHONE, "zh-CN")])
def test_no_stored_payload_runs_on_the_public_page(
    new_page: Any,
    screenshot: Any,
    live_server: Any,
    hostile_record: dict[str, Any],
    viewport: Any,
    locale: str,
) -> None:
    page = new_page(viewport=viewport, locale=locale)
    seen = watched(page)
    event = hostile_record["event"]

    for url in ["/", "/?lang=zh-hans", f"/?actor=hostile-actor&event={event.pk}", f"/?event={event.pk}"]:
        visit(page, live_server.url + url)
        page.wait_for_selector('body[data-ready="true"]', timeout=30_000)
        page.wait_for_timeout(300)  # a handler set by a payload would fire on load
        assert page.locator("img[src=x]").count() == 0, f"a payload became an <img> element on {url}"

    screenshot(page, f"stored-xss-public-{viewport['width']}-{locale}")
    assert seen == {"dialogs": [], "violations": []}
    # The payload is there, shown as the text it is (the event is open in the detail panel), in the
    # title of the page's language: a Chinese browser reads the simplified Chinese one.
    field = "title_zh" if locale.startswith("zh") else "title_en"
    assert f"<script>alert('Event.{field}')</script>" in page.inner_text("body")


def test_no_stored_payload_runs_in_the_admin_or_the_review_queue(
    page: Any, screenshot: Any, live_server: Any, hostile_record: dict[str, Any]
) -> None:
    seen = watched(page)
    sign_in(page, live_server, hostile_record["curator"])
    pages = admin_pages()

    for url in pages:
        visit(page, live_server.url + url)
        assert page.locator("img[src=x]").count() == 0, f"a payload became an <img> element on {url}"
        if url.startswith("/admin/ingestion/finding/") and url.endswith("/change/"):
            screenshot(page, "stored-xss-review-page")
    visit(page, live_server.url + "/admin/ingestion/finding/?state=pending")
    screenshot(page, "stored-xss-review-queue")

    assert len(pages) > 25
    assert seen == {"dialogs": [], "violations": []}
    for model, fields in {"Event": ["summary_en", "title_en"], "Source": ["byline", "text", "title"]}.items():
        assert set(fields) <= set(FILLED[model]), FILLED
