"""Backup and restore: `backup` then `restore` into a fresh, migrated database gives the API's answers
back byte for byte (ids, history, change feed and tokens included); a restore is all or nothing."""

from __future__ import annotations

import gzip
import json
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.authtoken.models import Token

from events.models import Event
from tests import factories
from tests.admin_forms import rendered_form_data

# Every public list and a detail of each kind, anonymous and as a curator (drafts, history).
API_PATHS = [
    "/api/v1/events/?limit=500",
    "/api/v1/events/?limit=500&ordering=-updated",
    "/api/v1/events/?lang=zh-hant&limit=500",
    "/api/v1/actors/?limit=500",
    "/api/v1/sources/?limit=500",
    "/api/v1/tags/?limit=500",
    "/api/v1/locations/?limit=500",
    "/api/v1/changes/?limit=500",
]


def api_answers(token: str) -> dict[str, tuple[int, bytes, str | None, str | None]]:
    """Status, body, ETag and Last-Modified of every API path, for the public and for a curator."""
    answers = {}
    events = json.loads(Client().get(API_PATHS[0]).content)["results"]
    paths = [*API_PATHS, *(f"/api/v1/events/{event['slug']}/" for event in events)]
    for who, headers in (("public", {}), ("curator", {"HTTP_AUTHORIZATION": f"Token {token}"})):
        for path in paths:
            response = Client().get(path, **headers)
            answers[f"{who} {path}"] = (
                response.status_code,
                response.content,
                response.get("ETag"),
                response.get("Last-Modified"),
            )
    return answers


def curated_record(client: Client) -> None:
    """The seed, plus what curators do to it: an edit in the admin (history with a user), a draft."""
    call_command("load_seed", stdout=StringIO())
    event = Event.objects.published().first()
    assert event is not None
    data = rendered_form_data(client.get(f"/admin/events/event/{event.pk}/change/"))
    data["title_en"] = event.title_en + " (edited)"
    assert client.post(f"/admin/events/event/{event.pk}/change/", data).status_code == 302
    factories.EventFactory(slug="unpublished-draft", status=Event.Status.DRAFT, date="")


@pytest.fixture
def curator_token(client: Client) -> str:
    user = factories.curator("mei")
    client.force_login(user)
    return Token.objects.create(user=user).key


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["backup.json", "backup.json.gz"])
def test_restore_into_a_fresh_database_gives_the_same_api_answers_byte_for_byte(
    client: Client, curator_token: str, tmp_path: Path, settings: Any, name: str
) -> None:
    settings.CHANGE_FEED_SETTLE_SECONDS = 0  # the feed serves every change at once, before and after
    curated_record(client)
    # Last-Modified is left out while the newest change's second is not over: let it end, so that the
    # answers before the backup carry it as the restored ones will.
    time.sleep(1.1)
    before = api_answers(curator_token)
    assert len(before) > 40 and all(status == 200 for status, *_ in before.values())

    backup = tmp_path / name
    call_command("backup", str(backup), stdout=StringIO())
    call_command("flush", "--noinput")  # an empty, migrated database, as after `migrate` on a new one
    output = StringIO()
    call_command("restore", str(backup), stdout=output)

    assert "Restored" in output.getvalue()
    after = api_answers(curator_token)
    assert after.keys() == before.keys()
    different = [path for path in before if after[path] != before[path]]
    assert different == [], f"answers that changed after the restore: {different[:5]}"
    # History came back too: the edit is still a version with its curator, and writes go on as before.
    event = Event.objects.get(title_en__endswith="(edited)")
    assert event.history.filter(history_user__username="mei").exists()
    factories.EventFactory(slug="after-the-restore")
    assert event.history.count() >= 2


@pytest.mark.django_db(transaction=True)
def test_a_plain_dumpdata_and_loaddata_would_not_round_trip(tmp_path: Path) -> None:
    """Why `restore` exists: loaddata alone writes history rows of its own that collide with the dump's."""
    call_command("load_seed", stdout=StringIO())
    dump = tmp_path / "dump.json"
    call_command(
        "dumpdata", natural_foreign=True, exclude=["contenttypes", "auth.permission"], output=str(dump)
    )
    call_command("flush", "--noinput")
    with pytest.raises(Exception, match=r"historicalevent|UNIQUE|unique"):
        call_command("loaddata", str(dump), verbosity=0)


@pytest.mark.django_db
def test_restore_refuses_a_database_that_already_holds_records(tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    factories.EventFactory(slug="kept")
    call_command("backup", str(backup), stdout=StringIO())
    with pytest.raises(CommandError, match="already holds records"):
        call_command("restore", str(backup))
    assert list(Event.objects.values_list("slug", flat=True)) == ["kept"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'[{"model": "events.tag", "pk": 1, "fields": {"slug": "a"', "could not be restored"),
        (b'[{"model": "events.nothing", "pk": 1, "fields": {}}]', "could not be restored"),
        (b"\x00\xff not json", "could not be restored"),
    ],
)
def test_a_broken_backup_is_a_clear_message_and_writes_nothing(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    backup = tmp_path / "broken.json"
    backup.write_bytes(content)
    with pytest.raises(CommandError, match=problem):
        call_command("restore", str(backup))
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_a_missing_backup_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No backup file at"):
        call_command("restore", str(tmp_path / "nowhere.json"))


@pytest.mark.django_db
def test_a_compressed_backup_is_compressed_json(tmp_path: Path) -> None:
    factories.EventFactory(slug="compressed")
    backup = tmp_path / "backup.json.gz"
    call_command("backup", str(backup), stdout=StringIO())
    rows = json.loads(gzip.decompress(backup.read_bytes()))
    assert {"model": "events.event"}.items() <= next(r for r in rows if r["model"] == "events.event").items()
