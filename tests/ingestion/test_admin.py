"""The ingestion desk in the admin: paste or upload an article, then review what it found — approve, edit,
merge or reject, one at a time or in bulk — with the evidence highlighted and every captured character
escaped."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin import helpers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from events.models import Event
from ingestion.models import Finding
from tests.factories import EventFactory, UserFactory
from tests.ingestion.conftest import seed_text

INGEST_URL = "admin:ingestion_ingestrun_add"
QUEUE_URL = "admin:ingestion_finding_changelist"
HOSTILE = (
    "新华社北京7月26日电 <script>alert('x')</script>国务院总理李强26日在北京出席会议并发表讲话,"
    "强调加强国际合作。<img src=x onerror=alert(1)>\n"
)


@pytest.fixture
def desk(ingester: Any) -> Client:
    client = Client()
    client.force_login(ingester)
    return client


def paste(desk: Client, text: str, **fields: Any) -> Any:
    data = {"text": text, "language": "auto", "published": "", "url": "", "publisher": "", **fields}
    return desk.post(reverse(INGEST_URL), data)


def finding_of(event_slug_prefix: str = "draft-") -> Finding:
    return Finding.objects.filter(event__slug__startswith=event_slug_prefix).order_by("pk").first()


@pytest.mark.django_db
def test_pasting_an_article_drafts_its_events_and_shows_the_report(
    seed_actors_only: None, desk: Client
) -> None:
    response = paste(desk, seed_text("001_c7f698a66cb334f9"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "New drafts (1)" in page and "2023-10" in page
    assert Event.objects.filter(status=Event.Status.DRAFT, date="2023-10").exists()


@pytest.mark.django_db
def test_uploading_a_file_is_the_same_and_a_bad_file_is_refused_on_the_form(
    seed_actors_only: None, desk: Client
) -> None:
    upload = SimpleUploadedFile("003.txt", seed_text("003_7f44d65a6cc781ab").encode("utf-8"))
    response = desk.post(reverse(INGEST_URL), {"upload": upload, "language": "auto"})
    assert "New drafts (5)" in response.content.decode()

    binary = SimpleUploadedFile("photo.jpg", b"\xff\xd8\x00\x00JFIF" * 10)
    refused = desk.post(reverse(INGEST_URL), {"upload": binary, "language": "auto"})

    assert refused.status_code == 200
    assert "photo.jpg is a binary file" in refused.content.decode()
    assert Event.objects.count() == 5


@pytest.mark.django_db
def test_an_article_without_a_date_is_refused_on_the_form_with_the_fix(db: Any, desk: Client) -> None:
    response = paste(desk, "The council met on Tuesday and adopted the plan.")

    assert "prints no publication date" in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_the_review_page_highlights_the_evidence_and_escapes_hostile_text(
    seed_actors_only: None, desk: Client
) -> None:
    paste(desk, HOSTILE, published="2025-07-26")
    finding = Finding.objects.get()

    page = desk.get(reverse("admin:ingestion_finding_change", args=[finding.pk])).content.decode()

    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert '<strong class="evidence">26日</strong>' in page
    assert '<mark class="evidence">国务院总理李强' in page or '<mark class="evidence">新华社' in page
    queue = desk.get(reverse(QUEUE_URL) + "?state=pending").content.decode()
    assert "<script>alert" not in queue and '<strong class="evidence">26日</strong>' in queue


@pytest.mark.django_db
def test_approving_a_draft_publishes_it(seed_actors_only: None, desk: Client) -> None:
    paste(desk, seed_text("001_c7f698a66cb334f9"))
    finding = Finding.objects.get()

    response = desk.post(
        reverse("admin:ingestion_finding_change", args=[finding.pk]), {"decision": "approve"}
    )

    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.state == Finding.State.ACCEPTED and finding.decided_by is not None
    assert finding.event is not None and finding.event.status == Event.Status.PUBLISHED


@pytest.mark.django_db
def test_rejecting_a_draft_deletes_it_and_remembers_the_decision(
    seed_actors_only: None, desk: Client
) -> None:
    paste(desk, seed_text("001_c7f698a66cb334f9"))
    finding = Finding.objects.get()

    desk.post(reverse("admin:ingestion_finding_change", args=[finding.pk]), {"decision": "reject"})

    finding.refresh_from_db()
    assert finding.state == Finding.State.REJECTED and finding.event is None
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_merging_a_draft_moves_its_citation_to_the_existing_event(
    seed_actors_only: None, desk: Client
) -> None:
    target = EventFactory(slug="gaigi", title_en="Global AI Governance Initiative", date="2023-10")
    # An event of another month, so that ingestion drafts rather than suggests.
    target.date = "2023-11"
    target.save()
    paste(desk, seed_text("001_c7f698a66cb334f9"))
    finding = Finding.objects.get(kind=Finding.Kind.DRAFT)
    draft = finding.event
    change_url = reverse("admin:ingestion_finding_change", args=[finding.pk])

    unknown = desk.post(change_url, {"decision": "merge", "into": "no-such-event"})
    assert "There is no event" in unknown.content.decode()
    desk.post(change_url, {"decision": "merge", "into": "gaigi"})

    finding.refresh_from_db()
    assert finding.state == Finding.State.MERGED and finding.event == target
    assert not Event.objects.filter(pk=draft.pk).exists()
    assert target.citations.get().quote.startswith("2023年10月,习近平主席宣布提出")
    assert [part.actor.slug for part in target.participations.all()] == ["xi-jinping"]


@pytest.mark.django_db
def test_approving_a_suggestion_adds_the_citation_to_the_existing_event(
    seeded_record: None, desk: Client
) -> None:
    paste(desk, seed_text("002_e398be88e55bf720"), published="2025-07-26")
    finding = Finding.objects.get(kind=Finding.Kind.SUGGESTION)
    event = finding.event
    before = event.citations.count()

    desk.post(reverse("admin:ingestion_finding_change", args=[finding.pk]), {"decision": "approve"})

    assert event.citations.count() == before + 1
    assert event.citations.filter(quote=finding.quote, source=finding.source).exists()


@pytest.mark.django_db
def test_bulk_actions_approve_and_reject_many_and_say_which_were_refused(
    seed_actors_only: None, desk: Client
) -> None:
    paste(desk, seed_text("003_7f44d65a6cc781ab"))
    pending = list(Finding.objects.filter(state=Finding.State.PENDING).order_by("pk"))
    assert len(pending) == 5
    first_two = [str(finding.pk) for finding in pending[:2]]

    desk.post(reverse(QUEUE_URL), {"action": "approve_findings", helpers.ACTION_CHECKBOX_NAME: first_two})
    response = desk.post(  # from the list of findings in any state, where the approved ones still show
        reverse(QUEUE_URL) + "?state=any",
        {"action": "reject_findings", helpers.ACTION_CHECKBOX_NAME: [str(finding.pk) for finding in pending]},
        follow=True,
    )

    states = dict(Finding.objects.values_list("pk", "state"))
    assert [states[finding.pk] for finding in pending] == ["accepted"] * 2 + ["rejected"] * 3
    assert Event.objects.filter(status=Event.Status.PUBLISHED).count() == 2
    assert Event.objects.count() == 2
    page = response.content.decode()
    assert "3 findings rejected" in page and "2 findings refused" in page and "was accepted already" in page


@pytest.mark.django_db
def test_bulk_merge_asks_for_the_event_then_merges(seed_actors_only: None, desk: Client) -> None:
    target = EventFactory(slug="reports", title_en="Reports", date="2020")
    paste(desk, seed_text("003_7f44d65a6cc781ab"))
    chosen = [str(pk) for pk in Finding.objects.order_by("pk").values_list("pk", flat=True)[:2]]
    data = {"action": "merge_findings", helpers.ACTION_CHECKBOX_NAME: chosen}

    asking = desk.post(reverse(QUEUE_URL), data)
    assert asking.status_code == 200 and "Merge into event" in asking.content.decode()
    desk.post(reverse(QUEUE_URL), {**data, "apply": "1", "into": str(target.pk)})

    assert target.citations.count() == 2
    assert Event.objects.count() == 1 + 3


@pytest.mark.django_db
def test_staff_without_curator_permissions_cannot_ingest_or_review(seed_actors_only: None) -> None:
    client = Client()
    client.force_login(UserFactory(username="visitor", is_staff=True))

    assert paste(client, HOSTILE, published="2025-07-26").status_code == 403
    assert client.get(reverse(QUEUE_URL) + "?state=pending").status_code == 403
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_the_event_form_shows_where_each_quote_stands_in_its_source(
    seed_actors_only: None, desk: Client
) -> None:
    paste(desk, seed_text("001_c7f698a66cb334f9"))
    draft = Event.objects.get()

    page = desk.get(reverse("admin:events_event_change", args=[draft.pk])).content.decode()

    text = seed_text("001_c7f698a66cb334f9")
    start = text.index("2023年10月,习近平")
    assert f"paragraph 9, characters {start}–" in page


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["ingestrun", "finding"])
def test_the_ingestion_lists_offer_to_ingest_an_article_not_to_add_a_row(
    admin_client: Client, model: str
) -> None:
    page = admin_client.get(reverse(f"admin:ingestion_{model}_changelist")).content.decode()
    assert "Ingest an article" in page
