"""Request parsing for the API: JSON only, refused with a 400 when it is too deep or carries NUL characters.

The API takes JSON and nothing else (form-encoded and multipart bodies are a 415, by REST framework's
content negotiation once this is the only parser). A body nested deeper than :data:`MAX_DEPTH` is
refused before any serializer sees it (Python's own parser gives up with a RecursionError at about a
thousand levels, which would be a 500), and so is a string or key holding a NUL character, which no
database text column stores (PostgreSQL refuses it outright).
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No input of this API nests deeper than an event's list of objects (depth 3); 32 leaves room.
MAX_DEPTH = 32
NUL = "\x00"


def json_problem(data: Any) -> str | None:
    """Why ``data`` (parsed JSON) is refused, naming where: too deep, or a NUL character in a string."""
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"The JSON body is nested more than {MAX_DEPTH} levels deep; no input of this API is."
        if isinstance(value, str):
            if NUL in value:
                return f"{path or 'The body'}: text may not contain NUL (\\u0000) characters."
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if NUL in key:
                    return f"{child!r}: a field name may not contain NUL (\\u0000) characters."
                stack.append((item, child, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{index}]", depth + 1) for index, item in enumerate(value))
    return None


class StrictJSONParser(JSONParser):
    """REST framework's JSON parser, refusing deep nesting and NUL characters with a 400."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                f"The JSON body is nested too deeply to read; no input of this API nests more than "
                f"{MAX_DEPTH} levels."
            ) from None
        except UnicodeDecodeError:
            raise ParseError("The JSON body is not valid UTF-8.") from None
        problem = json_problem(data)
        if problem is not None:
            raise ParseError(problem)
        return data
