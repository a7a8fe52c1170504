"""OpenAPI schema generation: drf-spectacular's AutoSchema, plus what every operation of this API shares.

Every operation documents the language parameters (``lang`` and ``Accept-Language``), the id-or-slug
path parameter of detail URLs, and its error answers in the one error shape of
:mod:`events.api.exceptions`.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from events.languages import LANGUAGE_PARAM, LANGUAGES

ID_OR_SLUG = "id_or_slug"


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text="A stable word: invalid, not_found, not_authenticated, ...")
    message = serializers.CharField(help_text="One sentence for a person, naming the parameters at fault.")
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each bad parameter or input field and its messages; {} when no field is at fault.",
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx and 5xx answer."""

    error = ErrorDetailSerializer()


class TimelineAutoSchema(AutoSchema):
    """AutoSchema with the parameters and error answers every operation of this API has."""

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if getattr(self.view, "negotiates_language", False):
            parameters += [
                OpenApiParameter(
                    LANGUAGE_PARAM,
                    str,
                    OpenApiParameter.QUERY,
                    enum=list(LANGUAGES),
                    description="The language of the answer's text: en, zh-hans (simplified Chinese) or "
                    "zh-hant (traditional; curated where available, else converted by OpenCC). Overrides "
                    "Accept-Language; any other value is a 400. The answer's Content-Language says which.",
                ),
                OpenApiParameter(
                    "Accept-Language",
                    str,
                    OpenApiParameter.HEADER,
                    description="Used when lang is absent: zh-TW, zh-HK, zh-MO and zh-Hant mean zh-hant; zh, "
                    "zh-CN and zh-Hans mean zh-hans; anything else English.",
                ),
            ]
        if "{" + ID_OR_SLUG + "}" in self.path:
            parameters.append(
                OpenApiParameter(
                    ID_OR_SLUG, str, OpenApiParameter.PATH, description="The record's numeric id or its slug."
                )
            )
        return parameters

    def error_codes(self) -> list[int]:
        codes = [400]
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes += [401, 403]
        if "{" + ID_OR_SLUG + "}" in self.path:
            codes.append(404)
        if self.method == "DELETE":
            codes.append(409)
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            responses.setdefault(
                str(code), self._get_response_for_code(ErrorSerializer, str(code), direction=direction)
            )
        return responses
