"""The read path's speed-ups that lean on libraries' internals, kept here and nowhere else.

Each one relies on something Django or django-filter does not promise; tests/test_read_adapters.py
checks each against the library's own public path, so that an upgrade that changes the internals fails
there, loudly, rather than as wrong answers somewhere in the domain code.

* **django-filter** deep-copies every filter of a FilterSet (with its querysets, choices and form
  field) for each request, builds a new form class each time, and cleans the parameters by building a
  form (whose fields Django deep-copies again): about a millisecond and a half on a hot path.
  :class:`ShallowFilterCopies` copies each filter shallowly instead, builds the form class once per
  FilterSet class, and cleans the parameters with the form class's own fields, as a bound form's
  ``full_clean`` would (:class:`CleanedParameters`), without building a form. Relies on
  ``FilterSet.__init__`` deep-copying ``self.base_filters``, on a filter's state being its ``model``,
  ``parent`` and ``method`` only, on the library reading parameters only through ``is_valid``,
  ``errors`` and ``filter_queryset``, and on Django's ``Form.full_clean`` cleaning each field with
  ``Field.clean(widget.value_from_datadict(...))`` (the form class has no ``clean_<name>`` or
  ``clean`` of its own). ``FilterSet.form`` still builds a real form for whoever renders one (the
  browsable API).
* **Django's ORM**: :class:`PreparedQuery` compiles a query over a list of ids once, with placeholder
  ids swapped for the real ones on each use, and reads the rows through the compiler's converters
  (``SQLCompiler.as_sql`` and ``results_iter``); :func:`compiled_sql` compiles a queryset for a
  database; :func:`is_none` tells ``QuerySet.none()`` apart without running it (``Query.is_empty``).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import QuerySet
from django.forms.utils import ErrorDict, ErrorList
from django.utils.datastructures import MultiValueDict

from events.selectors.prepared import prepared_rows

# --- django-filter -----------------------------------------------------------------------------------


class CleanedParameters:
    """Query parameters cleaned by a form class's fields, as a bound form of that class cleans them.

    Django builds a form per request, deep-copies its fields and wraps each in a bound field to clean
    it. Cleaning a query parameter only reads the field (its widget, choices, queryset and validators),
    so the form class's own fields clean every request: ``cleaned_data`` holds the fields that cleaned,
    ``errors`` the others, in the form's types (``ErrorDict`` of ``ErrorList``), field by field in the
    form's order.
    """

    def __init__(self, fields: dict[str, forms.Field], data: Any, prefix: str | None = None) -> None:
        self.cleaned_data: dict[str, Any] = {}
        self.errors = ErrorDict()
        for name, field in fields.items():
            value = field.widget.value_from_datadict(data, _NO_FILES, f"{prefix}-{name}" if prefix else name)
            try:
                self.cleaned_data[name] = field.clean(value)
            except ValidationError as error:
                self.errors[name] = ErrorList(error.error_list)


_NO_FILES: MultiValueDict[str, Any] = MultiValueDict()


class ShallowFilterCopies(django_filters.FilterSet):
    """A FilterSet whose filters are shallow copies, and whose form class is built once per class."""

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        # Our filters keep no state of their own but the FilterSet and model they belong to, so a
        # shallow copy of each is as safe as the library's deep copy.
        base_filters: dict[str, django_filters.Filter] = type(self).base_filters  # type: ignore[has-type]
        self.base_filters = {}  # type: ignore[var-annotated]  # what the library deep-copies: nothing
        super().__init__(data, queryset, request=request, prefix=prefix)
        del self.base_filters
        model = self.queryset.model
        self.filters = {name: copy.copy(filter_) for name, filter_ in base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = filter_.method  # rebinds its FilterMethod to this copy

    def get_form_class(self) -> type[forms.Form]:
        # Built once per FilterSet class (the library builds a new class per request); a form built from
        # it still gets its own deep copy of the fields, as every Django form does.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    _cleaning: CleanedParameters | None = None

    @property
    def cleaning(self) -> CleanedParameters:
        """The parameters cleaned by the form class's fields, once (no form is built)."""
        if self._cleaning is None:
            fields = self.get_form_class().base_fields  # type: ignore[attr-defined]
            self._cleaning = CleanedParameters(fields, self.data, self.form_prefix)
        return self._cleaning

    @property
    def cleaned_data(self) -> dict[str, Any]:
        return self.cleaning.cleaned_data

    def is_valid(self) -> bool:
        return self.is_bound and not self.cleaning.errors

    @property
    def errors(self) -> ErrorDict:
        return self.cleaning.errors

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # The library's loop, over the cleaned parameters rather than its form's.
        for name, value in self.cleaned_data.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset


def is_none(queryset: QuerySet) -> bool:
    """Whether ``queryset`` is ``none()`` (what an absent multiple-choice parameter cleans to), told
    without evaluating it."""
    return queryset.query.is_empty()


# --- Django's ORM ------------------------------------------------------------------------------------


def compiled_sql(queryset: QuerySet[Any], using: str) -> tuple[str, tuple[Any, ...]]:
    """The SQL (with ``%s`` placeholders) and parameters the ORM would run ``queryset`` with on ``using``."""
    sql, params = queryset.query.get_compiler(using).as_sql()
    return sql, tuple(params)


class PreparedQuery:
    """An ORM query over a list of ids (or other values), compiled once per process, database and length.

    An embedded relation of the event representation is the same query for every page but its ids;
    building and compiling it through the ORM costs more than running it. The ORM writes the SQL once
    (with placeholder ids that are then swapped for the real ones), PostgreSQL plans it once per
    connection (events.selectors.prepared), and the ORM's converters still read the rows, so results are
    what the queryset itself would give. Compiled queries are kept per thread, as database connections
    are.
    """

    def __init__(
        self,
        name: str,
        build: Callable[[list[Any]], QuerySet[Any]],
        *,
        marker: Callable[[int], Any] = lambda index: -(10**15) - index,
        most: int | None = None,
    ) -> None:
        self.name = name
        self.build = build
        self.marker = marker  # the index-th placeholder value: one no real row has
        self.most = most  # longer lists are compiled and run each time, not prepared
        self.local = threading.local()
        self.model: Any = None

    def rows(self, ids: list[Any]) -> Iterator[tuple[Any, ...]]:
        if self.model is None:
            self.model = self.build([self.marker(0)]).model
        using = router.db_for_read(self.model)  # as the queryset would: the primary or a replica
        if self.most is not None and len(ids) > self.most:
            # A statement per length, prepared on every connection, has to stop somewhere.
            return self.build(ids).query.get_compiler(using).results_iter(tuple_expected=True)
        sql, slots, compiler = self._compiled(using, len(ids))
        params = [ids[slot] if isinstance(slot, int) else slot.value for slot in slots]
        fetched = prepared_rows(connections[using], f"timeline_{self.name}_{len(ids)}", sql, params)
        return compiler.results_iter(results=[fetched], tuple_expected=True)

    def _compiled(self, using: str, size: int) -> tuple[str, list[Any], Any]:
        cache: dict[tuple[str, int], tuple[str, list[Any], Any]] = self.local.__dict__.setdefault("cache", {})
        key = (using, size)
        if key not in cache:
            # Placeholder ids no real row has, each recognisable among the query's other parameters.
            markers = [self.marker(index) for index in range(size)]
            compiler = self.build(markers).query.get_compiler(using)
            sql, params = compiler.as_sql()
            position = {marker: index for index, marker in enumerate(markers)}
            slots = [position[param] if param in position else _Constant(param) for param in params]
            assert {slot for slot in slots if isinstance(slot, int)} == set(range(size)), (
                "every placeholder id must appear in the compiled query: the ORM compiled "
                f"{self.name!r} differently (see events/read/adapters.py)"
            )
            cache[key] = (sql, slots, compiler)
        return cache[key]


class _Constant:
    """A parameter of a prepared query that is not one of the ids."""

    def __init__(self, value: Any) -> None:
        self.value = value
