"""Newline-delimited JSON (https://github.com/ndjson/ndjson-spec): one API event object per line, streamed.

Each line is exactly an item of ``GET /api/v1/events/`` (nested lists kept as JSON), UTF-8, no ASCII
escaping, so ``jq`` or ``pandas.read_json(lines=True)`` read it as is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from events.read.fields import EVENT_FIELD_NAMES, event_fields

FIELDS = event_fields(*EVENT_FIELD_NAMES)  # the API's whole event object


def render(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    for item in items:
        yield json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n"
