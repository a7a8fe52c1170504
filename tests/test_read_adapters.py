"""The library internals the read path relies on (events/read/adapters.py) still behave as it assumes:
each speed-up gives what the library's own public path gives. A failure here after an upgrade means
the adapter must follow the library, not that the domain code is wrong."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import django_filters
import pytest
from django.db import connection
from django.db.models import QuerySet
from django.http import QueryDict
from django.test import RequestFactory

from events.filtersets import EventFilterSet
from events.models import Actor, Citation, Event
from events.read.adapters import CleanedParameters, PreparedQuery, compiled_sql, is_none
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
    assert ours.errors.get_json_data() == theirs.errors.get_json_data()


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


BAD_REQUESTS = [
    {"date_from": "not a date"},
    {"ordering": "sideways", "precision": "week"},
    {"date_from": "someday", "type": "nonsense", "actor": "nobody", "tag": "war", "updated_since": "soon"},
    {"actor": ["minister", "nobody"], "role": "speaker", "location": "", "source": "9" * 30},
]


def query_dict(data: dict) -> QueryDict:
    """``data`` as a request's query string arrives (repeated parameters and all)."""
    return QueryDict(urlencode(data, doseq=True))


@pytest.mark.parametrize("data", [*FILTER_REQUESTS, *BAD_REQUESTS])
@pytest.mark.parametrize("prefix", [None, "events"])
def test_parameters_clean_as_a_bound_django_form_cleans_them(data, prefix):
    """CleanedParameters cleans, refuses and says why as Django's own form of the same class does:
    the same cleaned values, the same errors (messages and codes) for the same fields, in order."""
    ActorFactory(slug="minister")
    TagFactory(slug="peace")
    if prefix:
        data = {f"{prefix}-{name}": value for name, value in data.items()}
    form_class = EventFilterSet().get_form_class()
    form = form_class(query_dict(data), prefix=prefix)
    ours = CleanedParameters(form_class.base_fields, query_dict(data), prefix)
    assert bool(ours.errors) == (not form.is_valid())
    assert list(ours.errors) == list(form.errors)
    assert ours.errors.get_json_data() == form.errors.get_json_data()
    assert comparable(ours.cleaned_data) == comparable(form.cleaned_data)


def test_a_filterset_cleans_its_parameters_without_building_a_form(monkeypatch):
    """No form per request (a hot path's cost): the FilterSet validates, reports and filters from its
    form class's fields, and a form is built only for whoever asks for one (the browsable API)."""
    ActorFactory(slug="minister")
    built = []
    form_class = EventFilterSet().get_form_class()
    monkeypatch.setattr(form_class, "full_clean", lambda form: built.append(form))
    good = EventFilterSet(query_dict({"actor": "minister", "date_from": "2023"}), Event.objects.all())
    bad = EventFilterSet(query_dict({"actor": "nobody"}), Event.objects.all())
    assert good.is_valid() and "date_start" in str(good.qs.query)
    assert not bad.is_valid() and list(bad.errors) == ["actor"]
    assert built == []
    assert isinstance(bad.form, form_class)  # still there, for rendering


def test_the_filterset_s_own_form_still_cleans_as_its_parameters_do():
    data = query_dict({"actor": "nobody", "type": "speech"})
    filterset = EventFilterSet(data, Event.objects.all())
    assert filterset.form.errors.get_json_data() == filterset.errors.get_json_data()
