"""One JSON error shape for every error; JSON 404s for unknown URLs and records; never a traceback."""

import pytest
from django.test import Client, override_settings

from tests.api.conftest import error_of
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_unknown_urls_under_api_are_json_404s(api_client):
    for path in ("/api/v1/nothing/", "/api/v2/events/", "/api/", "/api/v1/events/1/citations/"):
        error = error_of(api_client.get(path), 404)
        assert error["code"] == "not_found"
        assert path in error["message"]


@override_settings(DEBUG=False)
def test_api_404s_are_json_with_debug_off_too(api_client):
    assert error_of(api_client.get("/api/v1/nothing/"), 404)["code"] == "not_found"


def test_a_missing_trailing_slash_is_redirected(api_client):
    response = api_client.get("/api/v1/events?date_from=2023")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/events/?date_from=2023"


def test_an_unknown_record_is_a_json_404_naming_it(api_client):
    error = error_of(api_client.get("/api/v1/events/999/"), 404)
    assert "999" in error["message"]
    assert error_of(api_client.get("/api/v1/tags/no-such-tag/"), 404)["fields"] == {}


def test_a_method_that_is_not_allowed_is_a_405_in_the_same_shape(curator_client):
    assert error_of(curator_client.post("/api/v1/events/1/"), 405)["code"] == "method_not_allowed"


def test_malformed_json_is_a_400_in_the_same_shape(curator_client):
    response = curator_client.post("/api/v1/tags/", "{not json", content_type="application/json")
    assert error_of(response, 400)["code"] == "parse_error"


@override_settings(DEBUG=False)
def test_an_unexpected_error_is_a_json_500_without_a_traceback(monkeypatch):
    EventFactory()

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("events.api.views.event_list", explode)
    monkeypatch.setattr("events.api.fast.event_list", explode)  # the thin path for anonymous reads
    response = Client(raise_request_exception=False).get("/api/v1/events/")
    error = error_of(response, 500)
    assert error["code"] == "server_error"
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content


@override_settings(DEBUG=False)
def test_pages_outside_the_api_keep_django_404s():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/tags/?100%25=x", "100%"),
        ("/api/v1/events/?date_from=50%25", "date_from"),
        ("/api/v1/events/?actor=%25s", "actor"),
    ],
)
def test_a_percent_sign_in_bad_input_is_quoted_back_not_a_500(api_client, path, parameter):
    """Error messages quote what the client sent; a "%" in it must not break their formatting."""
    error = error_of(api_client.get(path), 400)
    assert parameter in error["fields"]
    assert "%" in error["message"]


@pytest.mark.parametrize("name", ["%C2%B3", "99999999999999999999999", "%D9%A3"])
def test_a_record_named_by_an_odd_number_is_a_404_not_a_500(api_client, curator_client, name):
    """Superscript and Arabic-Indic digits, or an id past the database's integers, name no record."""
    assert error_of(api_client.get(f"/api/v1/tags/{name}/"), 404)["code"] == "not_found"
    assert error_of(curator_client.put(f"/api/v1/tags/{name}/", {"slug": "x", "name_en": "X"}), 404)
    assert "source" in error_of(api_client.get(f"/api/v1/events/?source={name}"), 400)["fields"]
