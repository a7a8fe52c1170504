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
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.text import slugify

from events import partial_dates
from events.models import Actor, Event, Participation, Source, text_checksum
from events.scripts import to_simplified
from events.services.event_links import event_save
from events.services.sources import source_create
from ingestion.cleaning import body_spans, clean_text, read_metadata
from ingestion.dates import DateMention, extract_dates
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
TITLE_LENGTH = 60
# How far a quote reaches on either side of its date when the sentence runs on (unpunctuated text).
SENTENCE_REACH = 400
# A dispatch's dateline: the date is followed by 电 / 讯 ("filed"), or opens an English line after the
# place in capitals and is followed by the agency and a dash.
_DATELINE_AFTER_ZH = re.compile(r"\s*[电電讯訊]")
_DATELINE_BEFORE_EN = re.compile(r"\s*[A-Z][A-Z .'-]{1,40},\s*")
_DATELINE_AFTER_EN = re.compile(r"(?:,?\s*\d{4})?\s*(?:\([^()\n]{1,40}\))?\s*[-–—]")


@dataclass
class DraftReport:
    event: int
    slug: str
    date: str
    quote: str
    actors: list[str]
    repeats: int = 0


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

    spans = body_spans(text)
    mentions = extract_dates(text, published=published, language=article.language)
    drafted_here: dict[int, DraftReport] = {}
    suggested_here: set[int] = set()
    for happening in _happenings(text, mentions, spans, actors):
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
                    title=event.title_en,
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
        notes.append(f"The publisher {publisher_name!r} is no actor of the record: the source has none yet.")
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


def _title_of(article: ArticleInput, text: str) -> str:
    for start, end in body_spans(text)[:1]:
        first_line = text[start:end].strip().split("\n")[0]
        if first_line:
            return clean_text(first_line)[:200]
    return article.name[:200] or "Ingested article"


def _happenings(
    text: str, mentions: list[DateMention], spans: list[tuple[int, int]], actors: ActorIndex
) -> list[Happening]:
    """The article's distinct (sentence, date) pairs that state a happening, in text order."""
    seen: set[tuple[int, str]] = set()
    found: list[Happening] = []
    for mention in sorted(mentions, key=lambda item: item.start):
        span = next((span for span in spans if span[0] <= mention.start and mention.end <= span[1]), None)
        if span is None:
            continue  # page junk: no event comes from there
        try:
            value = partial_dates.parse_edtf(mention.value)
        except partial_dates.InvalidDate:
            continue
        start, end = _sentence_around(text, mention.start, mention.end, span)
        quote = text[start:end]
        key = (start, value.to_edtf())
        if key in seen or _is_dateline(text, mention) or not _states_something(quote, mention):
            continue
        seen.add(key)
        lower, upper, _ = partial_dates.bounds(value.to_edtf())
        assert lower is not None and upper is not None
        cleaned = clean_text(quote)
        found.append(
            Happening(
                mention=mention,
                date=value.to_edtf(),
                lower=lower,
                upper=upper,
                sentence_start=start,
                sentence_end=end,
                quote=quote,
                actors=[found_actor.actor for found_actor in actors.find(cleaned)],
                words=words(cleaned),
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


def _is_dateline(text: str, mention: DateMention) -> bool:
    """Whether the mention dates the dispatch (新华社上海7月26日电, WASHINGTON, July 28 (Reuters) -): the
    filing date is the source's, not a happening's."""
    if _DATELINE_AFTER_ZH.match(text, mention.end):
        return True
    line_start = text.rfind("\n", 0, mention.start) + 1
    return bool(_DATELINE_BEFORE_EN.fullmatch(text, line_start, mention.start)) and bool(
        _DATELINE_AFTER_EN.match(text, mention.end)
    )


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
    cleaned = clean_text(happening.quote)
    is_chinese = len(_HAN.findall(cleaned)) * 2 >= len(_LATIN_WORD.findall(cleaned))
    value = partial_dates.parse_edtf(happening.date)
    names = ", ".join(actor.name_en for actor in happening.actors[:3])
    fields: dict[str, Any] = {
        "slug": f"draft-{source.checksum[:12]}-{happening.mention.start}",
        "type": Event.Type.OTHER,
        "date": happening.date,
    }
    if is_chinese:
        simplified = to_simplified(cleaned)
        fields["summary_zh"] = simplified
        fields["title_zh"] = _shorten(simplified)
        if source.language == Source.Language.ZH_HANT:
            fields["summary_zh_hant"] = cleaned
            fields["title_zh_hant"] = _shorten(cleaned)
        fields["title_en"] = f"Draft: {value.display('en')}" + (f" — {names}" if names else "")
    else:
        fields["summary_en"] = cleaned
        fields["title_en"] = _shorten(cleaned, TITLE_LENGTH * 2)
    event = event_save(
        event=None,
        fields=fields,
        participants=[
            {"actor": actor, "role": Participation.Role.SUBJECT, "note": "named in the source (ingestion)"}
            for actor in happening.actors
        ],
        citations=[_citation(source, source.text, happening.sentence_start, happening.quote)],
    )
    _record_finding(source, happening, run, event, Finding.Kind.DRAFT)
    return DraftReport(
        event=event.pk,
        slug=event.slug,
        date=event.date,
        quote=happening.quote,
        actors=[actor.slug for actor in happening.actors],
    )


def _cite_again(known: KnownEvent, source: Source, happening: Happening, run: IngestRun | None) -> None:
    """A repeat of a happening this run drafted (a photo caption, a second lead): one more quote for it."""
    event = known.event
    citations = [
        {
            "source": cited.source,
            "quote": cited.quote,
            "quote_translation": cited.quote_translation,
            "translation_language": cited.translation_language,
            "locator": cited.locator,
        }
        for cited in event.citations.select_related("source")
    ]
    # The same sentence said again word for word (a caption repeating the lead) is cited once: the record
    # refuses a repeated citation of one source and quote.
    already = {(cited.source_id, cited.quote) for cited in event.citations.all()}
    if (source.pk, happening.quote) not in already:
        citations.append(_citation(source, source.text, happening.sentence_start, happening.quote))
        event_save(event=event, fields={}, citations=citations)
    known.citations.append((source.pk, happening.quote))
    _record_finding(source, happening, run, event, Finding.Kind.DRAFT, state=Finding.State.MERGED)


def _shorten(text: str, length: int = TITLE_LENGTH) -> str:
    text = text.strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
