"""The change feed: which API records changed since a cursor, read from django-simple-history's tables.

Every model keeps a history table (``history_id``, ``history_date``, ``history_type`` + ~ -), and those
tables already record deletes, so the feed needs no bookkeeping of its own: a page is one ordered read
over the nine history tables, mapped to the five API resources (events, actors, sources, locations,
tags) whose representation each history row changes.

**Order and cursor.** The feed is ordered by ``(history_date, table rank, history_id)``: the date first,
so that changes come oldest first; a fixed rank per table breaks ties between tables, and the table's own
``history_id`` breaks ties inside it. That is a total order, and the cursor is simply the position of the
last thing delivered (plus, inside one history row that fans out to many records, the last record
delivered: see below), encoded as an opaque string.

A timestamp order has one trap: ``history_date`` is taken when a row is written, not when its transaction
commits, so a slow transaction can commit a change dated *before* changes a client has already read, and
a cursor that had moved past that date would skip it forever. The feed therefore serves only rows dated
before a **horizon** behind which everything has committed:

* on PostgreSQL, the start of the oldest transaction still running that has written anything (it holds a
  transaction id: ``backend_xid`` in ``pg_stat_activity``), however long it has run: its rows are dated
  after its start. An ingestion that runs for a minute holds the feed back for that minute, then its
  changes appear in their place, behind no cursor;
* and in any case ``now`` minus a **settle window** (``CHANGE_FEED_SETTLE_SECONDS``, default 5 s), which
  also absorbs a difference between the application's clock (which dates rows) and the database's
  (which dates transactions). On SQLite, where one writer at a time commits within milliseconds, the
  window is the whole rule.

Per-table sequences would not help: ids are also taken before commit, and the tables interleave. A
commit-ordered sequence (a single counter row locked by every write) would serialize all writes.

**What a client does.** Each entry says ``{type, id, action}``: ``created`` or ``updated`` means "fetch
the current representation" and ``deleted`` means "drop it". Actions describe the record *now*, as this
user may see it, not as it was at the time of the row: an event that was published and is now a draft,
retracted or deleted is a tombstone (``deleted``) for anonymous users. Applying every entry of every page
in order leaves a client holding exactly what the API serves. Re-delivering a change is harmless (the
client fetches the same state again); skipping one is not, which is what the order and window prevent.

**Which records a row changes.** A row changes its own record and the records that embed it: an alias
changes its actor; a participation its event and actor; a citation its event and source; a relation both
events; an actor the events it takes part in, the sources it publishes and the events citing those
sources; a source, location or tag the events citing, located at or tagged with it; an event the events
related to it and the actors in it. Which records an event shows is not restated here: it is the
representation's declaration (``embeds`` in events/read/fields.py). The embedding records are those
linked *now* (a link removed since has its own, later row, which names the record it left), plus, for
tags, the links recorded in the history of events' tags (deleting a tag removes its links without a
history row).

**Drafts never leak.** For users who may not see unpublished events, an event appears only if it is
published now (an update) or was published at some time (a tombstone); rows belonging to an event that
was never published (its participations, citations, relations) produce nothing at all, not even a
change of an actor or source they touch.

**Full pages.** A record named twice inside a page is listed once, at its last position, and rows a
user may not know of are left out; the feed then reads on until the page holds ``limit`` entries or the
feed is exhausted, up to :data:`MAX_READS` reads per page. So a page is shorter than ``limit`` with
``has_more`` only after that many reads found too little to show (many drafts' changes, for an
anonymous reader); clients read while ``has_more`` is true, then keep ``next`` for later.

**Last-Modified** of a page is the date of the newest change at or before the page's horizon (the
changes it could show), not of the newest change of all: a change still held back by the settle window
must not make a later ``If-Modified-Since`` look current once it is served.
"""

from __future__ import annotations

import base64
import binascii
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.db import connections, models, router
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from events.models import (
    Actor,
    ActorAlias,
    Citation,
    Event,
    EventRelation,
    Location,
    Participation,
    Source,
    Tag,
    can_see_unpublished,
)
from events.read.adapters import compiled_sql
from events.read.fields import embedded_paths
from events.selectors.prepared import prepared_rows

DEFAULT_SETTLE_SECONDS = 5.0
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# How many reads of the history tables one page may take to fill itself (see "Full pages").
MAX_READS = 8

# The API resources the feed names, with their rank inside one history row's list of records.
EVENT, ACTOR, SOURCE, LOCATION, TAG = "event", "actor", "source", "location", "tag"
RESOURCE_TYPES = (EVENT, ACTOR, SOURCE, LOCATION, TAG)
RESOURCE_MODELS: Mapping[str, type[models.Model]] = {
    EVENT: Event,
    ACTOR: Actor,
    SOURCE: Source,
    LOCATION: Location,
    TAG: Tag,
}
TYPE_RANK = {name: rank for rank, name in enumerate(RESOURCE_TYPES)}


def _resource_at(path: str) -> str:
    """The API resource an ORM path from an event ends at (``participations__actor``: ``actor``)."""
    model: type[models.Model] = Event
    for part in path.split(LOOKUP_SEP):
        related = model._meta.get_field(part).related_model
        assert isinstance(related, type), f"{path!r} must follow relations from the event to a record"
        model = related
    resource = next((name for name, candidate in RESOURCE_MODELS.items() if candidate is model), None)
    assert resource is not None, (
        f"the event representation embeds {model.__name__} ({path!r}), which the change feed does not "
        "serve: add it to RESOURCE_MODELS and HISTORY_TABLES"
    )
    return resource


# What an event's representation shows of other records, as (path from the event, resource): derived
# from the fields' declaration, so that a new embedded field is followed by the feed without more code.
EVENT_EMBEDDINGS: tuple[tuple[str, str], ...] = tuple((path, _resource_at(path)) for path in embedded_paths())

CREATED, UPDATED, DELETED = "created", "updated", "deleted"


class InvalidCursor(ValueError):
    """A ``since`` value that is not a cursor this feed handed out."""


@dataclass(frozen=True)
class HistoryTable:
    """One history table in the feed: its rank in the order, and the parent columns its rows carry."""

    kind: str
    model: type[models.Model]
    rank: int
    parent_a: str | None = None
    parent_b: str | None = None

    def after(self, cursor: ChangeCursor, inclusive: bool) -> Q:
        """Rows of this table after ``cursor`` in feed order (and the cursor's own row if ``inclusive``)."""
        if self.rank < cursor.table_rank:
            return Q(history_date__gt=cursor.at)
        if self.rank > cursor.table_rank:
            return Q(history_date__gte=cursor.at)
        same_date = Q(history_id__gte=cursor.history_id) if inclusive else Q(history_id__gt=cursor.history_id)
        return Q(history_date__gt=cursor.at) | (Q(history_date=cursor.at) & same_date)


HISTORY_TABLES: tuple[HistoryTable, ...] = (
    HistoryTable("event", Event.history.model, 0),  # type: ignore[attr-defined]
    HistoryTable("participation", Participation.history.model, 1, "event_id", "actor_id"),  # type: ignore[attr-defined]
    HistoryTable("citation", Citation.history.model, 2, "event_id", "source_id"),  # type: ignore[attr-defined]
    HistoryTable("relation", EventRelation.history.model, 3, "from_event_id", "to_event_id"),  # type: ignore[attr-defined]
    HistoryTable("actor", Actor.history.model, 4),  # type: ignore[attr-defined]
    HistoryTable("alias", ActorAlias.history.model, 5, "actor_id"),  # type: ignore[attr-defined]
    HistoryTable("source", Source.history.model, 6),  # type: ignore[attr-defined]
    HistoryTable("location", Location.history.model, 7),  # type: ignore[attr-defined]
    HistoryTable("tag", Tag.history.model, 8),  # type: ignore[attr-defined]
)
# Rows of these tables belong to events: for users who may not see drafts, they count only when the
# events they belong to are (or were) public.
EVENT_OWNED_KINDS = {"event", "participation", "citation", "relation"}

ROW_DONE = len(RESOURCE_TYPES)  # a target rank after every real one: the whole row was delivered
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR_VERSION = "1"


@dataclass(frozen=True)
class ChangeCursor:
    """A position in the feed: the last history row delivered, and how far into the records it changes.

    ``target_rank``/``target_id`` name the last record delivered of that row; ``ROW_DONE`` means all of
    them were. Clients see the encoded form only and must treat it as opaque.
    """

    at: datetime
    table_rank: int
    history_id: int
    target_rank: int = ROW_DONE
    target_id: int = 0

    @property
    def row_done(self) -> bool:
        return self.target_rank == ROW_DONE

    def encode(self) -> str:
        micros = (self.at - EPOCH) // timedelta(microseconds=1)
        text = ".".join(
            str(part)
            for part in (
                CURSOR_VERSION,
                micros,
                self.table_rank,
                self.history_id,
                self.target_rank,
                self.target_id,
            )
        )
        return base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, text: str) -> ChangeCursor:
        """The cursor ``text`` encodes; :class:`InvalidCursor` if it is not one the feed handed out."""
        problem = "is not a cursor of this feed: pass the `next` value of a previous answer, or omit it."
        try:
            padded = text.strip() + "=" * (-len(text.strip()) % 4)
            parts = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii").split(".")
            version, *numbers = parts
            micros, table_rank, history_id, target_rank, target_id = (int(number) for number in numbers)
            at = EPOCH + timedelta(microseconds=micros)
        except (ValueError, UnicodeError, binascii.Error, OverflowError):
            raise InvalidCursor(f"{text!r} {problem}") from None
        if (
            version != CURSOR_VERSION
            or not -1 <= table_rank <= len(HISTORY_TABLES)
            or history_id < 0
            or not 0 <= target_rank <= ROW_DONE
            or target_id < 0
        ):
            raise InvalidCursor(f"{text!r} {problem}")
        return cls(at, table_rank, history_id, target_rank, target_id)


# Where a client starts: before every row (rank -1 sorts before every table on the same date).
FEED_START = ChangeCursor(EPOCH, -1, 0)


class HistoryRow(NamedTuple):
    at: datetime
    table_rank: int
    history_id: int
    object_id: int
    parent_a: int | None
    parent_b: int | None
    history_type: str

    @property
    def table(self) -> HistoryTable:
        return HISTORY_TABLES[self.table_rank]

    def is_at(self, cursor: ChangeCursor) -> bool:
        return (self.at, self.table_rank, self.history_id) == (
            cursor.at,
            cursor.table_rank,
            cursor.history_id,
        )

    def owner_events(self) -> set[int]:
        """The events this row belongs to (none for actors, sources, locations and tags)."""
        kind = self.table.kind
        if kind == "event":
            return {self.object_id}
        if kind == "relation":
            return {parent for parent in (self.parent_a, self.parent_b) if parent is not None}
        if kind in EVENT_OWNED_KINDS:  # participations and citations: parent_b is the actor or source
            return {self.parent_a} if self.parent_a is not None else set()
        return set()


Target = tuple[int, int]  # (resource type rank, id): a record a row changes, in delivery order


@dataclass(frozen=True)
class ChangeEntry:
    """One record to refresh (``created``/``updated``) or drop (``deleted``), changed at ``changed_at``."""

    type: str
    id: int
    action: str
    changed_at: datetime


@dataclass(frozen=True)
class ChangePage:
    """One page of the feed: its entries, the cursor to read on from, whether more is waiting, and the
    horizon it was read up to (no change dated later is in it)."""

    entries: list[ChangeEntry]
    next_cursor: ChangeCursor
    has_more: bool
    horizon: datetime


def change_feed_settle_window() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "CHANGE_FEED_SETTLE_SECONDS", DEFAULT_SETTLE_SECONDS)))


def change_feed_horizon(now: datetime | None = None) -> datetime:
    """The newest change date the feed serves now: anything older has committed (see the module doc).

    ``now`` minus the settle window, and on PostgreSQL also before the start of the oldest transaction
    still running that has written anything, however long it has run.
    """
    window = change_feed_settle_window()
    horizon = (now or timezone.now()) - window
    oldest_writer = _oldest_running_write_start()
    if oldest_writer is not None:
        # The window again: rows are dated by the application's clock, transactions by the server's.
        horizon = min(horizon, oldest_writer - window)
    return horizon


def is_settled(stamp: datetime) -> bool:
    """Whether every change dated at or before ``stamp`` has committed, so that nothing can still land
    behind it (the anonymous cache keys answers on such a stamp).

    A horizon stays a valid bound once computed (rows written later are dated later), so the highest one
    seen is kept, and a stamp behind it costs no query.
    """
    alias = router.db_for_write(Event)
    if stamp <= _settled_horizons.get(alias, EPOCH):
        return True
    if stamp > timezone.now() - change_feed_settle_window():
        return False  # too recent in any case: no need to ask the database
    horizon = change_feed_horizon()
    _settled_horizons[alias] = max(horizon, _settled_horizons.get(alias, EPOCH))
    return stamp <= horizon


_settled_horizons: dict[str, datetime] = {}


# The transactions of other client sessions of this database that hold a transaction id (have written)
# and have not ended: their rows are invisible to us until they commit, and dated at or after their
# start. Only client backends write the record (autovacuum and other server processes never do).
_RUNNING_WRITERS_SQL = (
    "SELECT MIN(xact_start) FROM pg_stat_activity "
    "WHERE backend_xid IS NOT NULL AND backend_type = 'client backend' "
    "AND datname = current_database() AND pid <> pg_backend_pid()"
)


def _oldest_running_write_start() -> datetime | None:
    """On PostgreSQL, when the oldest still-running write transaction began (None if there is none).

    Read on the primary, where writes run. The application's writers must use one database role (or
    one granted ``pg_read_all_stats``): pg_stat_activity hides other roles' transactions.
    SQLite lets one writer at a time commit within milliseconds: the settle window bounds it alone.
    """
    connection = connections[router.db_for_write(Event)]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(_RUNNING_WRITERS_SQL)
        (value,) = cursor.fetchone()
    return _aware(value)


def change_feed_current_cursor(*, now: datetime | None = None) -> ChangeCursor:
    """A cursor at the horizon: read the records in full, then follow the feed from here."""
    return ChangeCursor(change_feed_horizon(now), len(HISTORY_TABLES), 0)


def change_feed_page(
    *, user: Any, since: ChangeCursor | None = None, limit: int = DEFAULT_LIMIT, now: datetime | None = None
) -> ChangePage:
    """The changes after ``since`` (from the start if None) that ``user`` may know of, oldest first."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be from 1 to {MAX_LIMIT}, not {limit}.")
    horizon = change_feed_horizon(now)
    cursor = since or FEED_START
    # Insertion-ordered: a record listed again moves to its last position.
    page: dict[tuple[str, int], ChangeEntry] = {}
    has_more = False
    for _read in range(MAX_READS):
        rows = _history_rows_after(cursor, horizon, count=limit + 1)
        steps = _steps_after(cursor, rows[:limit])
        shown = _entries_for(user, [(row, target) for row, target, _after in steps if target is not None])
        entries = iter(shown)
        has_more = len(rows) > limit
        for position, (_row, target, after) in enumerate(steps):
            entry = next(entries) if target is not None else None
            if entry is not None:
                page.pop((entry.type, entry.id), None)
                page[(entry.type, entry.id)] = entry
            cursor = after
            if len(page) >= limit:
                has_more = has_more or position + 1 < len(steps)
                break
        if len(page) >= limit or not has_more:
            break
    return ChangePage(list(page.values()), cursor, has_more, horizon)


def _steps_after(
    cursor: ChangeCursor, rows: Sequence[HistoryRow]
) -> list[tuple[HistoryRow, Target | None, ChangeCursor]]:
    """The (row, record) pairs after ``cursor``, in feed order, each with the cursor just after it; a row
    that changes no record is one step with no record."""
    targets_by_row = _targets_of_rows(rows)
    steps: list[tuple[HistoryRow, Target | None, ChangeCursor]] = []
    for row in rows:
        targets = sorted(targets_by_row[row])
        if row.is_at(cursor) and not cursor.row_done:
            targets = [target for target in targets if target > (cursor.target_rank, cursor.target_id)]
        row_done = ChangeCursor(row.at, row.table_rank, row.history_id)
        if not targets:
            steps.append((row, None, row_done))
            continue
        for target in targets[:-1]:
            steps.append((row, target, ChangeCursor(row.at, row.table_rank, row.history_id, *target)))
        steps.append((row, targets[-1], row_done))
    return steps


def latest_change_at(until: datetime | None = None) -> datetime | None:
    """When anything in the record last changed (created, updated or deleted), at or before ``until`` if
    given: one indexed query."""
    # On the database the request reads from (a replica for anonymous readers): a Last-Modified newer
    # than the body it comes with would earn a client 304s for a stale copy once the replica catches up.
    connection = connections[router.db_for_read(HISTORY_TABLES[0].model)]
    quote = connection.ops.quote_name
    date = quote("history_date")
    bound = f" WHERE {date} <= %s" if until is not None else ""
    branches = " UNION ALL ".join(
        f"SELECT MAX({date}) AS latest FROM {quote(table.model._meta.db_table)}{bound}"
        for table in HISTORY_TABLES
    )
    params = [connection.ops.adapt_datetimefield_value(until)] * len(HISTORY_TABLES) if until else []
    sql = f"SELECT MAX(latest) FROM ({branches}) AS latest_per_table"  # names only: the bound is a parameter
    name = "timeline_stamp_until" if until else "timeline_stamp"
    [(value,)] = prepared_rows(connection, name, sql, params)
    return _aware(value)


def latest_public_change_at() -> datetime | None:
    """When anything the public may see last changed: ``latest_change_at`` without the rows of events
    that were never published (their participations, citations and relations included).

    A curator editing a draft therefore moves neither anonymous readers' ``Last-Modified`` nor the key
    of their cached answers. An event counts once it has been published at some time, so unpublishing,
    retracting or deleting it does move them. One query: each history table is read backwards along
    its date index until a row the public may know of. Like ``latest_change_at``, it is read from the
    database the request reads from, so that a cache key never runs ahead of a lagging replica's body.
    """
    # The history model from the table list: each ``Event.history`` access makes django-simple-history
    # build a manager class (inspect.getmembers, a third of a millisecond), on every request.
    alias = router.db_for_read(HISTORY_TABLES[0].model)
    if alias not in _PUBLIC_STAMP_SQL:  # the same text every time: built by the ORM once per database
        _PUBLIC_STAMP_SQL[alias] = _public_stamp_query(alias)
    sql, params = _PUBLIC_STAMP_SQL[alias]
    [(value,)] = prepared_rows(connections[alias], "timeline_public_stamp", sql, params)
    return _aware(value)


_PUBLIC_STAMP_SQL: dict[str, tuple[str, list[Any]]] = {}


def _public_stamp_query(alias: str) -> tuple[str, list[Any]]:
    history_event = Event.history.model  # type: ignore[attr-defined]

    def once_published(column: str) -> Exists:
        return Exists(history_event.objects.filter(id=OuterRef(column), status=Event.Status.PUBLISHED))

    newest: list[str] = []
    params: list[Any] = []
    for table in HISTORY_TABLES:
        rows = table.model._default_manager.all()
        if table.kind == "event":
            rows = rows.filter(once_published("id"))
        elif table.kind in EVENT_OWNED_KINDS:
            for column in (table.parent_a, table.parent_b if table.kind == "relation" else None):
                if column is not None:
                    rows = rows.filter(once_published(column))
        newest_row = rows.order_by("-history_date").values("history_date")[:1]
        sql, table_params = compiled_sql(newest_row, alias)
        newest.append(f"SELECT ({sql}) AS latest")
        params.extend(table_params)
    return f"SELECT MAX(latest) FROM ({' UNION ALL '.join(newest)}) AS latest_per_table", params


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands back its text form
        parsed = parse_datetime(value)
        assert parsed is not None, f"unexpected history_date text {value!r}"
        value = parsed
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


# --- Reading the history tables --------------------------------------------------------------------


def _history_rows_after(cursor: ChangeCursor, horizon: datetime, *, count: int) -> list[HistoryRow]:
    """The first ``count`` history rows after ``cursor`` (from its own row if it stopped inside one)."""
    inclusive = not cursor.row_done
    branches = []
    for table in HISTORY_TABLES:
        no_parent = Value(None, output_field=models.BigIntegerField())
        branch = (
            table.model._default_manager.filter(history_date__lte=horizon)
            .filter(table.after(cursor, inclusive))
            .order_by()
            .annotate(
                feed_at=F("history_date"),
                feed_rank=Value(table.rank, output_field=models.IntegerField()),
                feed_history_id=F("history_id"),
                feed_object_id=F("id"),
                feed_parent_a=F(table.parent_a) if table.parent_a else no_parent,
                feed_parent_b=F(table.parent_b) if table.parent_b else no_parent,
                feed_type=F("history_type"),
            )
            .values_list(
                "feed_at",
                "feed_rank",
                "feed_history_id",
                "feed_object_id",
                "feed_parent_a",
                "feed_parent_b",
                "feed_type",
            )
        )
        branches.append(branch)
    first, *rest = branches
    union = first.union(*rest, all=True).order_by("feed_at", "feed_rank", "feed_history_id")
    rows = []
    for at, *rest_of_row in union[:count]:
        if isinstance(at, str):  # SQLite may return a compound select's dates as text
            at = parse_datetime(at)
        if timezone.is_naive(at):
            at = timezone.make_aware(at, UTC)
        rows.append(HistoryRow(at, *rest_of_row))
    return rows


def _targets_of_rows(rows: Sequence[HistoryRow]) -> dict[HistoryRow, set[Target]]:
    """For each row, the records whose representation it changes (see "Which records" in the module doc)."""
    ids_by_kind: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        ids_by_kind[row.table.kind].add(row.object_id)
    embedding = _embedding_records(ids_by_kind)

    targets: dict[HistoryRow, set[Target]] = {}
    for row in rows:
        kind = row.table.kind
        found: set[Target] = set(embedding.get((kind, row.object_id), ()))
        if kind in RESOURCE_TYPES:
            found.add((TYPE_RANK[kind], row.object_id))
        elif kind == "participation":
            found |= {(TYPE_RANK[EVENT], row.parent_a or 0), (TYPE_RANK[ACTOR], row.parent_b or 0)}
        elif kind == "citation":
            found |= {(TYPE_RANK[EVENT], row.parent_a or 0), (TYPE_RANK[SOURCE], row.parent_b or 0)}
        elif kind == "relation":
            found |= {(TYPE_RANK[EVENT], row.parent_a or 0), (TYPE_RANK[EVENT], row.parent_b or 0)}
        elif kind == "alias":
            found.add((TYPE_RANK[ACTOR], row.parent_a or 0))
        targets[row] = found
    return targets


def _embedding_records(ids_by_kind: Mapping[str, set[int]]) -> dict[tuple[str, int], set[Target]]:
    """Records that embed the given events, actors, sources, locations and tags, as linked now."""
    found: dict[tuple[str, int], set[Target]] = defaultdict(set)

    def add(kind: str, pairs: Iterable[tuple[int, int]], target_type: str) -> None:
        for owner, target in pairs:
            found[(kind, owner)].add((TYPE_RANK[target_type], target))

    # The events whose representation shows the records (its embeddings, events/read/fields.py).
    for path, kind in EVENT_EMBEDDINGS:
        if ids := ids_by_kind.get(kind):
            showing = Event.objects.filter(**{f"{path}__in": ids}).order_by()
            add(kind, showing.values_list(path, "id").distinct(), EVENT)
    if tags := ids_by_kind.get("tag"):
        # A deleted tag's links vanish without history rows of their own: the events' history has them.
        tagged_once = (
            apps.get_model("events", "HistoricalEvent_tags").objects.filter(tag_id__in=tags).order_by()
        )
        add("tag", tagged_once.values_list("tag_id", "event_id").distinct(), EVENT)
    # The other resources' own embeddings: an actor lists its events, a source its publisher.
    if events := ids_by_kind.get("event"):
        add(
            "event",
            Participation.objects.filter(event_id__in=events).order_by().values_list("event_id", "actor_id"),
            ACTOR,
        )
    if actors := ids_by_kind.get("actor"):
        add(
            "actor",
            Source.objects.filter(publisher_id__in=actors).order_by().values_list("publisher_id", "id"),
            SOURCE,
        )
    return found


# --- What the user may know ------------------------------------------------------------------------


def _entries_for(user: Any, delivered: Sequence[tuple[HistoryRow, Target]]) -> list[ChangeEntry | None]:
    """Each delivered (row, record) as ``user`` may see it now; None where it says nothing to them."""
    ids_by_type: dict[str, set[int]] = defaultdict(set)
    for _row, (type_rank, record_id) in delivered:
        ids_by_type[RESOURCE_TYPES[type_rank]].add(record_id)
    event_ids = ids_by_type.get(EVENT, set()) | {
        owner for row, _target in delivered for owner in row.owner_events()
    }

    sees_drafts = can_see_unpublished(user)
    visible_events = set(
        Event.objects.visible_to(user).filter(id__in=event_ids).order_by().values_list("id", flat=True)
    )
    if sees_drafts:
        relevant_events = event_ids  # curators may have held any of them: deleted ones are tombstones
    else:
        # An anonymous client can hold an event only if it was published at some time.
        once_public = (
            Event.history.model.objects.filter(  # type: ignore[attr-defined]
                id__in=event_ids - visible_events, status=Event.Status.PUBLISHED
            )
            .order_by()
            .values_list("id", flat=True)
            .distinct()
        )
        relevant_events = visible_events | set(once_public)
    existing: dict[str, set[int]] = {EVENT: visible_events}
    for type_name, ids in ids_by_type.items():
        if type_name != EVENT:
            model = RESOURCE_MODELS[type_name]
            existing[type_name] = set(
                model._default_manager.filter(id__in=ids).order_by().values_list("id", flat=True)
            )

    shown: list[ChangeEntry | None] = []
    for row, (type_rank, record_id) in delivered:
        type_name = RESOURCE_TYPES[type_rank]
        if not row.owner_events() <= relevant_events:
            shown.append(None)  # a row of a never-public event says nothing to those who may not see drafts
            continue
        if type_name == EVENT and record_id not in relevant_events:
            shown.append(None)
            continue
        if record_id not in existing[type_name]:
            action = DELETED
        elif row.history_type == "+" and (row.table.kind, row.object_id) == (type_name, record_id):
            action = CREATED
        else:
            action = UPDATED
        shown.append(ChangeEntry(type_name, record_id, action, row.at))
    return shown
