"""Model validation: what the record refuses, and the derived columns it keeps in step."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Event, Location, Source
from events.services.events import event_publish, event_retract, event_set_status, events_set_status
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EventFactory,
    EventRelationFactory,
    SourceFactory,
    curator,
)

pytestmark = pytest.mark.django_db


def test_saving_an_event_stores_the_bounds_and_precision_of_its_date():
    event = EventFactory(date="2023-10")
    event.refresh_from_db()
    assert (event.date_start, event.date_end, event.date_precision) == (
        dt.date(2023, 10, 1),
        dt.date(2023, 10, 31),
        "month",
    )
    assert event.date_display("en") == "October 2023"
    assert event.date_display("zh") == "2023年10月"


def test_changing_only_the_date_field_still_updates_its_bounds():
    event = EventFactory(date="2023-10")
    event.date = "2025-07-26/2025-07-28"
    event.save(update_fields=["date"])
    event.refresh_from_db()
    assert (event.date_start, event.date_end, event.date_precision) == (
        dt.date(2025, 7, 26),
        dt.date(2025, 7, 28),
        "day",
    )


@pytest.mark.parametrize("bad", ["2023-13", "2025-07-28/2025-07-26", "2025-7", "October 2023"])
def test_an_invalid_date_is_a_validation_error_on_the_date_field(bad):
    event = EventFactory.build(date=bad, status=Event.Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "date" in error.value.message_dict


def test_a_published_event_needs_a_date_in_validation_and_in_the_database():
    event = EventFactory.build(date="", status=Event.Status.PUBLISHED)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "needs a date" in " ".join(error.value.message_dict["date"])
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_an_undated_draft_is_allowed():
    event = EventFactory(date="", status=Event.Status.DRAFT)
    event.full_clean()
    assert event.date_start is None and event.date_precision == ""


def test_the_public_sees_only_published_events_and_curators_see_all():
    published = EventFactory(status=Event.Status.PUBLISHED)
    draft = EventFactory(status=Event.Status.DRAFT, date="")
    retracted = EventFactory(status=Event.Status.RETRACTED)
    assert list(Event.objects.visible_to(AnonymousUser())) == [published]
    assert set(Event.objects.visible_to(curator())) == {published, draft, retracted}


def test_events_sort_by_start_then_end_and_undated_last():
    year = EventFactory(date="2023")
    month = EventFactory(date="2023-10")
    day = EventFactory(date="2023-01-01")
    undated = EventFactory(date="", status=Event.Status.DRAFT)
    assert list(Event.objects.in_date_order()) == [day, year, month, undated]


def test_sources_without_url_may_coexist_but_a_url_is_unique():
    SourceFactory(url="")
    SourceFactory(url=None)
    assert Source.objects.filter(url__isnull=True).count() == 2
    SourceFactory(url="https://news.example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(url="https://news.example.org/a")


def test_a_source_keeps_the_checksum_of_its_captured_text_and_the_bounds_of_its_date():
    source = SourceFactory(text="正文", published="2024-04-03")
    assert len(source.checksum) == 64
    assert (source.published_start, source.published_precision) == (dt.date(2024, 4, 3), "day")


def test_a_quote_must_occur_in_its_source():
    source = SourceFactory(text="The initiative was announced in October.")
    CitationFactory.build(source=source, quote="announced in October", event=EventFactory()).full_clean()
    with pytest.raises(ValidationError) as error:
        CitationFactory.build(source=source, quote="announced in May", event=EventFactory()).full_clean()
    assert "does not occur" in str(error.value)


def test_an_event_cannot_relate_to_itself():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EventRelationFactory(from_event=event, to_event=event)


def test_coordinates_come_in_pairs():
    with pytest.raises(ValidationError, match="Give both latitude and longitude, or neither"):
        Location(slug="half", name_en="Half", latitude=Decimal("31.2")).full_clean()


def test_a_wikidata_id_is_checked():
    actor = ActorFactory.build(wikidata_id="42")
    with pytest.raises(ValidationError) as error:
        actor.full_clean()
    assert "wikidata_id" in error.value.message_dict


def test_the_workflow_refuses_impossible_moves():
    draft = EventFactory(status=Event.Status.DRAFT)
    with pytest.raises(ValidationError, match="cannot become retracted"):
        event_retract(event=draft)
    event_set_status(event=draft, status=Event.Status.REVIEW)
    event_publish(event=draft)
    event_retract(event=draft)
    draft.refresh_from_db()
    assert draft.status == Event.Status.RETRACTED


def test_bulk_publishing_moves_dated_events_and_explains_the_rest():
    dated = EventFactory(status=Event.Status.REVIEW)
    undated = EventFactory(status=Event.Status.DRAFT, date="")
    moved, refused = events_set_status(events=[dated, undated], status=Event.Status.PUBLISHED)
    assert moved == [dated]
    assert "needs a date" in refused[undated]
    undated.refresh_from_db()
    assert undated.status == Event.Status.DRAFT
