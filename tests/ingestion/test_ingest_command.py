"""``manage.py ingest``: files in, reports out; bad files are named, skipped, and leave nothing behind."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from events.models import Event, Source
from ingestion.models import IngestRun
from tests.ingestion.conftest import SEED_TEXTS


def run_ingest(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "binary": tmp_path / "photo.jpg",
        "empty": tmp_path / "empty.txt",
        "latin1": tmp_path / "latin1.txt",
    }
    files["binary"].write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" * 20)
    files["empty"].write_bytes(b"  \n\n")
    files["latin1"].write_bytes("Le président a parlé le 26 juillet 2025 à Genève.".encode("latin-1"))
    return files


@pytest.mark.django_db
def test_ingests_files_and_reports_what_it_made(seed_actors_only: None, ingester: Any) -> None:
    out, err = run_ingest(
        str(SEED_TEXTS / "001_c7f698a66cb334f9.txt"), "--published", "2024-04-03", "--user", ingester.username
    )

    assert "ingested" in out and "1 draft(s)" in out and "2023-10" in out
    assert err == ""
    assert Event.objects.filter(status=Event.Status.DRAFT, date="2023-10").count() == 1
    assert Event.objects.get().history.earliest().history_user == ingester


@pytest.mark.django_db
def test_bad_files_are_named_skipped_and_the_good_ones_ingested(
    seed_actors_only: None, bad_files: dict[str, Path], tmp_path: Path
) -> None:
    good = SEED_TEXTS / "001_c7f698a66cb334f9.txt"
    missing = tmp_path / "missing.txt"
    names = [
        str(bad_files["binary"]),
        str(good),
        str(bad_files["empty"]),
        str(bad_files["latin1"]),
        str(missing),
    ]

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="4 of 5 file"):
        call_command("ingest", *names, "--json", stdout=out, stderr=err)

    messages = err.getvalue()
    assert f"{bad_files['binary']}: skipped: {bad_files['binary']} is a binary file" in messages
    assert f"{bad_files['empty']}: skipped: {bad_files['empty']} is empty" in messages
    assert "is not UTF-8 text (byte 0xe9 at position 5" in messages and "save it as UTF-8" in messages
    assert f"{missing} cannot be read" in messages
    reports = json.loads(out.getvalue())
    assert [report["name"] for report in reports if "refused" not in report] == [str(good)]
    assert Source.objects.count() == 1 and Event.objects.count() == 1


@pytest.mark.django_db
def test_json_output_of_a_batch_is_one_report_per_file(seed_actors_only: None) -> None:
    files = [str(SEED_TEXTS / name) for name in ("001_c7f698a66cb334f9.txt", "003_7f44d65a6cc781ab.txt")]

    out, _ = run_ingest(*files, "--json")

    reports = json.loads(out)
    assert [report["name"] for report in reports] == files
    assert [report["published"] for report in reports] == ["2024-04-03", "2025-07-28"]  # read from the pages
    assert all(report["status"] == "ingested" and report["drafts"] for report in reports)
    assert IngestRun.objects.filter(status=IngestRun.Status.SUCCEEDED).count() == 2


@pytest.mark.django_db
def test_dry_run_writes_nothing(seed_actors_only: None) -> None:
    out, _ = run_ingest(str(SEED_TEXTS / "003_7f44d65a6cc781ab.txt"), "--dry-run")

    assert out.startswith(f"{SEED_TEXTS / '003_7f44d65a6cc781ab.txt'}: dry run")
    assert not Source.objects.exists() and not Event.objects.exists()


@pytest.mark.django_db
def test_a_text_with_no_date_to_anchor_on_is_skipped_with_the_fix(db: Any, tmp_path: Path) -> None:
    article = tmp_path / "undated.txt"
    article.write_text("The council met on Tuesday and adopted the plan.", encoding="utf-8")

    err = StringIO()
    with pytest.raises(CommandError, match="1 of 1 file"):
        call_command("ingest", str(article), stdout=StringIO(), stderr=err)

    assert "prints no publication date" in err.getvalue() and "--published 2025-07-26" in err.getvalue()
    assert not Source.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a.txt", "b.txt", "--url", "https://example.org/a"], "--url names one article"),
        (["a.txt", "--user", "nobody"], "There is no user 'nobody'"),
        (["a.txt", "--published", "yesterday"], "not an ISO date"),
    ],
)
def test_bad_options_are_refused_with_a_message(args: list[str], message: str, tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("新华社北京7月26日电 会议26日在北京召开。", encoding="utf-8")
    args = [str(tmp_path / arg) if arg.endswith(".txt") else arg for arg in args]

    with pytest.raises(CommandError, match=message):
        run_ingest(*args)

    assert not Source.objects.exists()


@pytest.mark.django_db
def test_a_user_who_is_no_curator_cannot_be_named(db: Any, tmp_path: Path) -> None:
    from tests.factories import UserFactory

    UserFactory(username="reader")
    with pytest.raises(CommandError, match="may not add events and sources"):
        run_ingest(str(tmp_path / "a.txt"), "--user", "reader")
