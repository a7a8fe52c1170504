"""REST API views: declarative viewsets for reading, services for writing.

Each viewset is a conventional DRF ``ModelViewSet`` (so mixins, e.g. for conditional requests, can
be added in front): a queryset from a selector, a FilterSet, an output serializer, and for writes an
input serializer whose validated data goes to a service.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from events.api import serializers as api
from events.api.conditional import ConditionalRequestsMixin
from events.api.filtering import api_event_query
from events.api.pagination import EventCursorPagination
from events.filtersets import ActorFilterSet, EventFilterSet, LocationFilterSet, SourceFilterSet, TagFilterSet
from events.languages import CONTENT_LANGUAGE, LANGUAGE_PARAM, InvalidLanguage, language_from_request
from events.models import Actor, Event, Location, Source, Tag, can_see_unpublished
from events.presentation import event_rows, represent_event_rows
from events.selectors.actors import actor_list
from events.selectors.events import event_list
from events.selectors.lookups import id_or_slug_lookup
from events.services import actors as actor_services
from events.services import vocabulary
from events.services.event_links import event_save
from events.services.events import event_delete
from events.services.sources import source_create, source_delete, source_update

WRITE_ACTIONS = {"create", "update", "partial_update"}
Representations = list[dict[str, Any]]
# What an event's detail reads: the language (and the format, checked by content negotiation).
DETAIL_PARAMS = {"lang", "format"}


def resolve_language(request: Request) -> str:
    """The answer's language (see events.languages); an unknown ``lang`` is a 400 naming it."""
    try:
        return language_from_request(request)
    except InvalidLanguage as error:
        raise ValidationError({LANGUAGE_PARAM: [str(error)]}) from None


class LanguageNegotiationMixin:
    """Resolves the answer's language (``?lang=`` or Accept-Language) and says it in Content-Language."""

    negotiates_language: ClassVar[bool] = True
    language: str

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self.language = resolve_language(request)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["language"] = getattr(self, "language", "en")
        return context

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        patch_vary_headers(response, ["Accept-Language"])
        if hasattr(self, "language") and response.status_code < 400:
            response["Content-Language"] = CONTENT_LANGUAGE[self.language]
        return response


class IdOrSlugLookupMixin:
    """Detail URLs name a record by its numeric id or its slug: /events/42/ or /events/waic-2025/."""

    lookup_field = "pk"
    lookup_url_kwarg: str | None = "id_or_slug"
    lookup_value_regex = "[^/]+"
    self_link_field: ClassVar[str] = "url"

    def get_object(self) -> Any:
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        key: str = self.kwargs[self.lookup_url_kwarg or self.lookup_field]  # type: ignore[attr-defined]
        lookup: dict[str, Any] = id_or_slug_lookup(key)
        record = queryset.filter(**lookup).first()
        if record is None:
            name = queryset.model._meta.verbose_name
            raise NotFound(f"There is no {name} {key!r} here (or it is not public).")
        self.check_object_permissions(self.request, record)  # type: ignore[attr-defined]
        return record

    def get_success_headers(self, data: Any) -> dict[str, str]:
        link = data.get(self.self_link_field) if isinstance(data, dict) else None
        return {"Location": str(link)} if link else {}


class RecordViewSet(
    ConditionalRequestsMixin, LanguageNegotiationMixin, IdOrSlugLookupMixin, viewsets.ModelViewSet
):
    """The base of the API's viewsets: reads with ``serializer_class``, writes with
    ``write_serializer_class`` through the ``save_record`` / ``delete_record`` services hooks."""

    write_serializer_class: ClassVar[type[serializers.Serializer]]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        # OPTIONS describes a POST or PUT through a clone of the request with that method.
        describes_a_write = self.action == "metadata" and self.request.method in {"POST", "PUT"}
        if self.action in WRITE_ACTIONS or describes_a_write:
            return self.write_serializer_class
        return super().get_serializer_class()

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        record = self.save_record(None, dict(serializer.validated_data))
        serializer.instance = self.reloaded(record)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        record = self.save_record(serializer.instance, dict(serializer.validated_data))
        serializer.instance = self.reloaded(record)

    def perform_destroy(self, instance: Any) -> None:
        self.delete_record(instance)

    def reloaded(self, record: Model) -> Any:
        """The written record as the list shows it (annotations and prefetches included)."""
        return self.get_queryset().get(pk=record.pk)

    def save_record(self, record: Any, data: dict[str, Any]) -> Model:
        raise NotImplementedError(f"{type(self).__name__} must say which service saves a record.")

    def delete_record(self, record: Any) -> None:
        raise NotImplementedError(f"{type(self).__name__} must say which service deletes a record.")


def write_schema(read: type[serializers.Serializer], write: type[serializers.Serializer]) -> Any:
    """Document writes as taking the input serializer and answering with the output one."""
    return extend_schema_view(
        create=extend_schema(request=write, responses={201: read}),
        update=extend_schema(request=write, responses={200: read}),
        partial_update=extend_schema(request=write, responses={200: read}),
    )


@write_schema(api.EventSerializer, api.EventWriteSerializer)
class EventViewSet(RecordViewSet):
    """Events: everyone reads published ones; curators read all and write."""

    queryset = Event.objects.none()  # names the model for permissions and the schema; see get_queryset
    serializer_class = api.EventSerializer
    write_serializer_class = api.EventWriteSerializer
    filterset_class = EventFilterSet

    pagination_class = EventCursorPagination

    def get_queryset(self) -> QuerySet[Event]:
        return event_list(user=self.request.user)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # The one event query (events.read.query), as the histogram and the feeds apply it; the
        # FilterSet class above documents the parameters in the schema.
        return api_event_query(self.request, events=queryset)

    # Reads go through events.presentation (values() rows, a fixed number of queries); the serializer
    # class documents the same representation in the OpenAPI schema.

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        paginator = self.paginator
        assert isinstance(paginator, EventCursorPagination), "events are paged by a keyset cursor"
        rows = paginator.paginate_rows(queryset, request, visible_nulls=can_see_unpublished(request.user))
        return paginator.get_paginated_response(self.represent(rows))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key: str = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        queryset = self.get_queryset()
        if set(request.query_params) - DETAIL_PARAMS:  # any other parameter is checked, and refused
            queryset = self.filter_queryset(queryset)
        queryset = queryset.filter(**id_or_slug_lookup(key))
        rows = event_rows(queryset[:1])
        if not rows:
            raise NotFound(f"There is no event {key!r} here (or it is not public).")
        return Response(self.represent(rows)[0])

    def represent(self, rows: Representations) -> Representations:
        user, request = self.request.user, self.request
        return represent_event_rows(rows, language=self.language, user=user, request=request)

    def current_representation(self, record: Event) -> dict[str, Any]:
        return self.represent(event_rows(Event.objects.filter(pk=record.pk)))[0]

    def save_record(self, record: Event | None, data: dict[str, Any]) -> Event:
        status = data.pop("status", None)
        participants = data.pop("actors", None)
        citations = data.pop("citations", None)
        related = data.pop("related", None)
        return event_save(
            event=record,
            fields=data,
            status=status,
            participants=participants,
            citations=citations,
            relations=None if related is None else [(link["relation"], link["event"]) for link in related],
        )

    def delete_record(self, record: Event) -> None:
        event_delete(event=record)


@write_schema(api.ActorSerializer, api.ActorWriteSerializer)
class ActorViewSet(RecordViewSet):
    """Actors: public reference data; each counts only the events the reader may see."""

    queryset = Actor.objects.none()
    serializer_class = api.ActorSerializer
    write_serializer_class = api.ActorWriteSerializer
    filterset_class = ActorFilterSet

    def get_queryset(self) -> QuerySet[Actor]:
        return actor_list(user=self.request.user)

    def save_record(self, record: Actor | None, data: dict[str, Any]) -> Actor:
        aliases = data.pop("aliases", None)
        if record is None:
            return actor_services.actor_create(aliases=aliases or (), **data)
        return actor_services.actor_update(actor=record, data=data, aliases=aliases)

    def delete_record(self, record: Actor) -> None:
        actor_services.actor_delete(actor=record)


@write_schema(api.SourceDetailSerializer, api.SourceWriteSerializer)
class SourceViewSet(RecordViewSet):
    """Sources: public reference data. The list leaves out the captured texts; the detail has them."""

    queryset = Source.objects.select_related("publisher")
    serializer_class = api.SourceSerializer
    write_serializer_class = api.SourceWriteSerializer
    filterset_class = SourceFilterSet
    self_link_field = "api_url"  # a source's "url" is its web address

    def get_queryset(self) -> QuerySet[Source]:
        queryset = super().get_queryset()
        return queryset.defer("text", "text_clean") if self.action == "list" else queryset

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "retrieve":
            return api.SourceDetailSerializer
        return super().get_serializer_class()

    def save_record(self, record: Source | None, data: dict[str, Any]) -> Source:
        if record is None:
            return source_create(**data)
        return source_update(source=record, data=data)

    def delete_record(self, record: Source) -> None:
        source_delete(source=record)


@write_schema(api.TagSerializer, api.TagWriteSerializer)
class TagViewSet(RecordViewSet):
    """Tags: public reference data."""

    queryset = Tag.objects.all()
    serializer_class = api.TagSerializer
    write_serializer_class = api.TagWriteSerializer
    filterset_class = TagFilterSet

    def save_record(self, record: Tag | None, data: dict[str, Any]) -> Tag:
        return (
            vocabulary.tag_create(**data) if record is None else vocabulary.tag_update(tag=record, data=data)
        )

    def delete_record(self, record: Tag) -> None:
        vocabulary.tag_delete(tag=record)


@write_schema(api.LocationSerializer, api.LocationWriteSerializer)
class LocationViewSet(RecordViewSet):
    """Locations: public reference data."""

    queryset = Location.objects.all()
    serializer_class = api.LocationSerializer
    write_serializer_class = api.LocationWriteSerializer
    filterset_class = LocationFilterSet

    def save_record(self, record: Location | None, data: dict[str, Any]) -> Location:
        if record is None:
            return vocabulary.location_create(**data)
        return vocabulary.location_update(location=record, data=data)

    def delete_record(self, record: Location) -> None:
        vocabulary.location_delete(location=record)
