"""Logging filters, importable by the LOGGING setting before any app is loaded."""

from __future__ import annotations

import logging
import threading
import time


class OncePerInterval(logging.Filter):
    """Lets one record of a logger through per interval, as one line: a service that is down fails on
    every call, and a traceback per call buried the log (12 MB in 12 s with Redis down)."""

    def __init__(self, seconds: float = 60.0) -> None:
        super().__init__()
        self.seconds = seconds
        self.next_at = 0.0
        self.suppressed = 0
        self.lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        with self.lock:
            now = time.monotonic()
            if now < self.next_at:
                self.suppressed += 1
                return False
            self.next_at, suppressed, self.suppressed = now + self.seconds, self.suppressed, 0
        cause = record.exc_info[1] if record.exc_info else None
        summary = record.getMessage()
        if cause is not None:
            summary += f": {type(cause).__name__}: {cause}"
        if suppressed:
            summary += f" ({suppressed} more since the last report)"
        record.msg, record.args = f"{summary}; not logged again for {self.seconds:g} s", ()
        record.exc_info = record.exc_text = None
        return True
