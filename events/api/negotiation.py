"""Content negotiation: ``?format=`` picks one of the endpoint's formats, and any other value is a 400."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request

FORMAT_PARAM = "format"


class FormatParamContentNegotiation(DefaultContentNegotiation):
    """REST framework's negotiation, with ``?format=`` read here rather than through URL_FORMAT_OVERRIDE.

    REST framework's own override answers an unknown format with a 404 and copies ``format=`` into every
    link it builds (records' ``url``). With the override off (settings: ``URL_FORMAT_OVERRIDE = None``)
    this class still honours ``format`` (``json`` everywhere; ``yaml`` too for the schema) and refuses
    any other value with a 400 naming the parameter and the formats there are.
    """

    def select_renderer(self, request: Request, renderers: Any, format_suffix: str | None = None) -> Any:
        value = request.query_params.get(FORMAT_PARAM)
        if value is None:
            return super().select_renderer(request, renderers, format_suffix)
        matching = [renderer for renderer in renderers if renderer.format == value]
        if not matching:
            formats = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise ValidationError({FORMAT_PARAM: [f"{value!r} is not a format here: give one of {formats}."]})
        return super().select_renderer(request, matching, format_suffix)
