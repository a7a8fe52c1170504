"""The floor app answers every request with the file's bytes, as an API answer would be sent."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any


def test_the_floor_answers_the_given_bytes_on_any_path(tmp_path: Path, monkeypatch: Any) -> None:
    body = '{"id":1,"title":"峰会"}'.encode()
    (tmp_path / "body.json").write_bytes(body)
    monkeypatch.setenv("FLOOR_BODY_FILE", str(tmp_path / "body.json"))
    monkeypatch.delitem(sys.modules, "bench.floor_app", raising=False)
    floor_app = importlib.import_module("bench.floor_app")
    started: list[Any] = []
    for path in ("/", "/api/v1/events/1/"):
        answer = b"".join(floor_app.application({"PATH_INFO": path}, lambda *args: started.append(args)))
        assert answer == body
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    assert started[0] == ("200 OK", headers)
