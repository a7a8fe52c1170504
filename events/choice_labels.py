"""Readers' names of the record's coded values (event types, roles, actor kinds) in each language.

The API and the feeds carry the codes (``conference``, ``announcer``); what a person reads is the name
here, in English, simplified or traditional Chinese. English names are the models' own choice labels,
so the admin and the page say the same thing; the traditional names are the simplified ones through
OpenCC's character conversion (Taiwan vocabulary would turn 声明 "statement" into 宣告 "declaration").
"""

from __future__ import annotations

from django.db import models

from events.languages import EN, LANGUAGES, ZH_HANT
from events.models import Actor, Event, Participation
from events.scripts import to_traditional_characters

# Written in simplified Chinese; traditional is derived.
_CHINESE: dict[type[models.TextChoices], dict[str, str]] = {
    Event.Type: {
        "announcement": "宣布",
        "proposal": "倡议",
        "speech": "讲话",
        "conference": "会议",
        "meeting": "会见",
        "visit": "访问或考察",
        "publication": "出版物（规划、报告、评论）",
        "policy": "政策或行动计划",
        "statement": "声明",
        "media_report": "媒体报道",
        "other": "其他",
    },
    Participation.Role: {
        "proposer": "提出者",
        "announcer": "宣布者",
        "speaker": "讲话者",
        "attendee": "出席者",
        "organizer": "组织者",
        "host": "东道主",
        "author": "作者",
        "publisher": "发布者",
        "reporter": "报道者",
        "commentator": "评论者",
        "subject": "相关方",
    },
    Actor.Kind: {
        "person": "人物",
        "country": "国家",
        "government": "政府",
        "government_body": "政府机构",
        "international_organization": "国际组织",
        "organization": "组织",
        "company": "公司",
        "media_outlet": "媒体",
        "other": "其他",
    },
}

# Short names of the event types, for lanes where the long label is too wide (else the long one).
_SHORT_TYPES = {
    "visit": ("visit", "考察"),
    "publication": ("publication", "出版物"),
    "policy": ("policy", "政策"),
    "media_report": ("media report", "媒体报道"),
}


def choice_label(choices: type[models.TextChoices], code: str, language: str) -> str:
    """The reader's name of ``code`` among ``choices`` in ``language``; the code itself if unknown."""
    if language == EN:
        return str(dict(choices.choices).get(code, code))
    return _in_script(_CHINESE[choices].get(code, code), language)


def short_type_label(code: str, language: str) -> str:
    """A lane-sized name of an event type ("visit" for "visit or inspection")."""
    if code not in _SHORT_TYPES:
        return choice_label(Event.Type, code, language)
    english, chinese = _SHORT_TYPES[code]
    return english if language == EN else _in_script(chinese, language)


def choice_labels(language: str) -> dict[str, dict[str, str]]:
    """Every type, role and kind name in ``language``: ``{"type": {...}, "type_short": {...}, ...}``."""
    assert language in LANGUAGES, f"language must be one of {LANGUAGES}, not {language!r}"
    named: dict[str, type[models.TextChoices]] = {
        "type": Event.Type,
        "role": Participation.Role,
        "kind": Actor.Kind,
    }
    labels = {
        key: {code: choice_label(choices, code, language) for code in choices.values}
        for key, choices in named.items()
    }
    labels["type_short"] = {code: short_type_label(code, language) for code in Event.Type.values}
    return labels


def _in_script(simplified: str, language: str) -> str:
    return to_traditional_characters(simplified) if language == ZH_HANT else simplified
