"""The language of an answer (API, feeds, page): which one the client asked for, and each text in it.

A client asks with ``?lang=en|zh-hans|zh-hant`` or, failing that, the ``Accept-Language`` header
(``zh-TW``, ``zh-HK``, ``zh-MO`` and ``zh-Hant`` mean traditional; ``zh``, ``zh-CN`` and ``zh-Hans``
simplified); the default is English. Traditional text is the curated ``*_zh_hant`` field where there is
one, else the simplified text converted by OpenCC. Where a text exists in one language only, that text
is given rather than nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.http import HttpRequest

from events import partial_dates
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
    for tag in accepted_tags(header):
        language = language_from_tag(tag)
        if language is not None:
            return language
    return EN


def accepted_tags(header: str) -> list[str]:
    """The language tags of an ``Accept-Language`` header, most preferred first (ties in the order given).

    Leniently, where Django's parser drops the whole header over one bad weight (``zh-TW;q=1.1`` made
    ``zh-CN, zh-TW;q=1.1`` English): a weight above 1 counts as 1, an item whose weight is no number is
    skipped, and ``q=0`` means "not this one" (RFC 9110), so the tag is left out.
    """
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate(header[:MAX_ACCEPT_LANGUAGE_LENGTH].split(",")):
        tag, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(float(value.strip()), 1.0)
                except ValueError:
                    quality = -1.0
        if tag and tag != "*" and quality > 0 and quality == quality:  # NaN is no weight either
            weighted.append((-quality, position, tag))
    return [tag for _quality, _position, tag in sorted(weighted)]


MAX_ACCEPT_LANGUAGE_LENGTH = 500  # longer headers are cut: no client lists that many languages


class InvalidLanguage(ValueError):
    """A ``lang`` parameter naming a language this service does not speak; the message says which do."""


def language_from_request(request: HttpRequest) -> str:
    """The language asked for by ``?lang=`` or ``Accept-Language``; an unknown ``lang`` is refused."""
    value = request.GET.get(LANGUAGE_PARAM)
    if value is not None:
        if value.strip().lower() in LANGUAGES:
            return value.strip().lower()
        raise InvalidLanguage(f"{value!r} is not a language of this API: use en, zh-hans or zh-hant.")
    return language_from_accept_header(request.headers.get("Accept-Language", ""))


def localized_text(record: Any, field: str, language: str) -> str:
    """``record.<field>_en`` / ``_zh`` / ``_zh_hant`` for ``language``, falling back as the module says."""
    return localized_choice(
        getattr(record, f"{field}_en", ""),
        getattr(record, f"{field}_zh", ""),
        getattr(record, f"{field}_zh_hant", ""),
        language,
    )


def localized_value(row: Mapping[str, Any], field: str, language: str) -> str:
    """``localized_text`` for a ``values()`` row: ``row["<field>_en"]`` and so on."""
    return localized_choice(
        row.get(f"{field}_en"), row.get(f"{field}_zh"), row.get(f"{field}_zh_hant"), language
    )


def localized_choice(english: str | None, simplified: str | None, curated: str | None, language: str) -> str:
    """The text for ``language`` among an English, a simplified and a curated traditional text."""
    if language == EN:
        return english or simplified or ""
    if language == ZH_HANS:
        return simplified or english or ""
    return curated or (traditional(simplified) if simplified else english or "")


@lru_cache(maxsize=16384)
def traditional(text: str) -> str:
    """OpenCC's traditional form of a simplified text, remembered: lists repeat the same names."""
    return to_traditional(text)


@lru_cache(maxsize=65536)
def date_display(edtf: str, language: str) -> str:
    """An EDTF date as a person writes it in ``language`` ("c. 2023", "2023年10月"); "" for none.

    Remembered per value: a page of events repeats few distinct dates, and each is read by the time
    module once per process rather than once per row.
    """
    if not edtf:
        return ""
    value = partial_dates.parse_edtf(edtf)
    if language == EN:
        return value.display("en")
    return chinese_display(value.display("zh"), language)


def chinese_display(text: str, language: str) -> str:
    """A display string written in simplified Chinese, in the requested script."""
    return to_traditional(text) if language == ZH_HANT else text
