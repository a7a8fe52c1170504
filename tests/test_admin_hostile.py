"""Every admin form a curator fills in answers hostile input with a form error, never a server error:
a NUL character, a megabyte of text, and dates malformed in every way, in every text box at once."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from events.models import Actor, Event, Source
from tests import factories
from tests.admin_forms import rendered_form_data

pytestmark = pytest.mark.django_db

HOSTILE = [
    "nul\x00here",
    "x" * 1_000_000,
    "2024-02-30",
    "2024-13-01",
    "../..",
    "2025/2024",
    "0000",
    "late 2023",
    "１９９９年",
    "<script>alert(1)</script>",
]
REFUSED_EVERYWHERE = {HOSTILE[0], HOSTILE[1]}  # a NUL character, a megabyte
MALFORMED_DATES = set(HOSTILE[2:8])  # in a date box (every box here gets them): no such date
ADD_PAGES = [
    "events_event_add",
    "events_source_add",
    "events_actor_add",
    "events_actoralias_add",
    "events_tag_add",
    "events_location_add",
    "events_participation_add",
    "events_citation_add",
    "events_eventrelation_add",
    "ingestion_ingestrun_add",
]


def hostile_post(client: Client, url: str, value: str) -> Any:
    page = client.get(url)
    assert page.status_code == 200
    if "adminform" in page.context:
        data = rendered_form_data(page)
        fields = page.context["adminform"].form.fields
    else:  # the ingest form
        data = {"language": "auto"}
        fields = page.context["form"].fields
    for name, field in fields.items():
        if isinstance(field, forms.CharField):
            data[name] = value
    return client.post(url, data)


@pytest.mark.parametrize("page", ADD_PAGES)
@pytest.mark.parametrize("value", HOSTILE, ids=lambda value: repr(value[:12]))
def test_hostile_text_in_every_box_is_a_form_error_not_a_server_error(
    admin_client: Client, page: str, value: str
) -> None:
    before = (Event.objects.count(), Source.objects.count(), Actor.objects.count())
    response = hostile_post(admin_client, reverse(f"admin:{page}"), value)
    assert response.status_code < 500
    dated = page in {"events_event_add", "events_source_add"}
    if value in REFUSED_EVERYWHERE or (dated and value in MALFORMED_DATES):
        # The form again with its error (200), or the request refused whole (400: a megabyte is over the
        # request size limit); either way nothing was saved.
        assert response.status_code in {200, 400}, f"{page} accepted {value[:20]!r}"
        assert (Event.objects.count(), Source.objects.count(), Actor.objects.count()) == before


@pytest.mark.parametrize("value", HOSTILE, ids=lambda value: repr(value[:12]))
def test_hostile_text_on_a_review_page_is_refused_and_changes_nothing(
    admin_client: Client, value: str
) -> None:
    event = factories.EventFactory(status="draft", title_en="Draft to review", date="2024-05")
    source = factories.SourceFactory(text="On 3 May 2024 something happened.")
    finding = factories_finding(source, event)
    url = reverse("admin:ingestion_finding_change", args=[finding.pk])
    for decision, box in (
        ("approve", "date"),
        ("approve", "title_en"),
        ("merge", "into"),
        ("reject", "reason"),
    ):
        data = {"decision": decision, "title_en": "Draft to review", "date": "2024-05", box: value}
        data["version"] = Event.objects.get(pk=event.pk).updated_at.isoformat()
        response = admin_client.post(url, data)
        assert response.status_code < 500, (decision, box)
        if value in REFUSED_EVERYWHERE:
            assert response.status_code == 400, (decision, box)
        if not Event.objects.filter(pk=event.pk, status=Event.Status.DRAFT).exists():
            break  # a value that is a fine title or reason was taken: the finding is decided
    if value in REFUSED_EVERYWHERE:
        event.refresh_from_db()
        assert event.status == Event.Status.DRAFT and event.title_en == "Draft to review"


def factories_finding(source: Source, event: Event) -> Any:
    from ingestion.models import Finding

    return Finding.objects.create(
        source=source,
        event=event,
        kind=Finding.Kind.DRAFT,
        date="2024-05-03",
        mention="3 May 2024",
        mention_start=3,
        mention_end=13,
        quote_start=0,
        quote_end=len(source.text),
        quote=source.text,
    )
