"""The extract_dates command: JSON mentions with raw-text offsets; bad input gets a clear message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = "國務(wù)院7月26日發布通知。\n路透社26日报道称,在当天举行的会议上,各方同意于明年继续磋商。\n"


def run(*args: str) -> str:
    out = StringIO()
    call_command("extract_dates", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8", newline="")
    return path


def test_json_output_has_offsets_into_the_file_as_stored(article: Path) -> None:
    mentions = json.loads(run(str(article), "--published", "2025-07-28T09:21:07", "--json"))
    assert mentions == [
        # 國務(wù)院 is seven code points: the pinyin annotation counts, as it does in the file.
        {"text": "7月26日", "start": 7, "end": 12, "value": "2025-07-26", "precision": "day"},
        {"text": "26日", "start": 21, "end": 24, "value": "2025-07-26", "precision": "day"},
        {"text": "当天", "start": 29, "end": 31, "value": "2025-07-26", "precision": "day"},
        {"text": "明年", "start": 43, "end": 45, "value": "2026", "precision": "year"},
    ]
    for mention in mentions:
        assert ARTICLE[mention["start"] : mention["end"]] == mention["text"]


def test_language_option_is_passed_on(article: Path) -> None:
    assert json.loads(run(str(article), "--published", "2025-07-28", "--language", "en", "--json")) == []


def test_plain_output_lists_mentions_for_people(article: Path) -> None:
    output = run(str(article), "--published", "2025-07-28")
    assert "2025-07-26" in output and "当天" in output
    assert output.rstrip().endswith("4 date mention(s).")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary file"),
        ("简体中文".encode("gb18030"), "not UTF-8"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path), "--published", "2025-07-28", "--json")


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "nope.txt"), "--published", "2025-07-28")
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path), "--published", "2025-07-28")


@pytest.mark.parametrize("published", ["yesterday", "2025-13-01", "28/07/2025", ""])
def test_bad_publication_date_is_refused(article: Path, published: str) -> None:
    with pytest.raises(CommandError, match="not an ISO date"):
        run(str(article), "--published", published, "--json")


def test_command_line_prints_a_message_not_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    command = [
        sys.executable,
        "manage.py",
        "extract_dates",
        str(tmp_path / "nope.txt"),
        "--published",
        "2025-07-28",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    assert result.returncode != 0
    assert "no such file" in result.stderr
    assert "Traceback" not in result.stderr
