"""OpenAPI schema generation: drf-spectacular's AutoSchema, plus what every operation of this API shares.

Every operation documents the language parameters (``lang`` and ``Accept-Language``), the id-or-slug
path parameter of detail URLs, and its error answers in the one error shape of
:mod:`events.api.exceptions`. Reads that anyone may make say so in their ``security`` (``{}``), and a
read-only choice whose model field may be blank allows ``""`` besides its choices.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers

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


# Permissions under which anyone, signed in or not, may read.
ANONYMOUS_READ_PERMISSIONS = (
    permissions.AllowAny,
    permissions.IsAuthenticatedOrReadOnly,
    permissions.DjangoModelPermissionsOrAnonReadOnly,
)


def model_field_is_blankable(field: serializers.Field) -> bool:
    """Whether a serializer field reads a model field that may be blank (``blank=True``)."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = field.source
    if model is None or not isinstance(source, str) or not source or "." in source:
        return False
    try:
        return bool(model._meta.get_field(source).blank)
    except FieldDoesNotExist:
        return False


class TimelineAutoSchema(AutoSchema):
    """AutoSchema with the parameters and error answers every operation of this API has."""

    def get_auth(self) -> list[Any]:
        # drf-spectacular knows AllowAny and IsAuthenticatedOrReadOnly only; our default permission
        # (DjangoModelPermissionsOrAnonReadOnly) lets anyone read too.
        auth = list(super().get_auth())
        anyone_reads = any(isinstance(p, ANONYMOUS_READ_PERMISSIONS) for p in self.view.get_permissions())
        if anyone_reads and self.method in permissions.SAFE_METHODS and {} not in auth:
            auth.append({})
        return auth

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        # REST framework drops allow_blank from read-only fields, so a blank choice would be documented
        # as impossible although the API answers it ("parallel_language": "").
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and not field.allow_blank
            and model_field_is_blankable(field)
        ):
            field = copy.copy(field)
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

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
