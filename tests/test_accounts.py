"""Account commands work as printed: `make superuser`, `make curator NAME=alice` (a curator with a
password for the desk and an API token), without exporting anything first."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.authtoken.models import Token

from events.models import Event
from tests import factories

PROJECT_DIR = Path(__file__).resolve().parent.parent


def make(*arguments: str, database: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    """`make` as a person types it: no DJANGO_DEBUG or secret key exported, a database of its own."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root")}
    env.update(DATABASE_URL=f"sqlite:///{database}", **environment)
    return subprocess.run(
        ["make", "--no-print-directory", *arguments],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_make_curator_creates_a_curator_whose_printed_password_and_token_work(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    result = make("curator", "NAME=alice", database=database)
    assert result.returncode == 0, result.stderr
    password = re.search(r"username alice, password (\S+)", result.stdout)
    token = re.search(r"API token: (\w+)", result.stdout)
    assert password and token, result.stdout

    with sqlite3.connect(database) as db:
        user_id, is_staff, stored_hash = db.execute(
            "SELECT id, is_staff, password FROM auth_user WHERE username = 'alice'"
        ).fetchone()
        groups = db.execute(
            "SELECT g.name FROM auth_group g JOIN auth_user_groups ug ON ug.group_id = g.id "
            "WHERE ug.user_id = ?",
            (user_id,),
        ).fetchall()
        tokens = db.execute("SELECT key FROM authtoken_token WHERE user_id = ?", (user_id,)).fetchall()
    assert is_staff and groups == [("curators",)]
    assert check_password(password[1], stored_hash)
    assert tokens == [(token[1],)]

    again = make("curator", "NAME=alice", database=database)  # idempotent: same token, password kept
    assert again.returncode == 0, again.stderr
    assert f"API token: {token[1]}" in again.stdout
    assert "existing password" in again.stdout


def test_make_superuser_works_without_exporting_anything(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    result = make(
        "superuser",
        database=database,
        DJANGO_SUPERUSER_USERNAME="root",
        DJANGO_SUPERUSER_EMAIL="root@example.org",
        DJANGO_SUPERUSER_PASSWORD="a long admin passphrase",
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT is_superuser FROM auth_user WHERE username = 'root'").fetchone() == (1,)


def test_make_curator_without_a_name_says_how() -> None:
    result = make("curator", database=Path("/nonexistent/db.sqlite3"))
    assert result.returncode != 0
    assert "make curator NAME=alice" in result.stderr


def test_every_command_make_run_prints_is_a_target_that_exists() -> None:
    recipe = (PROJECT_DIR / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    printed = re.findall(r"\bmake (\w+)((?: \w+=[\w.]+)*)", recipe)
    assert {target for target, _ in printed} == {"superuser", "curator", "ingest"}
    for target, variables in printed:
        dry_run = subprocess.run(
            ["make", "-n", target, *variables.split()], cwd=PROJECT_DIR, capture_output=True, text=True
        )
        assert dry_run.returncode == 0, dry_run.stderr


@pytest.mark.django_db
def test_create_curator_gives_an_account_that_can_write_through_the_api() -> None:
    output = StringIO()
    call_command("create_curator", "mei", stdout=output)
    key = Token.objects.get(user__username="mei").key
    assert f"API token: {key}" in output.getvalue()
    factories.EventFactory(slug="draft-only", status=Event.Status.DRAFT, date="")
    answer = Client().get("/api/v1/events/draft-only/", HTTP_AUTHORIZATION=f"Token {key}")
    assert answer.status_code == 200  # a curator sees drafts


@pytest.mark.django_db
def test_create_curator_refuses_an_impossible_username() -> None:
    with pytest.raises(CommandError, match="cannot be a username"):
        call_command("create_curator", "no spaces allowed!")
