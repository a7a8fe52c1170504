"""The seed is loaded once: `load_seed --if-empty` and `make run` never reload or duplicate data."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from events.models import Event, Tag
from tests.factories import EventFactory

PROJECT_DIR = Path(__file__).resolve().parent.parent

TINY_SEED = [
    {
        "model": "events.tag",
        "fields": {
            "slug": "tiny-seed-tag",
            "name_en": "Tiny seed",
            "name_zh": "小种子",
            "created_at": "2025-01-01T00:00:00Z",
            "updated_at": "2025-01-01T00:00:00Z",
        },
    },
    {
        "model": "events.event",
        "fields": {
            "slug": "tiny-seed-event",
            "title_en": "A seeded event",
            "title_zh": "种子事件",
            "type": "announcement",
            "status": "published",
            "date": "2023-10",
            "date_start": "2023-10-01",
            "date_end": "2023-10-31",
            "date_precision": "month",
            "tags": [["tiny-seed-tag"]],
            "created_at": "2025-01-01T00:00:00Z",
            "updated_at": "2025-01-01T00:00:00Z",
        },
    },
]


@pytest.fixture
def tiny_seed(tmp_path: Path, settings: Settings) -> Path:
    """A seed.json of our own in place of fixtures/, which another part of the project fills."""
    (tmp_path / "seed.json").write_text(json.dumps(TINY_SEED), encoding="utf-8")
    settings.FIXTURE_DIRS = [tmp_path]
    return tmp_path


def load_seed(*arguments: str) -> str:
    output = StringIO()
    call_command("load_seed", *arguments, stdout=output)
    return output.getvalue()


# --- load_seed --if-empty --------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_seeded_record_gets_a_first_history_entry(tiny_seed: Path) -> None:
    """loaddata records no history; without this the history pages and the change feed miss the seed."""
    load_seed("--if-empty")

    tag = Tag.objects.get(slug="tiny-seed-tag")
    assert tag.history.count() == 1
    assert tag.history.get().history_change_reason == "seed data loaded"
    assert Event.objects.get().history.exists()


@pytest.mark.django_db
def test_load_seed_if_empty_loads_the_seed_into_an_empty_database(tiny_seed: Path) -> None:
    output = load_seed("--if-empty")

    assert list(Event.objects.values_list("slug", flat=True)) == ["tiny-seed-event"]
    assert Event.objects.get().date_display() == "October 2023"
    assert "Seed data loaded: 1 events." in output


@pytest.mark.django_db
def test_a_second_run_reloads_nothing_and_keeps_a_curators_edits(tiny_seed: Path) -> None:
    load_seed("--if-empty")
    Event.objects.filter(slug="tiny-seed-event").update(title_en="Title corrected by a curator")

    output = load_seed("--if-empty")

    assert "already holds events; the seed data was not loaded again" in output
    assert (Event.objects.count(), Tag.objects.count()) == (1, 1)
    assert Event.objects.get().title_en == "Title corrected by a curator"


@pytest.mark.django_db
def test_load_seed_if_empty_leaves_a_database_with_events_alone(tiny_seed: Path) -> None:
    EventFactory(slug="curated-before-the-seed")

    load_seed("--if-empty")

    assert list(Event.objects.values_list("slug", flat=True)) == ["curated-before-the-seed"]
    assert not Tag.objects.filter(slug="tiny-seed-tag").exists()


# --- make run --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_once(environment: dict[str, str], log: Path) -> None:
    """Start `make run`, wait until its admin login page answers 200, then stop it and its children."""
    port = int(environment["PORT"])
    with log.open("w") as output:
        make = subprocess.Popen(
            ["make", "run"],
            cwd=PROJECT_DIR,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the server is stopped with it
        )
    try:
        deadline = time.monotonic() + 300
        while True:
            assert make.poll() is None, f"make run stopped before serving:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"make run served nothing in time:\n{log.read_text()}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=5) as page:
                    assert page.status == 200
                    return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        try:
            make.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()


def events_in(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        return [slug for (slug,) in connection.execute("SELECT slug FROM events_event ORDER BY slug")]


def seed_event_count() -> int:
    records = json.loads((PROJECT_DIR / "fixtures" / "seed.json").read_text(encoding="utf-8"))
    return sum(1 for record in records if record["model"] == "events.event")


def test_make_run_serves_loads_the_seed_once_and_never_reloads_it(tmp_path: Path) -> None:
    database = tmp_path / "make-run.sqlite3"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("MAKE")}
    environment |= {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "1", "PORT": str(free_port())}

    serve_once(environment, tmp_path / "first.log")
    first_log = (tmp_path / "first.log").read_text()
    assert len(events_in(database)) == seed_event_count()
    assert f"http://127.0.0.1:{environment['PORT']}/admin/" in first_log
    assert "make curator NAME=alice" in first_log  # how to get an account, as a command that works

    # A curator adds an event between the two runs; the second run must keep the data as it is.
    add_an_event = "from events.models import Event; Event.objects.create(slug='added', title_en='Added')"
    python = PROJECT_DIR / ".venv" / "bin" / "python"
    subprocess.run(
        [python, "manage.py", "shell", "-c", add_an_event], cwd=PROJECT_DIR, env=environment, check=True
    )
    before = events_in(database)

    environment["PORT"] = str(free_port())
    serve_once(environment, tmp_path / "second.log")

    assert "the seed data was not loaded again" in (tmp_path / "second.log").read_text()
    assert events_in(database) == before
