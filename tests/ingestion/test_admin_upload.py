"""The desk's upload refuses a file larger than any article having read no more of it than the cap."""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from events.models import Source

MB = 1024 * 1024


class StreamedUpload:
    """A multipart body with one file of ``size`` bytes, produced as it is read (as a socket delivers
    it), so that the test itself holds none of it."""

    def __init__(self, size: int) -> None:
        head, tail = encode_multipart(BOUNDARY, {"upload": FILE_MARK, "language": "auto"}).split(b"FILE-MARK")
        self.parts = [head, size, tail]
        self.length = len(head) + size + len(tail)

    def read(self, size: int = -1) -> bytes:
        size = self.length if size is None or size < 0 else size
        out = bytearray()
        while self.parts and len(out) < size:
            part = self.parts[0]
            want = size - len(out)
            if isinstance(part, int):
                take = min(part, want)
                out += b"a" * take
                self.parts[0] = part - take
                if part - take == 0:
                    self.parts.pop(0)
            else:
                out += part[:want]
                self.parts[0] = part[want:]
                if not self.parts[0]:
                    self.parts.pop(0)
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:
        line = bytearray()
        while self.parts and (size < 0 or len(line) < size) and not line.endswith(b"\n"):
            line += self.read(1)
        return bytes(line)


class _FileMark:
    name = "huge.txt"

    def read(self) -> bytes:
        return b"FILE-MARK"


FILE_MARK = _FileMark()


@pytest.mark.django_db
def test_a_64_mb_upload_is_refused_without_being_read_into_memory(ingester: Any) -> None:
    desk = Client()
    desk.force_login(ingester)
    body = StreamedUpload(64 * MB)

    tracemalloc.start()
    try:
        response = desk.generic(
            "POST",
            reverse("admin:ingestion_ingestrun_add"),
            **{"wsgi.input": body, "CONTENT_LENGTH": str(body.length), "CONTENT_TYPE": MULTIPART_CONTENT},
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 200
    assert "huge.txt is larger than 4 MB" in response.content.decode()
    assert not Source.objects.exists()
    # Before the cap, the whole file was read into memory (64 MB) before it was refused.
    assert peak < 12 * MB, f"peak {peak / MB:.1f} MB"
