"""The library internals the read path relies on (events/read/adapters.py) still behave as it assumes:
each speed-up gives what the library's own public path gives. A failure here after an upgrade means
the adapter must follow the library, not that the domain code is wrong."""

from __future__ import annotations

import datetime as dt

import django_filters
import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test import RequestFactory

from events.filtersets import EventFilterSet
from events.models import Actor, Citation, Event
from events.read.adapters import FormFieldsCopiedOneLevel, PreparedQuery, compiled_sql, is_none
from events.selectors.events import event_list
from tests.factories import ActorFactory, CitationFactory, EventFactory, ParticipationFactory, TagFactory

pytestmark = pytest.mark.django_db

FILTER_REQUESTS = [
    {},
    {"date_from": "2023", "date_to": "October 2024", "date_match": "within"},
    {"actor": ["minister"], "role": "speaker", "q": "summit", "ordering": "-date"},
    {"tag": "peace", "type": "speech", "precision": "month"},
]


def library_filterset(data: dict, queryset, request) -> EventFilterSet:
    """An EventFilterSet set up by django-filter's own ``__init__`` (deep copies and all)."""
    filterset = EventFilterSet.__new__(EventFilterSet)
    django_filters.FilterSet.__init__(filterset, data, queryset, request=request)
    return filterset


@pytest.mark.parametrize("data", FILTER_REQUESTS)
def test_shallow_filter_copies_filter_as_the_librarys_deep_copies_do(data):
    ActorFactory(slug="minister")
    TagFactory(slug="peace")
    request = RequestFactory().get("/")
    request.user = None
    ours = EventFilterSet(data, event_list(user=None), request=request)
    theirs = library_filterset(data, event_list(user=None), request)
    assert ours.is_valid() and theirs.is_valid(), (ours.errors, theirs.errors)
    assert list(ours.filters) == list(theirs.filters) == list(EventFilterSet.base_filters)
    assert str(ours.qs.query) == str(theirs.qs.query)
    assert type(ours.form).base_fields.keys() == type(theirs.form).base_fields.keys()


def test_shallow_filter_copies_belong_to_their_filterset_and_never_to_the_class():
    first, second = EventFilterSet({}, Event.objects.all()), EventFilterSet({}, Event.objects.all())
    for name, filter_ in first.filters.items():
        assert filter_ is not EventFilterSet.base_filters[name]
        assert filter_ is not second.filters[name]
        assert filter_.parent is first and filter_.model is Event
        if filter_.method is not None:  # a method filter calls its own FilterSet's method
            assert filter_.filter.f is filter_, name  # its FilterMethod, not the class's filter's
            assert filter_.filter.method.__self__ is first, name
    assert "base_filters" not in vars(first)  # the class's filters show through again


def test_bad_input_gives_the_same_errors_as_the_library():
    data = {"date_from": "someday", "type": "nonsense", "actor": "nobody"}
    ours = EventFilterSet(data, Event.objects.all())
    theirs = library_filterset(data, Event.objects.all(), None)
    assert not ours.is_valid()
    assert ours.form.errors == theirs.form.errors


def test_is_none_tells_an_empty_choice_from_a_real_one():
    assert is_none(Actor.objects.none())
    assert not is_none(Actor.objects.all())
    assert not is_none(Actor.objects.filter(slug="x"))


def test_compiled_sql_runs_to_the_querysets_own_rows():
    events = [EventFactory(date=f"20{year}") for year in range(10, 14)]
    queryset = (
        Event.objects.filter(id__in=[e.id for e in events[1:3]]).order_by("id").values_list("id", "slug")
    )
    sql, params = compiled_sql(queryset, "default")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert [tuple(row) for row in cursor.fetchall()] == list(queryset)


def test_a_prepared_query_reads_what_the_orm_reads_converters_included():
    citations = [CitationFactory(event=EventFactory(date="2024")) for _ in range(3)]
    ParticipationFactory(event=citations[0].event)

    def build(ids):
        return (
            Citation.objects.filter(event_id__in=ids)
            .order_by("id")
            .values_list("event_id", "source__title", "event__date_start", "created_at")
        )

    prepared = PreparedQuery("adapter_test", build)
    ids = [citation.event_id for citation in citations[:2]]
    for _ in range(2):  # the first use compiles, the second reuses the compiled query
        rows = list(prepared.rows(ids))
        assert rows == list(build(ids))
        assert isinstance(rows[0][2], dt.date) and isinstance(rows[0][3], dt.datetime)


def test_a_prepared_query_refuses_a_query_that_does_not_carry_its_ids():
    prepared = PreparedQuery(
        "adapter_test_ids", lambda ids: Event.objects.filter(id__in=ids[:1]).values_list("id")
    )
    with pytest.raises(AssertionError, match="placeholder id"):
        list(prepared.rows([1, 2]))


def comparable(cleaned: dict) -> dict:
    """Cleaned data with querysets as lists of their rows (querysets compare by identity)."""
    return {name: list(value) if isinstance(value, QuerySet) else value for name, value in cleaned.items()}


@pytest.mark.parametrize(
    "data",
    [*FILTER_REQUESTS, {"date_from": "not a date"}, {"ordering": "sideways", "precision": "week"}],
)
def test_forms_whose_fields_are_copied_one_level_clean_as_deep_copied_forms_do(data):
    """The thin read path's forms (FormFieldsCopiedOneLevel) clean, refuse and say why as Django's own
    deep-copied forms do, and each form still gets fields of its own (a change to one is not shared)."""
    ActorFactory(slug="minister")
    TagFactory(slug="peace")
    form_class = EventFilterSet().get_form_class()
    shallow_class = type("ShallowForm", (form_class,), {})
    shallow_class.base_fields = FormFieldsCopiedOneLevel(form_class.base_fields)
    ours, theirs = shallow_class(data), form_class(data)
    assert ours.is_valid() == theirs.is_valid()
    assert ours.errors == theirs.errors
    if theirs.is_valid():
        assert comparable(ours.cleaned_data) == comparable(theirs.cleaned_data)
    other = shallow_class({})
    for name, field in ours.fields.items():
        assert field is not other.fields[name] and field is not shallow_class.base_fields[name]
        assert type(field) is type(form_class.base_fields[name])
