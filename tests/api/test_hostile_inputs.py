"""A catalogue of hostile input: every item is a clear 4xx in the one error shape, never a 5xx or a traceback.

Parameters (each filter, pagination and language parameter with strings crafted to break parsers,
queries and formatting), parameter names, detail paths, request bodies and headers. The items are
plain data, so adding one is adding a line.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote

import pytest

from tests.factories import EventFactory, TagFactory

pytestmark = pytest.mark.django_db

# Strings that have broken parsers, queries or message formatting somewhere; none is a valid value of
# any parameter below (they are neither dates, choices, numbers nor the slug of a record).
HOSTILE = [
    "a\x00b",
    "%00",
    "%s%s%s%n",
    "%(value)s",
    "{0}{1}",
    "'; DROP TABLE events_event; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "${jndi:ldap://127.0.0.1/x}",
    "{{7*7}}",
    "\u202etxet.exe",
    "💣" * 50,
    "x" * 5000,
    "-1",
    "2023-13-45",
    "1e309",
    "NaN",
    "null",
    "[]",
    "\r\nSet-Cookie: hacked=1",
    "Octember",
    "\\",
]
# A printable name for each, for test ids.
HOSTILE_IDS = [repr(value)[:24] for value in HOSTILE]

LIST_PARAMETERS = [
    ("/api/v1/events/", "date_from"),
    ("/api/v1/events/", "date_to"),
    ("/api/v1/events/", "date_match"),
    ("/api/v1/events/", "actor"),
    ("/api/v1/events/", "role"),
    ("/api/v1/events/", "source"),
    ("/api/v1/events/", "publisher"),
    ("/api/v1/events/", "type"),
    ("/api/v1/events/", "tag"),
    ("/api/v1/events/", "location"),
    ("/api/v1/events/", "precision"),
    ("/api/v1/events/", "status"),
    ("/api/v1/events/", "updated_since"),
    ("/api/v1/events/", "ordering"),
    ("/api/v1/events/", "limit"),
    ("/api/v1/events/", "offset"),
    ("/api/v1/events/", "lang"),
    ("/api/v1/sources/", "publisher"),
    ("/api/v1/sources/", "published_from"),
    ("/api/v1/sources/", "language"),
    ("/api/v1/actors/", "kind"),
    ("/api/v1/changes/", "since"),
    ("/api/v1/changes/", "limit"),
]
# Every parameter with a handful of the strings (all of them would be 500 requests for little more).
PARAMETER_CASES = [
    pytest.param(path, name, value, id=f"{path.split('/')[3]}-{name}-{index}")
    for path, name in LIST_PARAMETERS
    for index, value in enumerate(HOSTILE)
    if index % 3 == LIST_PARAMETERS.index((path, name)) % 3 or index < 2
]

DETAIL_PATHS = [
    "/api/v1/events/",
    "/api/v1/actors/",
    "/api/v1/sources/",
    "/api/v1/tags/",
    "/api/v1/locations/",
]

BODIES = [
    '{"slug": ""}',
    "{",
    "}",
    "[]",
    "null",
    "1",
    '"slug"',
    "true",
    '{"slug": null, "title_en": null}',
    '{"slug": ["x"], "title_en": "X"}',
    '{"slug": {"$ne": 1}, "title_en": "X"}',
    '{"slug": "ok-slug", "title_en": "X", "date": "Octember 2023"}',
    '{"slug": "ok-slug", "title_en": "X", "date": {"year": 2023}}',
    '{"slug": "ok-slug", "title_en": "X", "tags": "not-a-list"}',
    '{"slug": "ok-slug", "title_en": "X", "tags": [1e309]}',
    '{"slug": "ok-slug", "title_en": "X", "tags": [{"$gt": ""}]}',
    '{"slug": "ok-slug", "title_en": "X", "actors": [{"actor": "nobody", "role": "speaker"}]}',
    '{"slug": "ok-slug", "title_en": "X", "actors": [{"actor": 1, "role": "emperor"}]}',
    '{"slug": "ok-slug", "title_en": "X", "citations": [{"source": "nowhere", "quote": "q"}]}',
    '{"slug": "ok-slug", "title_en": "X", "related": [{"relation": "owns", "event": "x"}]}',
    '{"slug": "ok-slug", "title_en": "X", "status": "deleted"}',
    '{"slug": "ok-slug", "title_en": "X", "location": 99999999999999999999}',
    '{"slug": "ok slug with spaces", "title_en": "X"}',
    '{"slug": "15", "title_en": "X"}',
    '{"slug": "UPPER", "title_en": "X"}',
    '{"slug": "ok-slug", "title_en": "' + "x" * 100_000 + '"}',
    '{"slug": "ok-slug", "title_en": "X\\u0000"}',
    '{"slug": "ok-slug", "title_en": "\\ud800"}',
    '{"slug": "ok-slug", "title_en": NaN}',
    '{"slug": "ok-slug", "title_en": Infinity}',
    '{"slug": "ok-slug", "title_en": "X",}',
    "[" * 5000 + "]" * 5000,
    '{"a":' * 2000 + "1" + "}" * 2000,
    "\xff\xfe not utf-8",
]
WRITES = [
    ("POST", "/api/v1/events/"),
    ("PUT", "/api/v1/events/{event}/"),
    ("PATCH", "/api/v1/events/{event}/"),
]

# (method, path, headers, body, content type): requests whose headers alone make them wrong.
HEADER_CASES = [
    ("GET", "/api/v1/events/", {"HTTP_ACCEPT": "application/xml"}),
    ("GET", "/api/v1/events/", {"HTTP_ACCEPT": "text/html"}),
    ("GET", "/api/v1/events/", {"HTTP_ACCEPT": "image/*"}),
    ("GET", "/api/v1/tags/", {"HTTP_ACCEPT": "application/json; version=" + "9" * 500}),
    ("GET", "/api/v1/events/", {"HTTP_AUTHORIZATION": "Token"}),
    ("GET", "/api/v1/events/", {"HTTP_AUTHORIZATION": "Token a b"}),
    ("GET", "/api/v1/events/", {"HTTP_AUTHORIZATION": "Token nosuchtoken"}),
    ("GET", "/api/v1/events/", {"HTTP_AUTHORIZATION": "Token " + "x" * 10_000}),
    ("GET", "/api/v1/events/", {"HTTP_AUTHORIZATION": "Token '; DROP TABLE authtoken_token; --"}),
    ("GET", "/api/v1/events/", {"HTTP_AUTHORIZATION": "Token a\x00b"}),
    ("GET", "/api/v1/events/", {"HTTP_AUTHORIZATION": "Token \xe2\x98\x83"}),
    ("GET", "/api/v1/events/", {"HTTP_X_ANYTHING": "a\x00b"}),
    ("GET", "/api/v1/events/", {"HTTP_ACCEPT_LANGUAGE": "zh\x00"}),
    ("POST", "/api/v1/events/", {}),  # anonymous write
    ("DELETE", "/api/v1/tags/{tag}/", {}),
    ("PUT", "/api/v1/tags/{tag}/", {}),
    ("POST", "/api/v1/events/", {"HTTP_AUTHORIZATION": "Basic !!!notbase64"}),
    ("POST", "/api/v1/events/", {"HTTP_AUTHORIZATION": "Basic " + "YTpi"}),
]
CURATOR_HEADER_CASES = [
    ("PATCH", "/api/v1/tags/{tag}/", {"HTTP_IF_MATCH": '"stale"'}),
    ("PATCH", "/api/v1/tags/{tag}/", {"HTTP_IF_MATCH": 'W/"weak"'}),
    ("PATCH", "/api/v1/tags/{tag}/", {"HTTP_IF_MATCH": "garbage without quotes"}),
    ("DELETE", "/api/v1/tags/{tag}/", {"HTTP_IF_MATCH": '"' + "0" * 32 + '"'}),
    ("PATCH", "/api/v1/tags/{tag}/", {"CONTENT_TYPE": "application/x-www-form-urlencoded"}),
    ("PATCH", "/api/v1/tags/{tag}/", {"CONTENT_TYPE": "multipart/form-data; boundary=x"}),
    ("PATCH", "/api/v1/tags/{tag}/", {"CONTENT_TYPE": "text/plain"}),
    ("PATCH", "/api/v1/tags/{tag}/", {"CONTENT_TYPE": "application/json" + "x" * 300}),
    ("POST", "/api/v1/tags/", {"CONTENT_LENGTH": str(50 * 1024 * 1024)}),
    ("GET", "/api/v1/events/", {"HTTP_IF_NONE_MATCH": "\x00"}),
    ("POST", "/api/v1/tags/{tag}/", {}),  # a method the URL does not take
    ("TRACE", "/api/v1/events/", {}),
]


@pytest.fixture
def records(db: Any) -> dict[str, str]:
    return {"event": EventFactory(slug="target").slug, "tag": TagFactory(slug="target-tag").slug}


@pytest.fixture
def no_server_errors(caplog: pytest.LogCaptureFixture) -> Any:
    """Fails a test that made Django log an error (what a 500 and its traceback leave in the log)."""
    caplog.set_level(logging.ERROR)
    yield
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not errors, [record.getMessage() for record in errors]


def assert_clear_4xx(response: Any) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    assert b"Traceback" not in response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message", "fields"}
    assert error["status"] == response.status_code and error["message"]
    return error


@pytest.mark.parametrize(("path", "name", "value"), PARAMETER_CASES)
def test_a_hostile_parameter_value_is_a_4xx(api_client, no_server_errors, path, name, value):
    error = assert_clear_4xx(api_client.get(path, {name: value}))
    assert name in error["fields"] or name in error["message"] or "NUL" in error["message"]


@pytest.mark.parametrize("value", HOSTILE, ids=HOSTILE_IDS)
def test_a_hostile_parameter_name_is_a_4xx(api_client, no_server_errors, value):
    assert_clear_4xx(api_client.get("/api/v1/events/", {value: "1"}))


@pytest.mark.parametrize("value", HOSTILE, ids=HOSTILE_IDS)
@pytest.mark.parametrize("collection", DETAIL_PATHS)
def test_a_hostile_record_name_in_a_path_is_a_4xx(api_client, no_server_errors, collection, value):
    assert_clear_4xx(api_client.get(collection + quote(value, safe="") + "/"))


@pytest.mark.parametrize("body", BODIES, ids=[f"body{index}" for index in range(len(BODIES))])
@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_hostile_body_is_a_4xx(curator_client, records, no_server_errors, method, path, body):
    response = curator_client.generic(
        method,
        path.format(**records),
        body.encode("utf-8", "surrogateescape") if isinstance(body, str) else body,
        content_type="application/json",
    )
    assert_clear_4xx(response)


@pytest.mark.parametrize(("method", "path", "headers"), HEADER_CASES)
def test_a_hostile_or_missing_header_is_a_4xx(api_client, records, no_server_errors, method, path, headers):
    body = json.dumps({"slug": "from-headers", "name_en": "X"})
    response = api_client.generic(
        method, path.format(**records), body, content_type="application/json", **headers
    )
    assert_clear_4xx(response)


@pytest.mark.parametrize(("method", "path", "headers"), CURATOR_HEADER_CASES)
def test_a_hostile_header_from_a_curator_is_a_4xx(
    curator_client, records, no_server_errors, method, path, headers
):
    headers = dict(headers)
    content_type = headers.pop("CONTENT_TYPE", "application/json")
    body = json.dumps({"name_en": "Changed"})
    response = curator_client.generic(
        method, path.format(**records), body, content_type=content_type, **headers
    )
    assert_clear_4xx(response)


def test_the_catalogue_has_at_least_300_items():
    items = (
        len(PARAMETER_CASES)
        + len(HOSTILE)
        + len(HOSTILE) * len(DETAIL_PATHS)
        + len(BODIES) * len(WRITES)
        + len(HEADER_CASES)
        + len(CURATOR_HEADER_CASES)
    )
    assert items >= 300, items
