"""FilterSets for the record: the query parameters of the API's lists, and of the feeds that reuse them.

Every parameter is validated before any query runs: a malformed date, an unknown choice, an unknown
actor slug or an unknown parameter name is an error naming the parameter (a 400 through the API).
A selector or feed that uses a FilterSet directly must check ``is_valid()`` itself.

Dates follow one rule (``date_match``): a date parameter is read by :mod:`events.partial_dates`
(``2023``, ``2023-10``, ``October 2023``, ``2023年10月``); ``*_from`` takes the value's first day and
``*_to`` its last (``2023`` as ``date_to`` means 2023-12-31). ``overlap`` (the default) keeps records
whose date range meets the window; ``within`` keeps records lying wholly inside it. Undated records
never match a date parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms.utils import ErrorDict, ErrorList
from drf_spectacular.utils import extend_schema_field

from events import partial_dates, search
from events.models import Actor, Event, Location, Participation, Source, Tag, can_see_unpublished
from events.orderings import EVENT_ORDERINGS, ordering_choices
from events.partial_dates import DateValue, Precision
from events.read.adapters import PreparedQuery, ShallowFilterCopies, is_none
from events.selectors.lookups import id_or_slug_lookup
from events.source_urls import InvalidSourceUrl, normalize_url

OVERLAP = "overlap"
WITHIN = "within"
DATE_MATCH_CHOICES = [
    (OVERLAP, "overlap: the record's date range meets the window"),
    (WITHIN, "within: the record's date range lies wholly inside the window"),
]
DATE_HELP = (
    "A partial date: 2023, 2023-10 or 2023-10-18, an EDTF interval, or what a person writes "
    "(October 2023, 26 July 2025, 2023年10月)."
)


# --- Fields and filters --------------------------------------------------------------------------


class MomentField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time whose UTC offset is a real one (the database refuses others)."""

    def clean(self, value: Any) -> Any:
        moment = super().clean(value)
        if moment is not None and (problem := partial_dates.utc_offset_problem(moment)):
            raise ValidationError(f"{value!r}: {problem}", code="invalid")
        return moment


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = MomentField


def invalid_date_message(text: str, error: partial_dates.InvalidDate) -> str:
    """The time module's reason, naming the value given (most reasons already quote it)."""
    reason = str(error)
    if repr(text) in reason:
        return reason[0].upper() + reason[1:]
    return f"{text!r} is not a date this API can read: {reason}"


def literal_error(message: str, code: str) -> ValidationError:
    """A ValidationError whose message may quote the request: django-filter %-formats messages, so a
    "%" typed by the client must reach it as a parameter, not as part of the format string."""
    return ValidationError("%(message)s", params={"message": message}, code=code)


class PartialDateField(forms.CharField):
    """A form field that reads a partial date through the time module and cleans to a DateValue."""

    def clean(self, value: Any) -> DateValue | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return partial_dates.parse_human_date(text)
        except partial_dates.InvalidDate as error:
            raise literal_error(invalid_date_message(text, error), code="invalid") from None


class PartialDateFilter(django_filters.Filter):
    """A partial-date parameter; its ``method`` gets a DateValue (and its type hint documents a string)."""

    field_class = PartialDateField


class IdOrSlugChoiceField(forms.ModelChoiceField):
    """A model choice given by its numeric id or by its slug."""

    def to_python(self, value: Any) -> Model | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        lookup: dict[str, Any] = id_or_slug_lookup(text)
        try:
            return self.queryset.get(**lookup)  # type: ignore[union-attr]
        except self.queryset.model.DoesNotExist:  # type: ignore[union-attr]
            name = self.queryset.model._meta.verbose_name  # type: ignore[union-attr]
            raise literal_error(
                f"There is no {name} with the id or slug {text!r}.", code="invalid_choice"
            ) from None


class IdOrSlugFilter(django_filters.ModelChoiceFilter):
    """Filter by a related record named by id or slug; an unknown one is an error naming the value."""

    field_class = IdOrSlugChoiceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Documented as a string (an id or a slug), with its help text, not as the foreign key's integer.
        extend_schema_field({"type": "string", "description": kwargs.get("help_text", "")})(self)


def _actor_ids_by_slug(slugs: list[str]) -> QuerySet[Actor, tuple[str, int]]:
    return Actor.objects.filter(slug__in=slugs).values_list("slug", "id")


# Every list of events by actor looks its actors up: a statement PostgreSQL plans once per connection,
# for up to eight actors (more are rare, and each length is a statement of its own).
_ACTOR_IDS = PreparedQuery("actor_ids", _actor_ids_by_slug, marker=lambda index: f"-marker-{index}-", most=8)


class ActorSlugsField(django_filters.fields.ModelMultipleChoiceField):
    """Actors named by slug, cleaned to their ids (in the order given): the filters need no more, and
    one prepared lookup costs a fraction of building a queryset of model instances."""

    def _check_values(self, value: Any) -> tuple[int, ...]:  # type: ignore[override]
        try:
            slugs = list(dict.fromkeys(str(slug) for slug in value))
        except TypeError:
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
        for slug in slugs:
            self.validate_no_null_characters(slug)
        found = dict(_ACTOR_IDS.rows(slugs))
        for slug in slugs:
            if slug not in found:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": slug}
                )
        return tuple(found[slug] for slug in slugs)


class ActorSlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """Events' actors by slug; a filter ``method`` gets their ids (empty: the parameter is absent)."""

    field_class = ActorSlugsField


class ListedChoiceFilter(django_filters.ChoiceFilter):
    """A choice parameter whose error lists the valid choices (Django's says only that it is not one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        valid = ", ".join(str(value) for value, _label in kwargs.get("choices", ()) if value != "")
        kwargs.setdefault("error_messages", {})["invalid_choice"] = (
            f"%(value)r is not a valid choice: give one of {valid}."
        )
        super().__init__(*args, **kwargs)


def unknown_slug_message(kind: str) -> str:
    return f"There is no {kind} with the slug %(value)s."


# --- The base FilterSet ----------------------------------------------------------------------------


class StrictFilterSet(ShallowFilterCopies):
    """A FilterSet that also refuses parameters it does not know, naming them.

    ``passthrough_params`` are parameters read by someone else on the same request (pagination, the
    response language); a reader with parameters of its own names them all (``passthrough``). Its
    filters are copied per request as events/read/adapters.py does it (faster than django-filter's
    deep copy).
    """

    passthrough_params: frozenset[str] = frozenset({"limit", "offset", "cursor", "count", "lang", "format"})

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
        passthrough: Iterable[str] | None = None,
    ) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        if passthrough is not None:  # this request's readers of other parameters (events.read.query)
            self.passthrough_params = frozenset(passthrough)

    def request_errors(self, cleaned: Mapping[str, Any]) -> dict[str, str]:
        """Errors about the request as a whole; subclasses add theirs (call super)."""
        known = set(self.filters) | self.passthrough_params
        unknown = sorted(set(self.data) - known)
        return {
            name: f"Unknown parameter {name!r}. The parameters here are: {', '.join(sorted(known))}."
            for name in unknown
        }

    def _request_errors(self) -> dict[str, str]:
        if not hasattr(self, "_request_errors_cache"):
            cleaned = self.cleaned_data if not self.cleaning.errors else {}
            self._request_errors_cache = self.request_errors(cleaned) if self.is_bound else {}
        return self._request_errors_cache

    def is_valid(self) -> bool:
        return super().is_valid() and not self._request_errors()

    @property
    def errors(self) -> ErrorDict:
        errors = ErrorDict(self.cleaning.errors)
        for name, message in self._request_errors().items():
            earlier = errors[name].as_data() if name in errors else []
            errors[name] = ErrorList([*earlier, literal_error(message, code="invalid")])
        return errors

    @property
    def user(self) -> Any:
        return getattr(self.request, "user", None)


def names_any(value: Any) -> bool:
    """Whether a cleaned multiple-choice value names anything. An absent parameter cleans to an empty
    queryset (``none()``), not to None: told apart here without evaluating it."""
    if isinstance(value, QuerySet):
        return not is_none(value)
    return bool(value)


def window_filter(queryset: QuerySet, prefix: str, value: DateValue, side: str, match: str) -> QuerySet:
    """Half of a date window on the ``<prefix>_start`` / ``<prefix>_end`` columns.

    ``side`` is ``from`` or ``to``; ``overlap``: end >= from, start <= to; ``within``: start >= from,
    end <= to. Comparisons with NULL are false, so undated records never match.
    """
    if side == "from":
        column = f"{prefix}_start" if match == WITHIN else f"{prefix}_end"
        return queryset.filter(**{f"{column}__gte": value.lower})
    column = f"{prefix}_end" if match == WITHIN else f"{prefix}_start"
    return queryset.filter(**{f"{column}__lte": value.upper})


def window_errors(cleaned: Mapping[str, Any], from_name: str, to_name: str) -> dict[str, str]:
    start, end = cleaned.get(from_name), cleaned.get(to_name)
    if start is not None and end is not None and start.lower > end.upper:
        return {
            to_name: f"The window ends ({end}) before it starts ({start}): {to_name} is before {from_name}."
        }
    return {}


# --- Events --------------------------------------------------------------------------------------


class EventFilterSet(StrictFilterSet):
    """The query parameters of event lists (and, later, of the feeds)."""

    date_from = PartialDateFilter(
        method="filter_date_from",
        help_text="Events on or after this date: the window starts on the value's first day. " + DATE_HELP,
    )
    date_to = PartialDateFilter(
        method="filter_date_to",
        help_text="Events on or before this date: the window ends on the value's last day (2023 means "
        "up to 2023-12-31). " + DATE_HELP,
    )
    date_match = ListedChoiceFilter(
        choices=DATE_MATCH_CHOICES,
        method="filter_nothing",
        help_text="How date_from/date_to match an event's date range: overlap (default; an event of "
        "October 2023 is found by a window of 15–20 October 2023) or within (the event lies wholly "
        "inside the window). Undated events never match a date filter.",
    )
    actor = ActorSlugsFilter(
        queryset=Actor.objects.all(),
        to_field_name="slug",
        method="filter_actor",
        error_messages={"invalid_choice": unknown_slug_message("actor")},
        help_text="Events involving this actor (slug); repeat the parameter for any of several actors. "
        "With role, the actor must have that role.",
    )
    role = ListedChoiceFilter(
        choices=Participation.Role.choices,
        method="filter_role",
        help_text="Events in which some actor (with actor: the given actor) has this role.",
    )
    source = IdOrSlugFilter(
        queryset=Source.objects.all(),
        field_name="citations__source",
        distinct=True,
        help_text="Events citing this source (id or slug).",
    )
    publisher = IdOrSlugFilter(
        queryset=Actor.objects.all(),
        field_name="citations__source__publisher",
        distinct=True,
        help_text="Events citing a source published by this actor (id or slug), e.g. xinhua.",
    )
    type = ListedChoiceFilter(choices=Event.Type.choices, field_name="type", help_text="Events of this type.")
    tag = IdOrSlugFilter(
        queryset=Tag.objects.all(), field_name="tags", help_text="Events with this tag (id or slug)."
    )
    location = IdOrSlugFilter(
        queryset=Location.objects.all(),
        field_name="location",
        help_text="Events at this location (id or slug).",
    )
    precision = ListedChoiceFilter(
        choices=[(p.value, p.value) for p in Precision],
        field_name="date_precision",
        help_text="Events dated to this precision: year, month or day.",
    )
    status = ListedChoiceFilter(
        choices=Event.Status.choices,
        field_name="status",
        help_text="Curators only: events in this workflow status. Anyone else sees published events only, "
        "and giving this parameter is a 400.",
    )
    updated_since = MomentFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Events created or changed at or after this moment: an ISO 8601 date-time "
        "(2025-07-26T08:00:00Z) or date (2025-07-26, meaning its midnight UTC).",
    )
    q = django_filters.CharFilter(
        method="filter_q",
        help_text="Full-text search over titles, summaries (all languages), citation quotes and actor "
        "names and aliases. Simplified/traditional script and Taiwan/mainland vocabulary are folded: "
        "李強 finds 李强, 人工智慧 finds 人工智能. Every word must match.",
    )
    ordering = ListedChoiceFilter(
        choices=ordering_choices(),
        method="order_events",
        help_text="The order of results.",
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def request_errors(self, cleaned: Mapping[str, Any]) -> dict[str, str]:
        errors = super().request_errors(cleaned)
        if self.data.get("status") and not can_see_unpublished(self.user):  # who sees only published ones
            errors["status"] = (
                "Only curators may filter by status: everyone else sees published events only. "
                "Sign in or send a curator's token."
            )
        errors.update(window_errors(cleaned, "date_from", "date_to"))
        return errors

    def date_match_value(self) -> str:
        return self.cleaned_data.get("date_match") or OVERLAP

    def filter_date_from(self, queryset: QuerySet[Event], name: str, value: DateValue) -> QuerySet[Event]:
        return window_filter(queryset, "date", value, "from", self.date_match_value())

    def filter_date_to(self, queryset: QuerySet[Event], name: str, value: DateValue) -> QuerySet[Event]:
        return window_filter(queryset, "date", value, "to", self.date_match_value())

    def filter_nothing(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # read by the other filters

    def filter_actor(self, queryset: QuerySet[Event], name: str, value: tuple[int, ...]) -> QuerySet[Event]:
        if not names_any(value):
            return queryset
        # actor and role apply to the same participation: "Li Qiang as speaker", not "Li Qiang, and a speaker"
        participations = Participation.objects.filter(actor_id__in=value)
        if role := self.cleaned_data.get("role"):
            participations = participations.filter(role=role)
        return queryset.filter(id__in=participations.values("event_id"))

    def filter_role(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        if names_any(self.cleaned_data.get("actor")):
            return queryset  # applied together with actor
        return queryset.filter(id__in=Participation.objects.filter(role=value).values("event_id"))

    def filter_q(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        return search.search_events(queryset, value)

    def order_events(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        return queryset.order_by(*EVENT_ORDERINGS[value].order_by())


# --- Reference data --------------------------------------------------------------------------------


class ActorFilterSet(StrictFilterSet):
    """The query parameters of the actor list."""

    q = django_filters.CharFilter(
        method="filter_q",
        help_text="Actors whose name or any alias contains this text, in any script or language "
        "(李強, 李强 and Li Qiang all find Li Qiang).",
    )
    kind = ListedChoiceFilter(choices=Actor.Kind.choices, field_name="kind", help_text="Actors of this kind.")

    class Meta:
        model = Actor
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Actor], name: str, value: str) -> QuerySet[Actor]:
        return search.search_actors(queryset, value)


class SourceFilterSet(StrictFilterSet):
    """The query parameters of the source list."""

    q = django_filters.CharFilter(
        method="filter_q", help_text="Sources whose title contains this text, in any Chinese script."
    )
    publisher = IdOrSlugFilter(
        queryset=Actor.objects.all(),
        field_name="publisher",
        help_text="Sources published by this actor (id or slug).",
    )
    published_from = PartialDateFilter(
        method="filter_published_from",
        help_text="Sources published on or after this date (its first day). " + DATE_HELP,
    )
    published_to = PartialDateFilter(
        method="filter_published_to",
        help_text="Sources published on or before this date (its last day). " + DATE_HELP,
    )
    published_match = ListedChoiceFilter(
        choices=DATE_MATCH_CHOICES,
        method="filter_nothing",
        help_text="How published_from/published_to match a publication date: overlap (default) or "
        "within. Sources without a publication date never match.",
    )
    language = ListedChoiceFilter(
        choices=Source.Language.choices, field_name="language", help_text="Sources in this language."
    )
    url = django_filters.CharFilter(
        method="filter_url",
        help_text="Is this URL already in the database? The URL is normalised as stored ones are "
        "(lower-case scheme and host; no default port, fragment, trailing slash or utm_* "
        "parameters) and looked up exactly.",
    )

    class Meta:
        model = Source
        fields: list[str] = []

    def request_errors(self, cleaned: Mapping[str, Any]) -> dict[str, str]:
        errors = super().request_errors(cleaned)
        errors.update(window_errors(cleaned, "published_from", "published_to"))
        if url := self.data.get("url"):
            try:
                normalize_url(url)
            except InvalidSourceUrl as error:
                errors["url"] = str(error)
        return errors

    def published_match_value(self) -> str:
        return self.cleaned_data.get("published_match") or OVERLAP

    def filter_q(self, queryset: QuerySet[Source], name: str, value: str) -> QuerySet[Source]:
        return search.search_sources(queryset, value)

    def filter_published_from(
        self, queryset: QuerySet[Source], name: str, value: DateValue
    ) -> QuerySet[Source]:
        return window_filter(queryset, "published", value, "from", self.published_match_value())

    def filter_published_to(
        self, queryset: QuerySet[Source], name: str, value: DateValue
    ) -> QuerySet[Source]:
        return window_filter(queryset, "published", value, "to", self.published_match_value())

    def filter_nothing(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # read by the other filters

    def filter_url(self, queryset: QuerySet[Source], name: str, value: str) -> QuerySet[Source]:
        return queryset.filter(url=normalize_url(value))


class NamedThingFilterSet(StrictFilterSet):
    """``q`` over English and Chinese names, for tags and locations."""

    q = django_filters.CharFilter(
        method="filter_q",
        help_text="Records whose English or Chinese name contains this text, in any script.",
    )

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for term in search.search_terms(value):
            queryset = queryset.filter(search.any_field_contains(["name_en", "name_zh"], term))
        return queryset


class TagFilterSet(NamedThingFilterSet):
    """The query parameters of the tag list."""

    class Meta:
        model = Tag
        fields: list[str] = []


class LocationFilterSet(NamedThingFilterSet):
    """The query parameters of the location list."""

    class Meta:
        model = Location
        fields: list[str] = []
