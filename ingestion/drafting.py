"""What a draft says about a dated sentence: its headline, its type, and who it involves, in any language.

Everything here reads one sentence (raw offsets kept) and decides by rules written against kinds of
expression, never against an article's words:

- :func:`headline` cuts a sentence to headline length at a clause or word boundary, in its own language;
- :func:`event_type` picks one of the record's event types and names the word that chose it;
- :func:`actor_spans` finds who the sentence names: actors of the record by any alias in any script
  (:class:`~ingestion.matching.ActorIndex`), and new candidates (people after a title, news outlets,
  countries from CLDR's names in English and both Chinese scripts, capitalised English names) for a
  curator to review. Each gets a role from the type and its place in the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from events.models import Actor, Event, Participation
from events.scripts import fold
from ingestion.cleaning import clean_text, normalised_view
from ingestion.matching import ActorIndex, country_code, country_names

# Headline lengths: about what a news headline holds in each writing system.
HAN_HEADLINE = 40
LATIN_HEADLINE = 110
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# --- Headlines ------------------------------------------------------------------------------------

# What opens a dispatch and is no part of its news: "新华社上海7月26日电 ", "GENEVA, March 6 (Reuters) - ".
_LEAD_IN = re.compile(
    r"^\s*(?:[^\s。！？]{0,20}?\d{1,2}\s*日\s*[电電讯訊](?![话話视視])\s*(?:[(（][^)）]{0,30}[)）])?\s*"
    r"|[A-Z][A-Z .'-]{1,30},\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?\s*(?:\([^()]{1,40}\))?\s*[-–—]\s*)"
)
# A sentence that opens with its date ("2023年10月,", "7月26日，", "On July 26,"): a headline does not.
_LEADING_DATE = re.compile(
    r"^(?:[\d年月日号號至到\-—–\s]{1,16}[日月号號年]|(?:On|In)\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{1,2})?(?:,\s*\d{4})?)"
    r"\s*[，,]\s*"
)
_HAN_CLAUSE = "，,；;：:、"
# Where a Chinese headline may end inside a clause: before a conjunction joining two predicates or names.
_HAN_JOINS = "并並暨及和与與同"
_LATIN_CLAUSE = re.compile(r"[,;:]\s(?!\d)|\s[-–—]\s|\s(?:and|but|while|after|as|which|who)\s")
_TRAILING = "。.!！?？;；,，:： "


def is_chinese(text: str) -> bool:
    """Whether a text is written mostly in Chinese (characters count double against Latin words)."""
    return len(_HAN.findall(text)) * 2 >= len(_LATIN_WORD.findall(text))


def headline(sentence: str) -> str:
    """The sentence as a headline in its own language: no dateline, no final stop, cut at a clause
    boundary (or, in English, at a word) when it is longer than a headline; never mid-word."""
    text = clean_text(sentence).replace("\n", " ")
    text = _LEAD_IN.sub("", text, count=1).strip()
    text = _LEADING_DATE.sub("", text, count=1).strip().rstrip(_TRAILING).strip()
    if is_chinese(text):
        return _cut_chinese(text, HAN_HEADLINE)
    return _cut_latin(text, LATIN_HEADLINE)


def _cut_chinese(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    # The last clause boundary within the limit, else the last conjunction (before it: 出席大会并致辞
    # → 出席大会), else a clause boundary a little beyond the limit, rather than a cut inside a word.
    for marks in (_HAN_CLAUSE, _HAN_JOINS):
        inside = [index for index, char in enumerate(text[:limit]) if char in marks and index >= limit // 3]
        if inside:
            return text[: inside[-1]]
    window = range(limit, min(len(text), limit + limit // 2))
    beyond = next((index for index in window if text[index] in _HAN_CLAUSE), None)
    if beyond is not None:
        return text[:beyond]
    return text[:limit].rstrip(_TRAILING) + "…"


def _cut_latin(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    clauses = [
        found.start() for found in _LATIN_CLAUSE.finditer(text, 0, limit) if found.start() >= limit // 3
    ]
    if clauses:
        return text[: clauses[-1]].rstrip(_TRAILING)
    beyond = _LATIN_CLAUSE.search(text, limit, limit + limit // 5)
    if beyond:
        return text[: beyond.start()].rstrip(_TRAILING)
    space = text.rfind(" ", 0, limit)
    cut = text[:space] if space > limit // 3 else text[:limit]
    return cut.rstrip(_TRAILING) + "…"


# --- Types ----------------------------------------------------------------------------------------

# Each type with the words that make a sentence one, strongest first: a report of a proposal is a media
# report, an announced initiative an announcement, an opening speech at a conference a speech.
_TYPE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (Event.Type.MEDIA_REPORT, r"报道|報道|援引|\breport(?:ed|s)? (?:that|on)\b|\baccording to\b"),
        (Event.Type.ANNOUNCEMENT, r"宣布|宣佈|\bannounce[sd]?\b|\bunveil(?:ed|s)?\b"),
        (Event.Type.SPEECH, r"致辞|致辭|讲话|講話|演讲|演講|\bspeech\b|\baddress(?:ed)? the\b"),
        (Event.Type.PROPOSAL, r"提出|倡议|倡議|提议|提議|\bpropos(?:ed|es|al)\b|\binitiative\b"),
        (
            Event.Type.POLICY,
            r"行动计划|行動計劃|蓝图|藍圖|决议|決議|法案|条例|條例|政策|签署|簽署|"
            r"\bblueprint\b|\baction plan\b|\bresolution\b|\bact\b|\badopted\b|\bpassed\b|"
            r"\bregulations?\b|\blaw\b|\bbill\b|\bsigned\b|\bexecutive order\b|\bsanctions?\b",
        ),
        (
            Event.Type.PUBLICATION,
            r"发布|發布|公布|发表|發表|白皮书|白皮書|\bpublishe[sd]\b|\breleased?\b|\breport\b",
        ),
        (
            Event.Type.VISIT,
            r"考察|访问|訪問|视察|視察|\bvisit(?:ed|s)?\b|\binspect(?:ed|s)?\b|\btour(?:ed|s)?\b",
        ),
        (
            Event.Type.CONFERENCE,
            r"大会|大會|峰会|峰會|论坛|論壇|博览会|博覽會|研讨会|研討會|开幕|開幕|"
            r"\bsummit\b|\bconference\b|\bforum\b|\bcongress\b|\bexpo\b",
        ),
        (
            Event.Type.MEETING,
            r"会见|會見|会谈|會談|会晤|會晤|通电话|通電話|电话|電話|会议|會議|出席|"
            r"\bmet\b|\bmeets?\b|\bmeeting\b|\btalks\b|\bphone call\b|\battend(?:ed|s)?\b",
        ),
        (
            Event.Type.STATEMENT,
            r"声明|聲明|表示|指出|强调|強調|称|稱|\bstatement\b|\bsaid\b|\bsays\b|\bstated\b",
        ),
    )
)


@dataclass(frozen=True)
class TypeChoice:
    type: str
    rule: str  # the word that chose it, or why none did


def event_type(sentence: str) -> TypeChoice:
    """The record's type for a sentence, with the word that chose it (the strongest rule that applies)."""
    text = clean_text(sentence)
    for kind, pattern in _TYPE_RULES:
        match = pattern.search(text)
        if match:
            return TypeChoice(str(kind), f"{kind}: {match.group(0)!r}")
    return TypeChoice(str(Event.Type.OTHER), "other: no type word in the sentence")


# --- Actors ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorSpan:
    """Who a sentence names: the raw span, the record's actor (None for a new candidate), the name as
    written (pinyin annotations removed), a kind for a candidate, and the part it plays."""

    start: int
    end: int
    actor: Actor | None
    name: str
    kind: str
    role: str

    def as_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "actor": self.actor.slug if self.actor else None,
                "name": self.name, "role": self.role}  # fmt: skip


# The part the first-named actor (the sentence's agent) plays, by type; the others are its subject.
_AGENT_ROLE = {
    Event.Type.MEDIA_REPORT: Participation.Role.REPORTER,
    Event.Type.ANNOUNCEMENT: Participation.Role.ANNOUNCER,
    Event.Type.SPEECH: Participation.Role.SPEAKER,
    Event.Type.PROPOSAL: Participation.Role.PROPOSER,
    Event.Type.POLICY: Participation.Role.AUTHOR,
    Event.Type.PUBLICATION: Participation.Role.AUTHOR,
    Event.Type.CONFERENCE: Participation.Role.ATTENDEE,
    Event.Type.MEETING: Participation.Role.ATTENDEE,
    Event.Type.VISIT: Participation.Role.SUBJECT,
    Event.Type.STATEMENT: Participation.Role.SPEAKER,
}

_ZH_TITLES = (
    "国家主席|國家主席|主席|总书记|總書記|国务院总理|國務院總理|总理|總理|总统|總統|副总统|副總統|首相|"
    "国务卿|國務卿|外交部长|外交部長|外长|外長|部长|部長|秘书长|秘書長|发言人|發言人|大使|总干事|總幹事"
)
# A name after a title ends where a verb, a date or punctuation begins.
_ZH_NAME_END = (
    r"(?=在|于|於|出席|表示|说|說|指出|签署|簽署|宣布|宣佈|会见|會見|发表|發表|称|稱|提出|与|與|和|同|对|對|的|"
    r"、|，|,|。|\s|\d|今天|昨天|当天|當天|也|还|還|将|將|已|则|則|就|向|等|强调|強調|主持|致辞|致辭|"
    r"访问|訪問|会晤|會晤|通电话|通電話|电话|電話|电视|電視|抵达|抵達|考察|视察|視察)"
)
_ZH_PERSON = re.compile(rf"(?:{_ZH_TITLES})(?P<name>[\u4e00-\u9fff]{{2,4}}?){_ZH_NAME_END}")
# A name before its title, at the start of a clause: 习近平主席宣布…
_ZH_PERSON_BEFORE_TITLE = re.compile(
    r"(?:^|(?<=[，,。、\s：:（(]))(?P<name>[\u4e00-\u9fff]{2,3})(?:主席|总统|總統|总理|總理|首相|总书记|總書記)"
)
_ZH_OUTLET = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,8}?(?:通讯社|通訊社|新闻社|新聞社|社|日报|日報|时报|時報|邮报|郵報|新闻|新聞|电视台|電視台))"
    r"(?=\d|记者|記者|报道|報道|称|稱|援引|消息|网站|網站|发表|發表|评论|評論|》|」)"
)
_ZH_LEADING_WORDS = "据據另而在与與和对對向从從"

_EN_TITLE = (
    r"(?:President|Premier|Prime Minister|Commissioner|Chancellor|Secretary-General|Secretary|Minister|"
    r"Foreign Minister|"
    r"Senator|Governor|King|Queen|Pope|Chairman|Chairwoman|CEO|Ambassador|Spokesperson|spokesperson|"
    r"spokesman|spokeswoman|Director-General)"
)
_EN_CAPITALISED = re.compile(
    r"(?<![\w.])(?:(?:[A-Z][\w'’.-]*|U\.S\.|EU|UN|NATO|WHO)(?:\s+(?:of|for|and|the|de|la|du|on)\s+|\s+)?)+"
)
_EN_ORG_WORDS = re.compile(
    r"\b(?:Parliament|Council|Commission|Assembly|Organi[sz]ation|Ministry|Department|Union|Bank|Agency|"
    r"University|Committee|Nations|Congress|Senate|Court|Office|Party|Government|Institute|Association|"
    r"Corporation|Group|Inc|Ltd|Company|Reuters|Times|News|Post|Press|Journal|Shimbun|Agency|Xinhua|"
    r"Bloomberg|Guardian|Associated|Federation|Forum|Fund|Authority|Board|Cabinet|House)\b"
)
_EN_OUTLET_WORDS = re.compile(
    r"\b(?:Reuters|Times|News|Post|Press|Journal|Shimbun|Xinhua|Bloomberg|Guardian|AP|AFP)\b"
)
_EN_NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "By",
        "For",
        "From",
        "To",
        "Of",
        "And",
        "But",
        "Or",
        "As",
        "It",
        "Its",
        "This",
        "That",
        "These",
        "Those",
        "He",
        "She",
        "They",
        "We",
        "I",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Sir",
        "Today",
        "Yesterday",
        "Tomorrow",
        "Last",
        "Next",
        "Chinese",
        "American",
        "British",
        "Japanese",
        "French",
        "German",
        "Russian",
        "European",
    ]
)
_EN_JOINERS = frozenset(["of", "for", "and", "the", "de", "la", "du", "on"])
# Names of laws, plans and gatherings are not who acts: the Artificial Intelligence Act, the Paris Agreement.
_EN_NOT_ACTORS = re.compile(
    r"\b(?:Act|Agreement|Treaty|Initiative|Plan|Programme|Program|Strategy|Declaration|Accord|Law|Bill|"
    r"Summit|Conference|Expo|Week|Day|Prize|Award|Index|Report|Agenda|Games|Cup)$"
)
_EN_LEADING = re.compile(r"^(?:(?:The|A|An|In|On|At|By|For|From|To|And|But|As|After|Before|When|While)\s+)+")


@cache
def _country_pattern() -> re.Pattern[str]:
    names = sorted(country_names(), key=len, reverse=True)
    latin = [re.escape(name) for name in names if name.isascii()]
    han = [re.escape(name) for name in names if not name.isascii()]
    return re.compile(
        rf"(?P<han>{'|'.join(han)})(?P<gov>政府)?|(?<![\w.])(?P<latin>{'|'.join(latin)})(?![\w])"
    )


def actor_spans(text: str, start: int, end: int, index: ActorIndex) -> list[ActorSpan]:
    """Who ``text[start:end]`` names, in order: the record's actors (by any alias, in any script) and
    new candidates; raw offsets into ``text``, every one a subject until :func:`with_roles` says more."""
    view = normalised_view(text[start:end])
    folded = fold(view.text)
    if len(folded) != len(view.text):  # OpenCC kept lengths for all but rare phrases; fold by character
        folded = "".join(fold(char) or char for char in view.text)
    taken = [False] * len(folded)
    found: list[tuple[int, int, Actor | None, str]] = []

    def claim(first: int, last: int, actor: Actor | None, kind: str) -> None:
        if first < last and not any(taken[first:last]):
            taken[first:last] = [True] * (last - first)
            found.append((first, last, actor, kind))

    for first, last, actor in index.spans(folded):
        claim(first, last, actor, actor.kind)
    for first, last, kind in _candidates(view.text, folded):
        known = index.resolve(view.text[first:last])
        claim(first, last, known, known.kind if known else kind)
    found.sort(key=lambda item: item[0])
    # A country just before a news outlet or a titled person says where they are from (日本《朝日新闻》,
    # 美国总统特朗普), not who acts.
    found = [
        item
        for position, item in enumerate(found)
        if not (
            item[3] == Actor.Kind.COUNTRY
            and position + 1 < len(found)
            and found[position + 1][3] in (Actor.Kind.MEDIA_OUTLET, Actor.Kind.PERSON)
            and found[position + 1][0] - item[1] <= 4
        )
    ]
    spans = []
    for first, last, matched, kind in found:
        raw_first, raw_last = view.raw_span(first, last)
        name = view.text[first:last]
        spans.append(
            ActorSpan(start + raw_first, start + raw_last, matched, name, kind, Participation.Role.SUBJECT)
        )
    return spans


def with_roles(spans: list[ActorSpan], type_: str) -> list[ActorSpan]:
    """The spans with their parts: the first-named (the sentence's agent) plays the type's agent role, a
    news outlet in a media report is its reporter, the others are what the happening is about."""
    agent_role = _AGENT_ROLE.get(type_, Participation.Role.SUBJECT)  # type: ignore[call-overload]
    placed = []
    for position, span in enumerate(spans):
        role = agent_role if position == 0 else Participation.Role.SUBJECT
        if type_ == Event.Type.MEDIA_REPORT:
            is_outlet = span.kind == Actor.Kind.MEDIA_OUTLET
            role = Participation.Role.REPORTER if is_outlet else Participation.Role.SUBJECT
        placed.append(replace(span, role=str(role)))
    return placed


# Clause boundaries inside a sentence (brackets and quotation marks are not looked into).
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of ``text[start:end]``, as raw spans."""
    found = []
    position = start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        if match.start() > position:
            found.append((position, match.start()))
        position = match.end()
    if position < end:
        found.append((position, end))
    return found


def lead_in_end(text: str, start: int, end: int) -> int:
    """Where the news of a sentence starts: after a dispatch's dateline and its reporters' names."""
    view = normalised_view(text[start:end])
    match = _LEAD_IN.match(view.text)
    if not match or not match.end():
        return start
    return start + view.raw_offset(match.end()) if match.end() < len(view.text) else start


def focus(spans: list[ActorSpan], parts: list[tuple[int, int]], at: int) -> list[ActorSpan]:
    """The actors of the clause holding offset ``at``; if it names none, of the nearest clause after it
    that does (在当天的大会上，中国表示… → 中国), else before it."""
    holding = next((i for i, (first, last) in enumerate(parts) if first <= at < last), None)
    if holding is None:
        return spans
    order = [holding, *range(holding + 1, len(parts)), *range(holding - 1, -1, -1)]
    for number in order:
        first, last = parts[number]
        inside = [span for span in spans if first <= span.start and span.end <= last]
        if inside:
            return inside
    return []


_DATE_WORDS = re.compile(r"^(?:今|去|明|前|后|後|本|上|下|当|當|同|次|该|該)?[年月日天周週]|[年月日]$")
_VERB_START = re.compile(_ZH_NAME_END.replace("(?=", "^(?:", 1))


def _candidates(text: str, folded: str) -> list[tuple[int, int, str]]:
    """Spans of ``text`` that name someone the record may not hold yet, with a guessed kind."""
    found: list[tuple[int, int, str]] = []
    for match in _ZH_PERSON.finditer(text):
        name = match["name"]
        if not _DATE_WORDS.search(name) and not _VERB_START.match(name):
            found.append((match.start("name"), match.end("name"), Actor.Kind.PERSON))
    for match in _ZH_PERSON_BEFORE_TITLE.finditer(text):
        # 国务院总理, 美国总统: an institution or a country before the title is no name.
        if match["name"][-1] not in "院部会會国國府家" and not country_code(match["name"]):
            found.append((match.start("name"), match.end(), Actor.Kind.PERSON))
    for match in _ZH_OUTLET.finditer(text):
        first = match.start("name")
        while first < match.end("name") - 2 and text[first] in _ZH_LEADING_WORDS:
            first += 1
        found.append((first, match.end("name"), Actor.Kind.MEDIA_OUTLET))
    for match in _country_pattern().finditer(folded):
        kind = Actor.Kind.GOVERNMENT if match["gov"] else Actor.Kind.COUNTRY
        found.append((match.start(), match.end(), kind))
    for match in _EN_CAPITALISED.finditer(text):
        found.extend(_english_name(text, match.start(), match.end()))
    return found


def _english_name(text: str, first: int, last: int) -> list[tuple[int, int, str]]:
    """A run of capitalised words as a name: leading function words and trailing joiners dropped; a lone
    common word (a sentence's first word, a month) is no name."""
    phrase = text[first:last]
    lead = _EN_LEADING.match(phrase)
    if lead:
        first += lead.end()
    phrase = text[first:last]
    tokens = phrase.split()
    # A run may end in joiners and dates: "Thierry Breton on March" is Thierry Breton.
    while tokens and (tokens[-1] in _EN_NOT_NAMES or tokens[-1] in _EN_JOINERS):
        tokens.pop()
    trimmed = phrase[: phrase.find(tokens[-1]) + len(tokens[-1])].rstrip(".'’,") if tokens else ""
    if trimmed.endswith("U.S"):
        trimmed += "."
    last = first + len(trimmed)
    tokens = trimmed.split()
    if not tokens or all(token in _EN_NOT_NAMES for token in tokens) or _EN_NOT_ACTORS.search(trimmed):
        return []
    title = re.fullmatch(rf"{_EN_TITLE}\s+(?P<name>.+)", trimmed)
    if title:
        return [(first + title.start("name"), last, Actor.Kind.PERSON)]
    if country_code(trimmed):
        return [(first, last, Actor.Kind.COUNTRY)]
    if _EN_OUTLET_WORDS.search(trimmed):
        return [(first, last, Actor.Kind.MEDIA_OUTLET)]
    if _EN_ORG_WORDS.search(trimmed):
        return [(first, last, Actor.Kind.ORGANIZATION)]
    at_sentence_start = not text[:first].strip() or text[:first].rstrip()[-1:] in '.!?"“'
    if len(tokens) >= 2 and not at_sentence_start and all(token[:1].isupper() for token in tokens):
        return [(first, last, Actor.Kind.PERSON)]
    return []
