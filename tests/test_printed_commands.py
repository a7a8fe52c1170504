"""Every command a newcomer is shown runs as shown: the README's curating and ingesting commands, what
`make run` prints, and the curl line `make curator` prints, each run exactly as printed in a fresh
project folder (links to this one) with no DJANGO_* variable exported, on a new SQLite database
(DATABASE_URL names it, so that the working copy's own db.sqlite3 is left alone).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXTS = ROOT / "fixtures" / "seed_texts"


def readme_commands() -> list[str]:
    """The `make` lines of the README's Curating and Ingesting sections' code blocks, comments cut."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    curating = text.split("## Curating", 1)[1].split("### Backup and restore", 1)[0]
    ingesting = text.split("## Ingesting articles", 1)[1].split("\n## ", 1)[0]
    commands = []
    for section in (curating, ingesting):
        for block in re.findall(r"```sh\n(.*?)```", section, re.S):
            for line in block.splitlines():
                if line.startswith("make "):
                    commands.append(re.sub(r"\s+#\s.*$", "", line).strip())
    return commands


def run_prints() -> list[str]:
    """The commands `make run` tells a newcomer to run in another terminal."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.findall(r'@echo "\s+(make [^"]+?)\s{2,}', makefile)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def project(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A project folder of links to this one, with the articles the README names, and a clean env."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    if subprocess.run(["make", "-q", ".venv/.installed"], cwd=ROOT).returncode != 0:
        pytest.skip("make would install packages first: run `make install` once, then this test")
    folder = tmp_path / "timeline"
    folder.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in {"db.sqlite3", "staticfiles", ".git"}:
            (folder / entry.name).symlink_to(entry)
    article = (SEED_TEXTS / "001_c7f698a66cb334f9.txt").read_text(encoding="utf-8")
    (folder / "article.txt").write_text(article, encoding="utf-8")
    (folder / "page.txt").write_text(
        (SEED_TEXTS / "003_7f44d65a6cc781ab.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "pages").mkdir()
    for name in ("001_c7f698a66cb334f9", "003_7f44d65a6cc781ab"):  # each prints its publication date
        shutil.copy(SEED_TEXTS / f"{name}.txt", folder / "pages" / f"{name}.txt")
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "REDIS"))}
    # The one variable set: the test's own database, not the working copy's db.sqlite3.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env.pop("CELERY_BROKER_URL", None)
    # As from a terminal: not inside the `make test` that runs this (a sub-make prints "Entering directory").
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    env["PORT"] = str(free_port())
    # `make superuser` asks its questions on the terminal; these answer them (the Makefile's --noinput).
    env["DJANGO_SUPERUSER_USERNAME"] = "root"
    env["DJANGO_SUPERUSER_PASSWORD"] = "a long admin password 1"
    yield folder, env


def run(command: str, folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command, shell=True, cwd=folder, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, (
        f"`{command}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    )
    return done


def test_every_printed_command_runs_as_printed(project: tuple[Path, dict[str, str]]) -> None:
    folder, env = project
    shown = run_prints()
    assert "make curator NAME=alice" in shown and "make ingest FILE=article.txt" in shown
    commands = readme_commands()
    assert any(command.startswith("make ingest") for command in commands)

    outputs = {}
    for command in dict.fromkeys([*shown, *commands]):  # in order, each once
        outputs[command] = run(command, folder, env)

    # make curator prints a curl line with the new token: it answers from a running server.
    curl = next(
        line.strip() for line in outputs["make curator NAME=alice"].stdout.splitlines() if "curl" in line
    )
    curl = curl.removeprefix("e.g.").strip()
    server = subprocess.Popen(
        [".venv/bin/python", "manage.py", "runserver", "--noreload", f"127.0.0.1:{env['PORT']}"],
        cwd=folder,
        env={**env, "DJANGO_DEBUG": "1"},  # as `make run` starts it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", int(env["PORT"]))) == 0:
                    break
            time.sleep(0.2)
        answer = run(curl + " --fail --silent", folder, env)
    finally:
        server.terminate()
        server.wait(timeout=30)
    drafts = json.loads(answer.stdout)["results"]
    assert drafts, "the articles ingested above gave no draft to list"
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert report, "make ingest ... --json wrote no report"
