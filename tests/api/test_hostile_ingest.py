"""Hostile input for ingestion: the API (POST /api/v1/sources/ingest/) and the admin's paste/upload form.

The same idea as test_hostile_inputs.py: plain data, one line per item. Every field of the API gets
binary-looking text, NUL characters, lone surrogates, wrong types, 10 MB values, deeply nested HTML and
scripts; raw bodies get invalid UTF-8, binary and broken JSON. Each answer is either a 4xx in the one
error shape with nothing stored, or, for a value that is merely odd (a script inside an article's text
is still text), the dry run's report; never a 5xx or a logged error. The admin form answers with its
errors (or its report) and never echoes a script unescaped.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Event, Source
from ingestion.models import IngestRun
from tests.api.test_hostile_inputs import HOSTILE, assert_clear_4xx, no_server_errors  # noqa: F401
from tests.factories import curator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_server_errors")]

URL = "/api/v1/sources/ingest/"
ADMIN_ADD = "/admin/ingestion/ingestrun/add/"
ARTICLE = "GENEVA, 26 July 2025 - The council met on 26 July 2025 and adopted the plan."
BASE = {"text": ARTICLE, "published": "2025-07-26", "dry_run": True}
FIELDS = ["text", "url", "publisher", "published", "language", "dry_run", "name"]

SCRIPT = "<script>alert(1)</script>"
TEN_MB = "x" * 10_000_000
# Values for every field, on top of test_hostile_inputs.HOSTILE.
VALUES: list[Any] = [
    *HOSTILE,
    "\x00",
    "text\x00with NUL",
    "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # a binary file's bytes, pasted as text
    "\ufffd\ufffd\ufffd",  # what invalid UTF-8 becomes once decoded with replacement
    "\x1b[31mred\x1b[0m\x07\x08",
    "<div>" * 5000 + "deep" + "</div>" * 5000,
    SCRIPT,
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "</textarea><script>alert(1)</script>",
    "x" * 1_100_000,  # over the article limit (1,000,000 characters), under the body limit
    TEN_MB,  # over the body limit (2.5 MB)
    0,
    1.5,
    True,
    None,
    [],
    ["a"],
    {},
    {"$ne": 1},
]

# Raw bodies: not JSON, not UTF-8, not an object.
RAW_BODIES: list[bytes] = [
    b"",
    b"\x00",
    b"\xff\xfe\x00{\x00}",
    b'{"text": "\xff\xfe invalid utf-8", "published": "2025-07-26"}',
    b'{"text": "a\\ud800b", "published": "2025-07-26"}',
    b'{"text": "GENEVA\x00", "published": "2025-07-26"}',
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    b"PK\x03\x04" + b"\x00" * 100,
    b'{"text": ' * 40 + b'"x"' + b"}" * 40,
    b"[" * 5000 + b"]" * 5000,
    b'{"text": "x", "text": {"nested": [1, 2, {"deeper": null}]}}',
    b'{"text": NaN, "published": Infinity}',
    b"null",
    b"[]",
    b'"just a string"',
    b'{"text": "' + b"y" * 3_000_000 + b'"}',
]


def counts() -> tuple[int, int, int]:
    return Source.objects.count(), Event.objects.count(), IngestRun.objects.count()


def assert_report_or_clear_4xx(response: Any) -> None:
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert_clear_4xx(response)
    else:
        assert {"source", "drafts", "suggestions"} <= set(response.json()), response.content[:300]


def refusals(cases: list[Any], send: Any, check: Any) -> dict[str, str]:
    """Each case sent in turn (one test per field keeps the catalogue fast); what went wrong, by case."""
    failures = {}
    for case in cases:
        before = counts()
        try:
            check(case, send(case), before)
        except AssertionError as error:
            failures[repr(case)[:40]] = str(error)[:300]
    return failures


@pytest.mark.parametrize("field", FIELDS)
def test_a_hostile_value_of_any_ingest_field_is_refused_or_only_dry_run(
    curator_client: Any, field: str
) -> None:
    def send(value: Any) -> Any:
        return curator_client.generic(
            "POST", URL, json.dumps({**BASE, field: value}), content_type="application/json"
        )

    def check(value: Any, response: Any, before: tuple[int, int, int]) -> None:
        assert_report_or_clear_4xx(response)
        if field != "dry_run" or response.status_code >= 400:
            assert counts()[:2] == before[:2], "a refused or dry-run ingest stored something"
        if value is TEN_MB:
            assert response.status_code == 413, response.status_code
        if field == "text" and isinstance(value, str) and "\x00" in value:
            assert response.status_code == 400, response.status_code

    values = VALUES if field == "text" else [value for value in VALUES if value is not TEN_MB]
    assert refusals(values, send, check) == {}


def test_a_hostile_raw_ingest_body_is_a_clear_4xx(curator_client: Any) -> None:
    def send(body: bytes) -> Any:
        return curator_client.generic("POST", URL, body, content_type="application/json")

    def check(body: bytes, response: Any, before: tuple[int, int, int]) -> None:
        assert_clear_4xx(response)
        assert counts() == before

    assert refusals(RAW_BODIES, send, check) == {}


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/html", "application/xml"],
)
def test_an_ingest_body_that_is_not_json_is_a_415(curator_client: Any, content_type: str) -> None:
    before = counts()
    response = curator_client.generic("POST", URL, f"text={SCRIPT}", content_type=content_type)

    assert assert_clear_4xx(response)["status"] == 415
    assert counts() == before


# The admin form: the text fields get the hostile strings (a form has no types); uploads get files.
ADMIN_FIELDS = ["text", "url", "publisher", "published", "language"]
ADMIN_VALUES = [value for value in VALUES if isinstance(value, str) and value is not TEN_MB]
# The article's text gets them all; the short fields the kinds that differ (a page render each is slow).
SHORT_FIELD_VALUES = [
    value
    for value in ADMIN_VALUES
    if "\x00" in value
    or "<" in value
    or len(value) > 4000
    or value.startswith(("%s", "'", "javascript", "\x89"))
]
UPLOADS = [
    ("article.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
    ("nul.txt", b"GENEVA\x00 26 July 2025"),
    ("latin1.txt", "Genève, le 26 juillet 2025 \xe9t\xe9".encode("latin-1")),
    ("invalid.txt", b"\xff\xfe\xfa\xfb not utf-8"),
    ("utf16.txt", ARTICLE.encode("utf-16")),
    ("empty.txt", b""),
    ("big.txt", b"x" * 10_000_000),
    ("nested.html", ("<div>" * 20000 + ARTICLE + "</div>" * 20000).encode()),
    ("script.html", f"{SCRIPT}<p>{ARTICLE}</p><img src=x onerror=alert(1)>".encode()),
    ("<script>alert(1)</script>.txt", ARTICLE.encode()),
    ("../../../../etc/passwd", ARTICLE.encode()),
    ("zip.txt", b"PK\x03\x04" + b"\x00" * 1000),
]


@pytest.fixture
def curator_in_admin(client: Any) -> Any:
    client.force_login(curator())
    return client


def assert_form_answer(response: Any) -> None:
    """The form again, with its errors or its report: never a 500, never a script echoed as markup."""
    assert response.status_code in {200, 400, 413}, response.status_code
    content = response.content.decode("utf-8", "replace")
    assert "Traceback" not in content
    for payload in (SCRIPT, "<img src=x onerror", "<svg onload"):
        assert payload not in content, f"{payload} echoed unescaped"


@pytest.mark.parametrize("field", ADMIN_FIELDS)
def test_a_hostile_value_in_the_admin_ingest_form_is_answered_by_the_form(
    curator_in_admin: Any, field: str
) -> None:
    def send(value: str) -> Any:
        data = {"text": ARTICLE, "published": "2025-07-26", "language": "auto", "dry_run": "on", field: value}
        return curator_in_admin.post(ADMIN_ADD, data)

    def check(value: str, response: Any, before: tuple[int, int, int]) -> None:
        assert_form_answer(response)
        assert counts()[:2] == before[:2]

    assert refusals(ADMIN_VALUES if field == "text" else SHORT_FIELD_VALUES, send, check) == {}


def test_a_hostile_upload_in_the_admin_ingest_form_is_answered_by_the_form(curator_in_admin: Any) -> None:
    def send(upload: tuple[str, bytes]) -> Any:
        name, content = upload
        data = {"published": "2025-07-26", "language": "auto", "dry_run": "on"}
        return curator_in_admin.post(
            ADMIN_ADD, {**data, "upload": SimpleUploadedFile(name, content, "text/plain")}
        )

    def check(upload: tuple[str, bytes], response: Any, before: tuple[int, int, int]) -> None:
        assert_form_answer(response)
        assert counts()[:2] == before[:2]

    assert refusals(UPLOADS, send, check) == {}


def test_the_ingestion_catalogue_has_at_least_200_items() -> None:
    api = len(VALUES) * len(FIELDS) - (len(FIELDS) - 1) + len(RAW_BODIES) + 4
    items = api + len(ADMIN_VALUES) + len(SHORT_FIELD_VALUES) * (len(ADMIN_FIELDS) - 1) + len(UPLOADS)
    assert items >= 200, items
