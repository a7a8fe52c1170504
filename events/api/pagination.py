"""Limit/offset pagination that refuses a bad ``limit`` or ``offset`` instead of quietly ignoring it."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """``limit`` (default 50, at most 500) and ``offset``; anything else is a 400 naming the parameter."""

    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT
    limit_query_description = (
        f"How many results to return: 1 to {MAX_LIMIT} (the documented maximum; more is a 400). "
        f"Default {DEFAULT_LIMIT}."
    )
    offset_query_description = "How many results to skip before the first one returned. Default 0."
    template = None  # no browsable-API page controls: the API speaks JSON only

    def get_limit(self, request: Request) -> int:
        text = request.query_params.get(self.limit_query_param)
        if text is None:
            return self.default_limit
        limit = self._parse_count(self.limit_query_param, text)
        if limit < 1 or limit > self.max_limit:
            raise ValidationError(
                {
                    self.limit_query_param: [
                        f"{text!r} is out of range: give a number from 1 to {self.max_limit}."
                    ]
                }
            )
        return limit

    def get_offset(self, request: Request) -> int:
        text = request.query_params.get(self.offset_query_param)
        if text is None:
            return 0
        offset = self._parse_count(self.offset_query_param, text)
        if offset < 0:
            raise ValidationError({self.offset_query_param: [f"{text!r} is negative: give 0 or more."]})
        return offset

    @staticmethod
    def _parse_count(name: str, text: str) -> int:
        try:
            return int(text.strip())
        except ValueError:
            raise ValidationError({name: [f"{text!r} is not a whole number."]}) from None

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_limit, "default": self.default_limit}
                )
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"].update({"minimum": 0, "default": 0})
        return parameters
