"""Event date filters: partial dates at month and year boundaries, overlap and within, human input."""

import pytest

from events.models import Event
from tests.api.conftest import error_of, result_slugs
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


def found(client, **params):
    return set(result_slugs(client.get(EVENTS, params)))


@pytest.fixture
def october_2023():
    return EventFactory(slug="october-2023", date="2023-10")


def test_a_month_event_is_found_by_a_window_inside_the_month_with_overlap(api_client, october_2023):
    assert found(api_client, date_from="2023-10-15", date_to="2023-10-20") == {"october-2023"}
    assert found(api_client, date_from="2023-10-15", date_to="2023-10-20", date_match="overlap") == {
        "october-2023"
    }


def test_a_month_event_is_not_within_a_window_inside_the_month(api_client, october_2023):
    assert found(api_client, date_from="2023-10-15", date_to="2023-10-20", date_match="within") == set()


def test_within_keeps_events_lying_wholly_inside_the_window(api_client, october_2023):
    EventFactory(slug="october-18", date="2023-10-18")
    EventFactory(slug="year-2023", date="2023")
    assert found(api_client, date_from="2023-10", date_to="2023-10", date_match="within") == {
        "october-2023",
        "october-18",
    }


def test_overlap_keeps_coarser_events_that_meet_the_window(api_client, october_2023):
    EventFactory(slug="year-2023", date="2023")
    EventFactory(slug="november-2023", date="2023-11")
    assert found(api_client, date_from="2023-10-18", date_to="2023-10-18") == {"october-2023", "year-2023"}


def test_a_year_as_date_to_means_the_end_of_that_year(api_client):
    EventFactory(slug="new-years-eve", date="2023-12-31")
    EventFactory(slug="new-years-day", date="2024-01-01")
    assert found(api_client, date_to="2023") == {"new-years-eve"}
    assert found(api_client, date_to="2023", date_match="within") == {"new-years-eve"}


def test_a_year_as_date_from_means_the_start_of_that_year(api_client):
    EventFactory(slug="new-years-eve", date="2023-12-31")
    EventFactory(slug="new-years-day", date="2024-01-01")
    assert found(api_client, date_from="2024") == {"new-years-day"}


def test_a_month_as_date_to_ends_on_its_last_day(api_client):
    EventFactory(slug="last-of-february", date="2024-02-29")
    EventFactory(slug="first-of-march", date="2024-03-01")
    assert found(api_client, date_to="2024-02") == {"last-of-february"}
    assert found(api_client, date_from="2024-03") == {"first-of-march"}


def test_a_month_event_meets_a_window_that_starts_on_its_last_day(api_client, october_2023):
    assert found(api_client, date_from="2023-10-31") == {"october-2023"}
    assert found(api_client, date_from="2023-11-01") == set()
    assert found(api_client, date_from="2023-10-31", date_match="within") == set()


def test_an_interval_event_is_found_by_a_day_inside_it_only_with_overlap(api_client):
    EventFactory(slug="waic", date="2025-07-26/2025-07-28")
    assert found(api_client, date_from="2025-07-27", date_to="2025-07-27") == {"waic"}
    assert found(api_client, date_from="2025-07-27", date_to="2025-07-27", date_match="within") == set()
    assert found(api_client, date_from="2025-07", date_to="2025-07", date_match="within") == {"waic"}


def test_an_open_ended_event_overlaps_any_later_window_but_is_within_none(api_client):
    EventFactory(slug="ongoing", date="2024-08-01/..")
    assert found(api_client, date_from="2030") == {"ongoing"}
    assert found(api_client, date_from="2024", date_to="2030", date_match="within") == set()


def test_undated_events_never_match_a_date_filter(curator_client):
    EventFactory(slug="undated", date="", status=Event.Status.DRAFT)
    EventFactory(slug="dated", date="2023-10")
    assert "undated" in found(curator_client)
    assert found(curator_client, date_from="1000") == {"dated"}
    assert found(curator_client, date_to="9999") == {"dated"}


def test_date_filters_read_human_input(api_client, october_2023):
    EventFactory(slug="july-2025", date="2025-07-26")
    assert found(api_client, date_from="October 2023", date_to="October 2023") == {"october-2023"}
    assert found(api_client, date_from="2023年10月", date_to="2023年10月") == {"october-2023"}
    assert found(api_client, date_from="26 July 2025") == {"july-2025"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("date_from", "Octember 2023"),
        ("date_to", "2023-13"),
        ("date_from", "2023-02-30"),
        ("date_to", "soon"),
    ],
)
def test_a_malformed_date_is_a_400_naming_the_parameter(api_client, name, value):
    error = error_of(api_client.get(EVENTS, {name: value}), 400)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [name]
    assert name in error["message"]


def test_a_window_that_ends_before_it_starts_is_a_400(api_client):
    error = error_of(api_client.get(EVENTS, {"date_from": "2024", "date_to": "2023"}), 400)
    assert list(error["fields"]) == ["date_to"]


def test_an_unknown_date_match_is_a_400(api_client):
    error = error_of(api_client.get(EVENTS, {"date_from": "2023", "date_match": "touching"}), 400)
    assert list(error["fields"]) == ["date_match"]
