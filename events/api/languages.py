"""The language of an API answer: which one the client asked for, and each record's text in it.

A client asks with ``?lang=en|zh-hans|zh-hant`` or, failing that, the ``Accept-Language`` header
(``zh-TW``, ``zh-HK``, ``zh-MO`` and ``zh-Hant`` mean traditional; ``zh``, ``zh-CN`` and ``zh-Hans``
simplified); the default is English. Traditional text is the curated ``*_zh_hant`` field where there is
one, else the simplified text converted by OpenCC. Where a text exists in one language only, that text
is given rather than nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from events.scripts import to_traditional

EN = "en"
ZH_HANS = "zh-hans"
ZH_HANT = "zh-hant"
LANGUAGES = (EN, ZH_HANS, ZH_HANT)
LANGUAGE_PARAM = "lang"

# The BCP 47 spelling of each language, for the Content-Language header.
CONTENT_LANGUAGE = {EN: "en", ZH_HANS: "zh-Hans", ZH_HANT: "zh-Hant"}
TRADITIONAL_REGIONS = {"tw", "hk", "mo"}


def language_from_tag(tag: str) -> str | None:
    """The API language for one language tag (``zh-TW`` → zh-hant), or None if it is not one we speak."""
    subtags = tag.strip().lower().split("-")
    if subtags[0] == "en":
        return EN
    if subtags[0] != "zh":
        return None
    rest = set(subtags[1:])
    if "hant" in rest:
        return ZH_HANT
    if "hans" in rest:
        return ZH_HANS  # an explicit script wins over the region: zh-Hans-HK is simplified
    return ZH_HANT if rest & TRADITIONAL_REGIONS else ZH_HANS


def language_from_accept_header(header: str) -> str:
    """The most preferred language of an ``Accept-Language`` header that we speak; English otherwise."""
    for tag, _quality in parse_accept_lang_header(header):
        language = language_from_tag(tag)
        if language is not None:
            return language
    return EN


def resolve_language(request: Request) -> str:
    """The language asked for by ``?lang=`` or ``Accept-Language``; an unknown ``lang`` is a 400."""
    value = request.query_params.get(LANGUAGE_PARAM)
    if value is not None:
        if value.strip().lower() in LANGUAGES:
            return value.strip().lower()
        raise ValidationError(
            {LANGUAGE_PARAM: [f"{value!r} is not a language of this API: use en, zh-hans or zh-hant."]}
        )
    return language_from_accept_header(request.headers.get("Accept-Language", ""))


def localized_text(record: Any, field: str, language: str) -> str:
    """``record.<field>_en`` / ``_zh`` / ``_zh_hant`` for ``language``, falling back as the module says."""
    english: str = getattr(record, f"{field}_en", "") or ""
    simplified: str = getattr(record, f"{field}_zh", "") or ""
    if language == EN:
        return english or simplified
    if language == ZH_HANS:
        return simplified or english
    curated: str = getattr(record, f"{field}_zh_hant", "") or ""
    return curated or (to_traditional(simplified) if simplified else english)


def chinese_display(text: str, language: str) -> str:
    """A display string written in simplified Chinese, in the requested script."""
    return to_traditional(text) if language == ZH_HANT else text
