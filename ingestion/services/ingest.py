"""Ingesting one article: its source, a draft per distinct dated happening, suggested citations for the rest.

:func:`ingest_article` is the one service behind the command, the admin's paste/upload form, the API and
the Celery task. For one article it:

1. stores the Source (or finds it again by normalised URL or text checksum: the same article is one
   source however often it is ingested);
2. finds the date mentions in the article's body (:mod:`ingestion.dates`, anchored to the publication
   date or the dispatch's dateline) and, for each, the sentence that states it;
3. for each distinct (sentence, date) happening, looks for the same happening in the record (dates that
   overlap and shared actors or words, :mod:`ingestion.matching`): an event this run just drafted gets
   the sentence as another citation; an event already recorded gets a *suggested* citation (a
   :class:`~ingestion.models.Finding` for a curator to accept); otherwise a new draft event is created
   with its date, the actors its sentence names, a summary from the sentence and the sentence as quote.

Everything for one article is one transaction, written through the record's services
(:mod:`events.services`) and attributed to the acting curator. The same article is refused while another
run is ingesting it; ingesting it again later adds nothing that is already there (findings are keyed
by sentence and date, and outlive rejected drafts).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.text import slugify

from events import partial_dates
from events.models import Actor, Event, Participation, Source, text_checksum
from events.scripts import fold, to_simplified
from events.services.event_links import event_save
from events.services.sources import source_create
from ingestion.cleaning import body_spans, clean_text, is_dateline_date, read_metadata
from ingestion.dates import DateMention, extract_dates
from ingestion.drafting import (
    ActorSpan,
    TypeChoice,
    actor_spans,
    clauses,
    event_type,
    focus,
    headline,
    is_chinese,
    lead_in_end,
    with_roles,
)
from ingestion.matching import ActorIndex, KnownEvent, best_event_match, events_overlapping, words
from ingestion.models import Finding, IngestRun
from ingestion.services.acting import acting_as
from ingestion.services.articles import ArticleBusy, ArticleInput, ArticleRefused, parse_published

# Without PostgreSQL's advisory locks, a run still marked running after this long belongs to a process
# that stopped: it no longer blocks.
ABANDONED_AFTER = dt.timedelta(minutes=15)

_SENTENCE_END = "。！？；\n"
_CLOSING_MARKS = "”’」』)）]】"
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# A line that, its date taken out, says fewer than this is a timestamp or a dateline, not a happening.
MIN_HAN_CHARACTERS = 8
MIN_LATIN_WORDS = 4
# How far a quote reaches on either side of its date when the sentence runs on (unpunctuated text).
SENTENCE_REACH = 400


@dataclass
class DraftReport:
    event: int
    slug: str
    date: str
    quote: str
    actors: list[str]
    repeats: int = 0
    title: str = ""
    type: str = ""
    proposed_actors: list[str] = field(default_factory=list)


@dataclass
class SuggestionReport:
    finding: int | None
    event: int
    slug: str
    title: str
    date: str
    quote: str
    score: float


@dataclass
class IngestReport:
    """What one ingestion did (or, in a dry run, would do); ``as_dict`` is the JSON the API answers."""

    name: str
    status: str  # ingested | unchanged | dry run
    source: dict[str, Any]
    published: str
    language: str
    drafts: list[DraftReport] = field(default_factory=list)
    suggestions: list[SuggestionReport] = field(default_factory=list)
    already_known: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def summary(self) -> str:
        source = "new source" if self.source.get("created") else "source already stored"
        text = (
            f"{source} #{self.source.get('id')}; {len(self.drafts)} draft(s), "
            f"{len(self.suggestions)} suggested citation(s), {self.already_known} already in the record"
        )
        return f"{self.status}: {text}"


@dataclass
class Happening:
    """A dated sentence of the article: the unit that becomes a draft or a suggestion."""

    mention: DateMention
    date: str
    lower: dt.date
    upper: dt.date
    sentence_start: int
    sentence_end: int
    quote: str
    actors: list[Actor]
    words: frozenset[str]
    title: str = ""
    type: str = Event.Type.OTHER
    type_rule: str = ""
    actor_spans: list[ActorSpan] = field(default_factory=list)

    @property
    def leading_actor_id(self) -> int | None:
        """The record's actor that leads the happening (its proposer, speaker, reporter…), if any."""
        first = self.actor_spans[0] if self.actor_spans else None
        if first is None or first.actor is None or first.role == Participation.Role.SUBJECT:
            return None
        return first.actor.pk

    def participants(self) -> list[dict[str, Any]]:
        """The record's actors it names, each once, with the part it plays (the first-named part wins)."""
        placed: dict[int, dict[str, Any]] = {}
        for span in self.actor_spans:
            if span.actor is not None and span.actor.pk not in placed:
                note = "named in the source (ingestion)"
                placed[span.actor.pk] = {"actor": span.actor, "role": span.role, "note": note}
        return list(placed.values())

    def proposed_actors(self) -> list[dict[str, Any]]:
        """The new actors it names, for a curator to accept with the draft: each once, by folded name."""
        proposed: dict[str, dict[str, Any]] = {}
        for span in self.actor_spans:
            key = fold(span.name)
            if span.actor is None and key not in proposed:
                proposed[key] = {"name": span.name, "kind": span.kind, "role": span.role, "start": span.start}
        return list(proposed.values())


# A news outlet that "says" something is reporting it.
_SAID = (Event.Type.STATEMENT, Event.Type.OTHER, Event.Type.PUBLICATION)

# --- What an article states -----------------------------------------------------------------------


@dataclass(frozen=True)
class ExtractedEvent:
    """A date the article asserts, with what it is the date of: the sentence, a headline, a type and who."""

    mention: DateMention
    quote_start: int
    quote_end: int
    quote: str
    title: str
    type: TypeChoice
    actors: list[ActorSpan]
    dateline: bool  # the date files the dispatch or stamps the page: it dates the source, not a happening
    in_body: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.mention.as_dict(),
            "title": self.title,
            "type": self.type.type,
            "type_rule": self.type.rule,
            "actors": [actor.as_dict() for actor in self.actors],
            "quote": self.quote,
        }


def extract_events(
    text: str, *, published: dt.date | dt.datetime, language: str = "auto", actors: ActorIndex | None = None
) -> list[ExtractedEvent]:
    """Every date :func:`~ingestion.dates.extract_dates` finds in ``text``, each with the sentence that
    states it, a headline, a type (and the word that chose it) and the actors it names (``actors``: the
    record's, by default none)."""
    index = actors if actors is not None else ActorIndex([])
    spans = body_spans(text)
    extracted = []
    publisher: list[ActorSpan] | None = None
    for mention in extract_dates(text, published=published, language=language):
        span = next((span for span in spans if span[0] <= mention.start and mention.end <= span[1]), None)
        if span is not None:
            start, end = _sentence_around(text, mention.start, mention.end, span)
        else:
            start, end = _line_around(text, mention.start, mention.end)
        quote = text[start:end]
        dateline = is_dateline_date(text, mention.start, mention.end) or not _states_something(quote, mention)
        title_from = start
        if dateline:
            # The date of the dispatch or the page: the source's own, and its publisher the actor.
            start, end = _line_around(text, mention.start, mention.end)
            quote = text[start:end]
            type_choice = TypeChoice(
                str(Event.Type.PUBLICATION), "publication: the dispatch's or page's own date"
            )
            named = [
                replace(found, role=str(Participation.Role.PUBLISHER))
                for found in actor_spans(text, start, mention.start, index)
                if found.kind == Actor.Kind.MEDIA_OUTLET
            ][:1]
            if not named:
                if publisher is None:
                    publisher = _publisher_span(text, index)
                named = publisher
        else:
            # What the date's own clause says first (习近平主席今年4月在上海考察时强调 is a visit, whatever
            # else the sentence goes on to say), then the sentence from after its dateline.
            news = lead_in_end(text, start, end)
            parts = clauses(text, news, end)
            clause = next(
                ((first, last) for first, last in parts if first <= mention.start < last), (news, end)
            )
            type_choice = event_type(text[clause[0] : clause[1]])
            if type_choice.type == Event.Type.OTHER:
                type_choice = event_type(text[news:end])
            named = focus(actor_spans(text, news, end, index), parts, mention.start)
            if named and named[0].kind == Actor.Kind.MEDIA_OUTLET and type_choice.type in _SAID:
                type_choice = TypeChoice(str(Event.Type.MEDIA_REPORT), f"media_report: {named[0].name} said")
            named = with_roles(named, type_choice.type)
            # The headline starts where the news does: at the date's clause, or earlier at its actor's.
            opening = named[0].start if named else clause[0]
            actor_clause = next((first for first, last in parts if first <= opening < last), end)
            title_from = min(clause[0], actor_clause)
        extracted.append(
            ExtractedEvent(
                mention=mention,
                quote_start=start,
                quote_end=end,
                quote=quote,
                title=headline(text[title_from:end]),
                type=type_choice,
                actors=named,
                dateline=dateline,
                in_body=span is not None,
            )
        )
    return extracted


def _line_around(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    while line_start < start and text[line_start].isspace():
        line_start += 1
    while line_end > end and text[line_end - 1].isspace():
        line_end -= 1
    return line_start, line_end


def _publisher_span(text: str, index: ActorIndex) -> list[ActorSpan]:
    """Where the page names its publisher (source line, dateline agency or byline), as an actor span."""
    name = read_metadata(text).publisher
    if not name:
        return []
    position = text.find(name)
    if position < 0:
        return []
    actor = index.resolve(name)
    role = str(Participation.Role.PUBLISHER)
    return [ActorSpan(position, position + len(name), actor, name, Actor.Kind.MEDIA_OUTLET, role)]


# --- Entry point ----------------------------------------------------------------------------------


def ingest_article(*, article: ArticleInput, user: Any, dry_run: bool = False) -> IngestReport:
    """Ingest one article as ``user``; raise :class:`ArticleRefused` (or :class:`ArticleBusy`) for input
    that cannot be ingested. A dry run does all the work and writes nothing."""
    article = _normalised(article.checked())
    if dry_run:
        with acting_as(user), transaction.atomic():
            report = _ingest(article)
            transaction.set_rollback(True)
        report.status = "dry run"
        return report

    run = _start_run(article, user)
    try:
        with acting_as(user), transaction.atomic():
            if not _lock_article(run.key):  # taken meanwhile by a run that found this one's lock free
                raise ArticleBusy(_busy_message(article))
            report = _ingest(article, run=run)
    except Exception as error:
        _finish_run(run, IngestRun.Status.FAILED, message=str(error))
        raise
    _finish_run(run, IngestRun.Status.SUCCEEDED, report=report)
    return report


def _normalised(article: ArticleInput) -> ArticleInput:
    """The article in its canonical form (see :func:`_canonical_text`), unless this very text is a stored
    source already: its quotes' positions must stay those of the stored text."""
    canonical = _canonical_text(article.text)
    if canonical == article.text or Source.objects.filter(checksum=text_checksum(article.text)).exists():
        return article
    return dataclasses.replace(article, text=canonical)


def article_key(text: str) -> str:
    """What identifies an article's runs and its lock: the checksum of its canonical text, the same for
    every copy of it."""
    return text_checksum(_canonical_text(text))


def _canonical_text(text: str) -> str:
    """``text`` without the whitespace a copy or an upload adds or drops: spaces at line ends, blank lines
    at the end, a missing final line end. Every copy has one checksum, which finds its source and its
    running run (four clients sending one text with different trailing spaces once made four sources)."""
    return "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n") + "\n"


def _start_run(article: ArticleInput, user: Any) -> IngestRun:
    """Mark the article as being ingested, or refuse if another run is at it.

    On PostgreSQL a run holds a transaction-level advisory lock on the article's key while it works,
    which the database releases when the transaction ends, however its process stopped (and which
    pgbouncer's transaction mode keeps). A run marked running whose lock is free was left by a process
    that died: it is taken over at once. Elsewhere (SQLite) a run marked running blocks the article
    until ``ABANDONED_AFTER`` has passed.
    """
    key = article_key(article.text)
    try:
        with transaction.atomic():
            if not _lock_article(key):
                raise ArticleBusy(_busy_message(article))
            left_running = IngestRun.objects.filter(key=key, status=IngestRun.Status.RUNNING)
            if not _locks_end_with_their_transaction():
                left_running = left_running.filter(started_at__lt=timezone.now() - ABANDONED_AFTER)
            left_running.update(status=IngestRun.Status.ABANDONED, finished_at=timezone.now())
            return IngestRun.objects.create(
                key=key, name=article.name[:300], user=user if getattr(user, "pk", None) else None
            )
    except IntegrityError as error:
        raise ArticleBusy(_busy_message(article)) from error


def _busy_message(article: ArticleInput) -> str:
    return f"{article.label} is being ingested by another run right now; try again when it has finished."


def _locks_end_with_their_transaction() -> bool:
    return connections[router.db_for_write(IngestRun)].vendor == "postgresql"


def _advisory_key(key: str) -> int:
    return int(key[:15], 16)  # 60 bits of the checksum: a bigint, and distinct enough


def _lock_article(key: str) -> bool:
    """Take the article's lock until the current transaction ends, without waiting; False if another run
    holds it. Always True on SQLite, which has no such locks."""
    if not _locks_end_with_their_transaction():
        return True
    with connections[router.db_for_write(IngestRun)].cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_advisory_key(key)])
        (locked,) = cursor.fetchone()
    return bool(locked)


def _finish_run(run: IngestRun, status: str, report: IngestReport | None = None, message: str = "") -> None:
    run.status = status
    run.finished_at = timezone.now()
    if report is not None:
        run.report = report.as_dict()
        run.source_id = report.source.get("id")
        message = report.summary
    run.message = message
    run.save(update_fields=["status", "finished_at", "report", "source", "message"])


# --- The work, inside one transaction -------------------------------------------------------------


def _ingest(article: ArticleInput, run: IngestRun | None = None) -> IngestReport:
    text = article.text
    metadata = read_metadata(text)
    published = parse_published(article.published) or metadata.published or metadata.dateline_date
    if published is None:
        raise ArticleRefused(
            f"{article.label} prints no publication date or dated dateline: give the date it was published "
            "(--published 2025-07-26 on the command line, 'published' in the API or the form), so that "
            "relative dates such as 26日 or 'on Tuesday' can be read.",
            field="published",
        )
    published_day = published.date() if isinstance(published, dt.datetime) else published
    language = article.language if article.language != "auto" else metadata.language
    actors = ActorIndex.from_record()
    notes: list[str] = []
    source, created = _source_for(article, metadata, published_day, language, actors, notes)
    report = IngestReport(
        name=article.name,
        status="ingested",
        source={"id": source.pk, "slug": source.slug, "title": source.title, "created": created},
        published=published_day.isoformat(),
        language=source.language,
        notes=notes,
    )

    proposed_publisher = article.publisher or metadata.publisher or ""
    if created and source.publisher_id is None and proposed_publisher:
        report.source["proposed_publisher"] = proposed_publisher  # read again when a draft is approved
    extracted = extract_events(text, published=published, language=article.language, actors=actors)
    drafted_here: dict[int, DraftReport] = {}
    suggested_here: set[int] = set()
    for happening in _happenings(text, extracted, actors):
        if Finding.objects.filter(
            source=source, quote_start=happening.sentence_start, date=happening.date
        ).exists():
            report.already_known += 1  # found by an earlier run: decided, or waiting for review
            continue
        candidates = events_overlapping(happening.lower, happening.upper)
        match = best_event_match(
            lower=happening.lower,
            upper=happening.upper,
            actor_ids={actor.pk for actor in happening.actors},
            sentence_words=happening.words,
            candidates=candidates,
            type_=happening.type,
            leading_id=happening.leading_actor_id,
        )
        if match is not None and match.known.event.pk in drafted_here:
            _cite_again(match.known, source, happening, run)
            drafted_here[match.known.event.pk].repeats += 1
        elif match is not None and match.known.cites(source.pk, happening.quote):
            report.already_known += 1
        elif match is not None and match.known.event.pk in suggested_here:
            # The article says it again (a caption repeating the lead): one suggestion per event is enough.
            _record_finding(
                source,
                happening,
                run,
                match.known.event,
                Finding.Kind.SUGGESTION,
                match.score,
                Finding.State.MERGED,
            )
            report.already_known += 1
        elif match is not None:
            suggested_here.add(match.known.event.pk)
            finding = _record_finding(
                source, happening, run, match.known.event, Finding.Kind.SUGGESTION, match.score
            )
            event = match.known.event
            report.suggestions.append(
                SuggestionReport(
                    finding=finding.pk,
                    event=event.pk,
                    slug=event.slug,
                    title=event.title_en or event.title_zh or event.title_zh_hant,
                    date=event.date,
                    quote=happening.quote,
                    score=round(match.score, 3),
                )
            )
        else:
            draft = _create_draft(source, happening, run)
            drafted_here[draft.event] = draft
            report.drafts.append(draft)
    if not created and not report.drafts and not report.suggestions:
        report.status = "unchanged"
    return report


def _source_for(
    article: ArticleInput,
    metadata: Any,
    published: dt.date,
    language: str,
    actors: ActorIndex,
    notes: list[str],
) -> tuple[Source, bool]:
    """The article's source: found again by URL or checksum, or created through the source service."""
    checksum = text_checksum(article.text)
    if article.url:
        by_url = Source.objects.filter(url=article.url).first()
        if by_url is not None:
            if by_url.checksum != checksum:
                raise ArticleRefused(
                    f"{article.url} is stored already (source {by_url.slug!r}) with another text; ingest "
                    "that text, or correct the stored one in the admin first.",
                    field="url",
                )
            return by_url, False
    by_text = Source.objects.filter(checksum=checksum).order_by("pk").first()
    if by_text is not None:
        return by_text, False

    publisher_name = article.publisher or metadata.publisher or ""
    publisher = actors.resolve(publisher_name) if publisher_name else None
    if publisher_name and publisher is None:
        notes.append(
            f"The publisher {publisher_name!r} is no actor of the record: proposed as a new one, created "
            "when a draft of this source is approved."
        )
    main_language, parallel = _source_languages(article.text, language)
    title = _title_of(article, article.text)
    slug_base = slugify(f"{publisher.slug if publisher else 'source'}-{published.isoformat()}")[:100]
    source = source_create(
        slug=f"{slug_base}-{checksum[:8]}",
        title=title,
        language=main_language,
        parallel_language=parallel,
        publisher=publisher,
        url=article.url,
        published=published.isoformat(),
        text=article.text,
        retrieved_at=timezone.now(),
    )
    return source, True


def _source_languages(text: str, language: str) -> tuple[str, str]:
    """The source's main language and script, and a parallel English text's language if there is one."""
    han = _HAN.findall(text)
    latin_words = len(_LATIN_WORD.findall(text))
    if language in Source.Language.values:
        main = language
    elif not han:
        main = Source.Language.EN
    else:
        simplified = to_simplified("".join(han))
        changed = sum(1 for before, after in zip(han, simplified, strict=False) if before != after)
        main = Source.Language.ZH_HANT if changed > len(han) * 0.03 else Source.Language.ZH_HANS
    parallel = Source.Language.EN if main != Source.Language.EN and latin_words >= 40 else ""
    return main, parallel


# Lines that are a site's furniture, not an article's headline: welcome lines, bullets, menus, logins.
_NAVIGATION = re.compile(
    r"^[•·|>»\-*■◆▶]|欢迎|歡迎|首页|首頁|登录|登錄|注册|註冊|导航|導航|当前位置|當前位置|您的位置|网站地图|"
    r"\bwelcome to\b|\bhome\b|\bsign in\b|\blog ?in\b|\bmenu\b|\bsubscribe\b|\bskip to\b",
    re.IGNORECASE,
)


def _title_of(article: ArticleInput, text: str) -> str:
    """The article's headline: the one given, else the first line of the body that reads as one (not a
    navigation line, a date or a dateline-led paragraph), else the file's name."""
    if article.title:
        return article.title[:500]
    for start, end in body_spans(text)[:3]:
        for line in text[start:end].split("\n")[:5]:
            cleaned = clean_text(line).strip()
            if not cleaned or _NAVIGATION.search(cleaned) or not (4 <= len(cleaned) <= 120):
                continue
            if not (_HAN.search(cleaned) or len(_LATIN_WORD.findall(cleaned)) >= 3):
                continue  # a date, a number, a code: no headline
            return headline(cleaned)[:500]
    return article.name[:200] or "Ingested article"


def _happenings(text: str, extracted: list[ExtractedEvent], actors: ActorIndex) -> list[Happening]:
    """The article's distinct (sentence, date) pairs that state a happening, in text order."""
    seen: set[tuple[int, str]] = set()
    found: list[Happening] = []
    for item in extracted:
        if not item.in_body or item.dateline:
            continue  # page junk, or the dispatch's own date: no event comes from there
        try:
            value = partial_dates.parse_edtf(item.mention.value)
        except partial_dates.InvalidDate:
            continue
        key = (item.quote_start, value.to_edtf())
        if key in seen:
            continue
        seen.add(key)
        lower, upper, _ = partial_dates.bounds(value.to_edtf())
        assert lower is not None and upper is not None
        known = list({span.actor.pk: span.actor for span in item.actors if span.actor is not None}.values())
        found.append(
            Happening(
                mention=item.mention,
                date=value.to_edtf(),
                lower=lower,
                upper=upper,
                sentence_start=item.quote_start,
                sentence_end=item.quote_end,
                quote=item.quote,
                actors=known,
                words=words(clean_text(item.quote)),
                title=item.title,
                type=item.type.type,
                type_rule=item.type.rule,
                actor_spans=item.actors,
            )
        )
    return found


def _ends_sentence(text: str, index: int) -> bool:
    """Whether the character at ``index`` closes a sentence. ASCII ``?``, ``!`` and ``;`` do only before
    a space: in captured Chinese text a lone ``?`` is as often a character the capture could not decode."""
    character = text[index]
    if character in _SENTENCE_END:
        return True
    if character in "?!;" or character == ".":
        following = text[index + 1] if index + 1 < len(text) else " "
        if character == ".":
            return following == " " and index > 1 and text[index - 1].islower() and text[index - 2].isalpha()
        return following.isspace()
    return False


def _sentence_around(text: str, start: int, end: int, span: tuple[int, int]) -> tuple[int, int]:
    """The sentence holding ``start``–``end``, within the body span, trimmed of surrounding whitespace.

    Found by bisecting the text's sentence ends (listed once per text), not by walking from the mention:
    walking made a long unpunctuated line cost its length for each of its date mentions.
    """
    ends = _sentence_ends(text)
    before = bisect.bisect_left(ends, start) - 1  # the last end before the mention
    left = ends[before] + 1 if before >= 0 and ends[before] >= span[0] else span[0]
    after = bisect.bisect_left(ends, end)  # the first end at or after the mention's end
    right = ends[after] if after < len(ends) and ends[after] < span[1] else span[1]
    if right < span[1] and text[right] in "。！？!?.":
        right += 1  # the sentence's own full stop belongs to the quote
    # A "sentence" longer than this is unpunctuated text: quote the words around the date, not the line
    # (each quote is read again for actors and words: a whole long line per date was quadratic).
    if start - left > SENTENCE_REACH:
        cut = start - SENTENCE_REACH
        space = text.find(" ", cut, start)
        left = space + 1 if space >= 0 else cut
    if right - end > SENTENCE_REACH:
        cut = end + SENTENCE_REACH
        space = text.rfind(" ", end, cut)
        right = space if space >= 0 else cut
    # A closing quotation mark or bracket that ended the previous sentence is not part of this one.
    while left < right and (text[left].isspace() or text[left] in _CLOSING_MARKS):
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return left, right


_MAY_END_SENTENCE = re.compile(rf"[{_SENTENCE_END}?!;.]")


@functools.lru_cache(maxsize=2)
def _sentence_ends(text: str) -> list[int]:
    """The positions of the characters that close a sentence in ``text``, in order."""
    return [
        match.start() for match in _MAY_END_SENTENCE.finditer(text) if _ends_sentence(text, match.start())
    ]


def _states_something(sentence: str, mention: DateMention) -> bool:
    """Whether a sentence says more than its date: a stand-alone timestamp or dateline states no event."""
    rest = sentence.replace(mention.text, " ")
    return len(_HAN.findall(rest)) >= MIN_HAN_CHARACTERS or len(_LATIN_WORD.findall(rest)) >= MIN_LATIN_WORDS


# --- Writes ---------------------------------------------------------------------------------------


def _record_finding(
    source: Source,
    happening: Happening,
    run: IngestRun | None,
    event: Event,
    kind: str,
    score: float = 0.0,
    state: str = Finding.State.PENDING,
) -> Finding:
    return Finding.objects.create(
        source=source,
        run=run if run is not None and run.pk else None,
        event=event,
        kind=kind,
        state=state,
        date=happening.date,
        mention=happening.mention.text[:200],
        mention_start=happening.mention.start,
        mention_end=happening.mention.end,
        quote_start=happening.sentence_start,
        quote_end=happening.sentence_end,
        quote=happening.quote,
        score=score,
    )


def _citation(source: Source, text: str, start: int, quote: str) -> dict[str, Any]:
    paragraph = sum(1 for line in text[:start].split("\n")[:-1] if line.strip()) + 1
    return {"source": source, "quote": quote, "locator": f"paragraph {paragraph} (found by ingestion)"}


def _create_draft(source: Source, happening: Happening, run: IngestRun | None) -> DraftReport:
    """A draft a curator can publish as it is: titled and summarised in the article's own language (the
    other languages left empty for a translator), typed, with its actors and their parts, one citation."""
    cleaned = clean_text(happening.quote)
    fields: dict[str, Any] = {
        "slug": f"draft-{source.checksum[:12]}-{happening.mention.start}",
        "type": happening.type,
        "date": happening.date,
    }
    if is_chinese(cleaned):
        fields["summary_zh"] = to_simplified(cleaned)
        fields["title_zh"] = to_simplified(happening.title)
        if source.language == Source.Language.ZH_HANT:
            fields["summary_zh_hant"] = cleaned
            fields["title_zh_hant"] = happening.title
    else:
        fields["summary_en"] = cleaned
        fields["title_en"] = happening.title
    event = event_save(
        event=None,
        fields=fields,
        participants=happening.participants(),
        citations=[_citation(source, source.text, happening.sentence_start, happening.quote)],
    )
    finding = _record_finding(source, happening, run, event, Finding.Kind.DRAFT)
    proposed = happening.proposed_actors()
    if proposed:
        finding.proposed_actors = proposed
        finding.save(update_fields=["proposed_actors"])
    return DraftReport(
        event=event.pk,
        slug=event.slug,
        date=event.date,
        quote=happening.quote,
        actors=[item["actor"].slug for item in happening.participants()],
        title=happening.title,
        type=happening.type,
        proposed_actors=[item["name"] for item in proposed],
    )


def _cite_again(known: KnownEvent, source: Source, happening: Happening, run: IngestRun | None) -> None:
    """A repeat of a happening this run drafted (a photo caption, a second lead): merged into its draft.

    One citation per source: the repeat is kept as a merged finding, not shown to readers as a second,
    near-identical quote of the same article; the fuller of the two sentences is the one cited."""
    event = known.event
    citations = []
    changed = False
    for cited in event.citations.select_related("source"):
        item = {
            "source": cited.source,
            "quote": cited.quote,
            "quote_translation": cited.quote_translation,
            "translation_language": cited.translation_language,
            "locator": cited.locator,
        }
        if cited.source_id == source.pk and len(clean_text(happening.quote)) > len(clean_text(cited.quote)):
            item.update(_citation(source, source.text, happening.sentence_start, happening.quote))
            changed = True
        citations.append(item)
    if changed:
        event_save(event=event, fields={}, citations=citations)
    known.citations.append((source.pk, happening.quote))
    _record_finding(source, happening, run, event, Finding.Kind.DRAFT, state=Finding.State.MERGED)
