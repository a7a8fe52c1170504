"""The floor: what the benchmark's server costs by itself, with no framework and no database.

A bare WSGI app that answers every request with the same bytes (``FLOOR_BODY_FILE``: ``make bench``
gives it the API's Q2 answer). Served by ``make bench`` with the same gunicorn settings as the API and
the limit, it shows what accepting a connection, parsing a request and writing an answer cost on this
machine: the part of a cached answer's CPU that no application code can remove.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

BODY = Path(os.environ["FLOOR_BODY_FILE"]).read_bytes()
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", HEADERS)
    return [BODY]
