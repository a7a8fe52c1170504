"""The orders an event list can be read in, declared once: the ``ordering`` parameter's choices, the
ORDER BY of every list and the keysets of the API's cursors are all derived from ``EVENT_ORDERINGS``.

A new entry is a new choice, and it pages by cursor without any other change. Pure Python until an
ORDER BY is asked for, so that the benchmark's bare limit app can read it without loading Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

CursorKind = Literal["date", "datetime", "int"]


@dataclass(frozen=True)
class EventOrdering:
    """One order: its columns (the last being the unique id, which makes it total), its direction, and
    how each column's value travels in a cursor."""

    name: str
    description: str
    columns: tuple[str, ...]
    descending: bool
    # Whether the leading columns may be NULL (undated drafts). NULLs sort last whatever the direction,
    # and the nullable columns are NULL together (an event has both date bounds or neither).
    nullable: bool
    cursor_kinds: tuple[CursorKind, ...]

    def __post_init__(self) -> None:
        assert self.columns[-1] == "id", f"ordering {self.name!r} must end with the unique id"
        assert len(self.cursor_kinds) == len(self.columns), f"ordering {self.name!r}: one kind per column"

    def order_by(self, *, reverse: bool = False, visible_nulls: bool = True) -> list[Any]:
        """The ORDER BY terms, or those of the reverse order (to read a page backwards from a cursor).

        Without ``visible_nulls`` (the public sees only published, hence dated, events) NULLs are left
        unplaced, so that the plain indexes on the date serve the order, read either way.
        """
        from django.db.models import F

        descending = self.descending != reverse
        nulls_last = not reverse  # nulls are last going forward, so first going back
        terms = []
        for name in self.columns:
            column = F(name)
            if self.nullable and visible_nulls and name != "id":
                nulls = {"nulls_last": True} if nulls_last else {"nulls_first": True}
                terms.append(column.desc(**nulls) if descending else column.asc(**nulls))
            else:
                terms.append(column.desc() if descending else column.asc())
        return terms

    def sql(self, alias: str) -> str:
        """The ORDER BY as SQL over a table alias, for code that builds its own SQL (dated rows only)."""
        direction = "DESC" if self.descending else "ASC"
        return ", ".join(f"{alias}.{column} {direction}" for column in self.columns)


DATE = ("date_start", "date_end", "id")
EVENT_ORDERINGS: dict[str, EventOrdering] = {
    ordering.name: ordering
    for ordering in (
        EventOrdering(
            "date", "by start, then end, then id (the default)", DATE, False, True, ("date", "date", "int")
        ),
        EventOrdering("-date", "latest first", DATE, True, True, ("date", "date", "int")),
        EventOrdering(
            "updated", "least recently changed first", ("updated_at", "id"), False, False, ("datetime", "int")
        ),
        EventOrdering(
            "-updated", "most recently changed first", ("updated_at", "id"), True, False, ("datetime", "int")
        ),
    )
}
DEFAULT_ORDERING = "date"


def ordering_choices() -> list[tuple[str, str]]:
    """The ``ordering`` parameter's choices, with what each means (for the API's schema and errors)."""
    return [(name, f"{name}: {ordering.description}") for name, ordering in EVENT_ORDERINGS.items()]
