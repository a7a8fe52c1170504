"""A finding's review page: each decision is one form of its own (no box of one blocks another), edits
are saved with the approval and never over someone else's, a rejection keeps its reason, a merge target
is found by a search or among the likely duplicates, and the page shows the event as the public will."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Event
from ingestion.models import Finding
from tests.factories import EventFactory
from tests.ingestion.conftest import seed_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(ingester: Any) -> Client:
    client = Client()
    client.force_login(ingester)
    return client


@pytest.fixture
def draft(seed_actors_only: None, desk: Client) -> Finding:
    desk.post(
        reverse("admin:ingestion_ingestrun_add"),
        {"text": seed_text("001_c7f698a66cb334f9"), "language": "auto", "published": ""},
    )
    return Finding.objects.get(kind=Finding.Kind.DRAFT)


def review_url(finding: Finding) -> str:
    return reverse("admin:ingestion_finding_change", args=[finding.pk])


def test_the_ingest_report_links_each_draft_to_its_review(seed_actors_only: None, desk: Client) -> None:
    response = desk.post(
        reverse("admin:ingestion_ingestrun_add"),
        {"text": seed_text("001_c7f698a66cb334f9"), "language": "auto", "published": ""},
    )
    finding = Finding.objects.get(kind=Finding.Kind.DRAFT)
    assert f'href="{review_url(finding)}">Review this draft</a>' in response.content.decode()


def test_the_review_page_has_one_form_per_decision_and_previews_the_public_event(
    draft: Finding, desk: Client
) -> None:
    page = desk.get(review_url(draft)).content.decode()
    # The merge box is no longer inside the approve form, so the browser cannot block approving.
    approve = page.split('id="approve-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="into"' not in approve and 'name="reason"' not in approve
    preview = page.split('id="public-preview"', 1)[1]
    assert "October 2023" in preview and "2023年10月" in preview and "习近平主席宣布提出" in preview


def test_approving_saves_the_curators_edits_with_the_status(draft: Finding, desk: Client) -> None:
    event = draft.event
    form = desk.get(review_url(draft)).context["edit_form"]
    data = {
        **form.initial,
        "title_en": "Xi proposes the Global AI Governance Initiative",
        "date": "c. Oct 2023",
    }
    response = desk.post(review_url(draft), {**data, "decision": "approve"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert (event.title_en, event.date) == ("Xi proposes the Global AI Governance Initiative", "2023-10~")


def test_approving_over_someone_elses_change_is_refused(draft: Finding, desk: Client) -> None:
    form = desk.get(review_url(draft)).context["edit_form"]
    event = Event.objects.get(pk=draft.event_id)
    event.title_en = "Changed meanwhile"
    event.save()
    response = desk.post(review_url(draft), {**form.initial, "decision": "approve"})
    assert response.status_code == 400
    assert "was changed by someone else after you opened this page" in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT and event.title_en == "Changed meanwhile"


def test_a_bad_date_in_the_edit_is_refused_on_the_page(draft: Finding, desk: Client) -> None:
    form = desk.get(review_url(draft)).context["edit_form"]
    response = desk.post(review_url(draft), {**form.initial, "date": "late 2023", "decision": "approve"})
    assert response.status_code == 400
    assert "“late” names no exact months or days" in response.content.decode()
    assert Event.objects.get(pk=draft.event_id).status == Event.Status.DRAFT


def test_rejecting_keeps_the_reason(draft: Finding, desk: Client) -> None:
    desk.post(review_url(draft), {"decision": "reject", "reason": "Commentary, not news"})
    draft.refresh_from_db()
    assert draft.state == Finding.State.REJECTED and draft.reason == "Commentary, not news"
    assert "Commentary, not news" in desk.get(review_url(draft)).content.decode()
    too_long = Finding.objects.create(
        source=draft.source, kind="draft", date="2023", mention="x", mention_start=0, mention_end=1,
        quote_start=1, quote_end=2, quote="x",
    )  # fmt: skip
    assert desk.post(review_url(too_long), {"decision": "reject", "reason": "x" * 100_000}).status_code == 400


def test_the_merge_target_is_found_by_search_and_among_likely_duplicates(
    draft: Finding, desk: Client
) -> None:
    target = EventFactory(title_en="Global AI Governance Initiative", date="2023-10", status="published")
    target.participations.create(actor=draft.event.participations.get().actor, role="speaker")
    page = desk.get(review_url(draft))
    assert [event for event, _ in page.context["duplicates"]] == [target]
    found = desk.get(review_url(draft), {"q": "governance initiative"})
    assert found.context["candidates"] == [target]
    assert desk.get(review_url(draft), {"q": "2023-10"}).context["candidates"] == [target]

    desk.post(review_url(draft), {"decision": "merge", "into": str(target.pk)})
    draft.refresh_from_db()
    assert draft.state == Finding.State.MERGED and draft.event == target


def test_the_queue_reads_as_english(draft: Finding, desk: Client) -> None:
    page = desk.get(reverse("admin:ingestion_finding_changelist")).content.decode()
    assert "Review queue: choose a finding to review" in page and "1 finding\n" in page
    assert "Select finding to change" not in page and "Add finding" not in page
    assert "Ingest an article" in page and "Review the new draft" in page
