"""Settings come from the environment: each test starts Django in a new process with only given variables."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

PROJECT_DIR = Path(settings.BASE_DIR)
PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-this-test"}

SHOW_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": database["ENGINE"],
    "NAME": str(database["NAME"]),
    "HOST": database.get("HOST"),
    "PORT": database.get("PORT"),
    "USER": database.get("USER"),
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "CORS_ALLOWED_ORIGINS": settings.CORS_ALLOWED_ORIGINS,
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
    "LOG_LEVEL": settings.LOGGING["root"]["level"],
    "APP_PORT": settings.PORT,
}))
"""


def start_django(environment: dict[str, str], code: str = SHOW_SETTINGS) -> subprocess.CompletedProcess[str]:
    """Run ``code`` after django.setup() in a new interpreter that sees only ``environment`` (and PATH)."""
    clean = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "timeline.settings", **environment}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_under(environment: dict[str, str]) -> dict:
    result = start_django(environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refusal_under(environment: dict[str, str]) -> str:
    """The last line Django prints when it refuses to start: the message a person reads."""
    result = start_django(environment)
    assert result.returncode != 0, f"Django started although it should have refused: {result.stdout}"
    return result.stderr.strip().splitlines()[-1]


# --- DEBUG and the secret key ----------------------------------------------------------------------


@pytest.mark.parametrize("debug", [None, "0", "false", "off"])
def test_with_debug_off_django_refuses_to_start_without_a_secret_key(debug: str | None) -> None:
    environment = {} if debug is None else {"DJANGO_DEBUG": debug}

    message = refusal_under(environment)

    assert "ImproperlyConfigured" in message
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off" in message


def test_with_debug_off_and_a_secret_key_django_starts_in_production_mode() -> None:
    started = settings_under({**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "timeline.example.org"})

    assert started["DEBUG"] is False
    assert started["ALLOWED_HOSTS"] == ["timeline.example.org"]


def test_debug_on_needs_no_secret_key() -> None:
    assert settings_under({"DJANGO_DEBUG": "1"})["DEBUG"] is True


@pytest.mark.parametrize("value", ["maybe", "2", "enabled"])
def test_a_debug_value_that_is_not_a_boolean_is_named_in_the_refusal(value: str) -> None:
    message = refusal_under({"DJANGO_DEBUG": value})

    assert f"DJANGO_DEBUG={value!r} is not a boolean" in message
    assert "1/0, true/false" in message


# --- The database ----------------------------------------------------------------------------------


def test_without_database_url_the_database_is_the_sqlite_file_in_the_project() -> None:
    started = settings_under({"DJANGO_DEBUG": "1"})

    assert started["ENGINE"] == "django.db.backends.sqlite3"
    assert started["NAME"] == str(PROJECT_DIR / "db.sqlite3")


def test_database_url_selects_postgresql() -> None:
    started = settings_under(
        {"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://curator@db.example.org:6543/timeline"}
    )

    assert started["ENGINE"] == "django.db.backends.postgresql"
    assert (started["HOST"], started["PORT"], started["USER"], started["NAME"]) == (
        "db.example.org",
        6543,
        "curator",
        "timeline",
    )


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_that_database_url_names() -> None:
    # CI runs the suite twice, on PostgreSQL and on SQLite: this shows each run used the one it says.
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://", "pgsql://")) else "sqlite"

    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


# --- Hosts, origins, port, logging -----------------------------------------------------------------


def test_allowed_hosts_decide_which_host_names_are_served() -> None:
    request_both_hosts = """
import django
django.setup()
from django.test import Client
client = Client()
print(client.get("/api/v1/", HTTP_HOST="timeline.example.org").status_code)
print(client.get("/api/v1/", HTTP_HOST="elsewhere.example.net").status_code)
"""
    result = start_django(
        {**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "timeline.example.org, api.example.org"}, request_both_hosts
    )

    assert result.returncode == 0, result.stderr
    served, refused = result.stdout.split()
    assert served == "200"  # the API's index (the front page needs collected static files)
    assert refused == "400"


def test_without_allowed_hosts_production_serves_no_host_name() -> None:
    assert settings_under(PRODUCTION)["ALLOWED_HOSTS"] == []


def test_development_serves_the_local_host_names_without_configuration() -> None:
    assert {"127.0.0.1", "localhost"} <= set(settings_under({"DJANGO_DEBUG": "1"})["ALLOWED_HOSTS"])


def test_origin_lists_are_read_from_comma_separated_variables() -> None:
    started = settings_under(
        {
            "DJANGO_DEBUG": "1",
            "CORS_ALLOWED_ORIGINS": "https://a.example.org, https://b.example.org",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://timeline.example.org",
        }
    )

    assert started["CORS_ALLOWED_ORIGINS"] == ["https://a.example.org", "https://b.example.org"]
    assert started["CSRF_TRUSTED_ORIGINS"] == ["https://timeline.example.org"]


def test_port_and_log_level_are_read_from_the_environment() -> None:
    started = settings_under({"DJANGO_DEBUG": "1", "PORT": "8123", "DJANGO_LOG_LEVEL": "WARNING"})

    assert (started["APP_PORT"], started["LOG_LEVEL"]) == (8123, "WARNING")


def test_a_port_that_is_not_a_number_is_named_in_the_refusal() -> None:
    assert "PORT='80a' is not a port number" in refusal_under({"DJANGO_DEBUG": "1", "PORT": "80a"})


CONCURRENT_WRITER = """
import sys
import django
django.setup()
from django.db import transaction
from events.models import Tag
writer = sys.argv[1]
for number in range(40):
    with transaction.atomic():
        Tag.objects.count()  # a read before the write: the case SQLite's deferred transactions fail on
        Tag.objects.create(slug=f"{writer}-{number}", name_en=f"{writer} {number}")
print("done")
"""


def test_the_embedded_database_takes_concurrent_writers_without_locking_errors(tmp_path: Path) -> None:
    """Two server processes writing to the default SQLite file at once both succeed, one after the
    other, instead of one failing with "database is locked" (a 500 to its client)."""
    environment = {"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}"}
    clean = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "timeline.settings", **environment}
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=PROJECT_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT_WRITER, name],
            cwd=PROJECT_DIR,
            env=clean,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    for writer in writers:
        stdout, stderr = writer.communicate(timeout=300)
        assert writer.returncode == 0 and stdout.strip() == "done", stderr[-2000:]
