"""Uploaded files are kept only up to FILE_UPLOAD_MAX_BYTES (and one byte more, so a form can tell that
the file was larger): the rest of a larger file is read off the connection and dropped, never held in
memory or on disk."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler


class CappedUploadHandler(FileUploadHandler):
    """First of the upload handlers: passes a file's first FILE_UPLOAD_MAX_BYTES + 1 bytes on to the
    next handler (memory or a temporary file) and swallows the rest."""

    received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        room = settings.FILE_UPLOAD_MAX_BYTES + 1 - self.received
        if room <= 0:
            return None  # a chunk handed on as None reaches no later handler
        self.received += len(raw_data)
        return raw_data[:room]

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file
