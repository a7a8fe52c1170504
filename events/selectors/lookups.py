"""How a record is named in URLs and parameters: by its numeric id or by its slug."""

from __future__ import annotations

from typing import Any

MAX_ID = 2**63 - 1  # BigAutoField's largest value


def id_or_slug_lookup(text: str) -> dict[str, Any]:
    """The filter that finds a record named ``text``: ``{"pk": 42}`` for "42", else ``{"slug": text}``.

    Only ASCII digits make an id ("³" and "٣" are digits to Python, not to the database), and a number
    too large to be an id finds nothing rather than overflowing the database's integer.
    """
    if text.isascii() and text.isdigit():
        number = int(text)
        return {"pk": number} if number <= MAX_ID else {"pk__in": []}
    return {"slug": text}
