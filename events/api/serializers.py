"""REST API serializers: how records read, in the requested language, and what curators may send.

Output serializers render records; their text follows ``context["language"]`` (see
:mod:`events.languages`). Input serializers (``*WriteSerializer``) only validate: the views hand
``validated_data`` to the services, which write, and answer with the output representation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events import partial_dates
from events.filtersets import invalid_date_message
from events.languages import EN, chinese_display, localized_text
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
)
from events.partial_dates import OPEN_END, OPEN_START, Precision
from events.presentation import event_representations, related_events
from events.read.fields import EVENT_FIELD_NAMES, EVENT_FIELDS_BY_NAME
from events.selectors.lookups import id_or_slug_lookup
from events.services.sources import SOURCE_EDITABLE_FIELDS

RELATION_NAMES = list(dict.fromkeys([*EventRelation.Relation.values, *EventRelation.INVERSE.values()]))
PRECISION_CHOICES = [(precision.value, precision.value) for precision in Precision]


def request_language(serializer: serializers.Field) -> str:
    return serializer.context.get("language", EN)


# --- Fields --------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class LocalizedTextField(serializers.Field):
    """Text in the requested language, from a record's ``<prefix>_en`` / ``_zh`` / ``_zh_hant`` fields."""

    def __init__(self, prefix: str, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        self.prefix = prefix
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return localized_text(value, self.prefix, request_language(self))


class DayBoundField(serializers.DateField):
    """A stored date bound as an ISO day; null when undated or when the end is open or unknown."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: dt.date | None) -> str | None:  # type: ignore[override]
        if value is None or value in (OPEN_START, OPEN_END):
            return None
        return super().to_representation(value)


class EdtfField(serializers.CharField):
    """An EDTF value as stored; null when there is none."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: str) -> Any:
        return value or None


class PrecisionField(serializers.ChoiceField):
    """``year``, ``month`` or ``day``; null when undated."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=PRECISION_CHOICES, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: str) -> Any:
        return value or None


class HumanDateField(serializers.CharField):
    """A date as people write it (``2023``, ``October 2023``, ``2023年10月``, EDTF), stored as EDTF."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            "EDTF (2023, 2023-10, 2025-07-26/2025-07-28) or human input such as "
            "October 2023 or 2023年10月; stored as EDTF. Empty means undated.",
        )
        super().__init__(allow_blank=True, max_length=64, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data).strip()
        if not text:
            return ""
        try:
            return partial_dates.parse_human_date(text).to_edtf()
        except partial_dates.InvalidDate as error:
            raise serializers.ValidationError(invalid_date_message(text, error)) from None


@extend_schema_field(OpenApiTypes.STR)
class IdOrSlugRelatedField(serializers.RelatedField):
    """A related record given by numeric id or slug (or an object with ``id`` or ``slug``, as the API
    renders it, so that a representation can be sent back)."""

    default_error_messages = {
        "does_not_exist": "There is no {name} with the id or slug {value!r}.",
        "invalid": "Give an id or a slug, not {kind}.",
    }

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            data = data.get("id", data.get("slug"))
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid", kind=type(data).__name__)
        text = str(data).strip()
        queryset = self.get_queryset()
        assert queryset is not None, f"{type(self).__name__} needs a queryset to look records up in."
        lookup: dict[str, Any] = id_or_slug_lookup(text)
        try:
            return queryset.get(**lookup)
        except ObjectDoesNotExist:
            self.fail("does_not_exist", name=queryset.model._meta.verbose_name, value=text)

    def to_representation(self, value: Any) -> str:
        return value.slug


# --- Brief forms, nested in others ---------------------------------------------------------------


class TagBriefSerializer(serializers.ModelSerializer):
    name = LocalizedTextField("name")

    class Meta:
        model = Tag
        fields = ["id", "slug", "name"]


class LocationBriefSerializer(serializers.ModelSerializer):
    name = LocalizedTextField("name")

    class Meta:
        model = Location
        fields = ["id", "slug", "name"]


class ActorBriefSerializer(serializers.ModelSerializer):
    name = LocalizedTextField("name")

    class Meta:
        model = Actor
        fields = ["id", "slug", "name"]


class EventActorSerializer(serializers.ModelSerializer):
    """One participation, as an actor of the event: ``{slug, name, kind, role}``."""

    slug = serializers.SlugField(source="actor.slug", read_only=True)
    name = LocalizedTextField("name", source="actor")
    kind = serializers.ChoiceField(source="actor.kind", choices=Actor.Kind.choices, read_only=True)

    class Meta:
        model = Participation
        fields = ["slug", "name", "kind", "role"]


class CitedSourceSerializer(serializers.ModelSerializer):
    publisher = ActorBriefSerializer(read_only=True, allow_null=True)
    published = EdtfField()

    class Meta:
        model = Source
        fields = ["id", "title", "publisher", "url", "published"]


class EventCitationSerializer(serializers.ModelSerializer):
    """A source backing the event and the supporting quote, verbatim in the source's language."""

    source = CitedSourceSerializer(read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Citation
        fields = ["source", "quote"]


class RelatedEventSerializer(serializers.Serializer):
    """A related event; ``relation`` reads from this event (``part_of``) or inversely (``has_part``)."""

    relation = serializers.ChoiceField(choices=RELATION_NAMES)
    id = serializers.IntegerField()
    title = serializers.CharField()


# --- Events --------------------------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    """An event, in list and detail alike; its text in the requested language."""

    # Reads go through events.presentation; this serializer documents the same representation in the
    # OpenAPI schema. Its field list and descriptions are the declaration's (events/read/fields.py); the
    # fields below say only how each is typed.
    url = serializers.HyperlinkedIdentityField(view_name="api:event-detail", lookup_url_kwarg="id_or_slug")
    title = LocalizedTextField("title")
    summary = LocalizedTextField("summary")
    date = EdtfField()
    date_start = DayBoundField()
    date_end = DayBoundField()
    date_precision = PrecisionField()
    date_display = serializers.SerializerMethodField()
    location = LocationBriefSerializer(read_only=True, allow_null=True)
    tags = TagBriefSerializer(many=True, read_only=True)
    actors = EventActorSerializer(source="participations", many=True, read_only=True)
    citations = EventCitationSerializer(many=True, read_only=True)
    related = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = list(EVENT_FIELD_NAMES)
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name, field in fields.items():
            field.help_text = EVENT_FIELDS_BY_NAME[name].help_text
        return fields

    def get_date_display(self, event: Event) -> str:
        language = request_language(self)
        if language == EN:
            return event.date_display("en")
        return chinese_display(event.date_display("zh"), language)

    @extend_schema_field(RelatedEventSerializer(many=True))
    def get_related(self, event: Event) -> list[dict[str, Any]]:
        # The representation's own rule (events.presentation), so that drafts stay hidden from those who
        # may not see them, were an event ever rendered through this serializer rather than the rows.
        request = self.context.get("request")
        return related_events(event.pk, language=request_language(self), user=getattr(request, "user", None))


class WholeItemSerializer(serializers.Serializer):
    """An item of a list that replaces a set (an event's actors, citations, relations): whole even in a
    PATCH. DRF lets a partial update omit required fields at every depth, and fills no defaults, so an
    item without its ``event`` would reach the write path (a KeyError, a 500)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        missing = {
            name: [field.error_messages["required"]]
            for name, field in self.fields.items()
            if field.required and not field.read_only and name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        for name, field in self.fields.items():
            if name not in attrs and field.default is not serializers.empty:
                attrs[name] = field.default() if callable(field.default) else field.default
        return attrs


class ParticipantInputSerializer(WholeItemSerializer):
    actor = IdOrSlugRelatedField(queryset=Actor.objects.all(), help_text="The actor's id or slug.")
    role = serializers.ChoiceField(choices=Participation.Role.choices)
    note = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and "actor" not in data and "slug" in data:
            data = {**data, "actor": data["slug"]}  # accept the {slug, role} form the API renders
        return super().to_internal_value(data)


class CitationInputSerializer(WholeItemSerializer):
    source = IdOrSlugRelatedField(  # type: ignore[assignment]
        queryset=Source.objects.all(), help_text="The source's id or slug."
    )
    quote = serializers.CharField(help_text="The supporting passage, verbatim from the source's text.")
    quote_translation = serializers.CharField(allow_blank=True, required=False, default="")
    translation_language = serializers.ChoiceField(
        choices=Source.Language.choices, allow_blank=True, required=False, default=""
    )
    locator = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class RelationInputSerializer(WholeItemSerializer):
    relation = serializers.ChoiceField(
        choices=RELATION_NAMES,
        help_text="From this event (part_of: this event is part of the other) or inverse (has_part).",
    )
    event = IdOrSlugRelatedField(queryset=Event.objects.all(), help_text="The other event's id or slug.")

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and "event" not in data and "id" in data:
            data = {**data, "event": data["id"]}  # accept the {relation, id} form the API renders
        return super().to_internal_value(data)


class EventWriteSerializer(serializers.ModelSerializer):
    """What curators send to create or change an event. ``actors``, ``citations`` and ``related``,
    when given, replace the event's participations, citations and relations."""

    date = HumanDateField(required=False)
    status = serializers.ChoiceField(
        choices=Event.Status.choices,
        required=False,
        help_text="Moves the event through the workflow (draft → review → published → retracted) "
        "after the other changes; a published event needs a date.",
    )
    location = IdOrSlugRelatedField(queryset=Location.objects.all(), allow_null=True, required=False)
    tags = IdOrSlugRelatedField(queryset=Tag.objects.all(), many=True, required=False)
    actors = ParticipantInputSerializer(many=True, required=False)
    citations = CitationInputSerializer(many=True, required=False)
    related = RelationInputSerializer(many=True, required=False)

    class Meta:
        model = Event
        fields = [
            "slug",
            "title_en",
            "title_zh",
            "title_zh_hant",
            "summary_en",
            "summary_zh",
            "summary_zh_hant",
            "type",
            "status",
            "date",
            "location",
            "tags",
            "actors",
            "citations",
            "related",
        ]

    def to_representation(self, instance: Event) -> dict[str, Any]:
        request = self.context.get("request")
        return event_representations(
            Event.objects.filter(pk=instance.pk),
            language=request_language(self),
            user=getattr(request, "user", None),
            request=request,
        )[0]


# --- Actors --------------------------------------------------------------------------------------


class ActorAliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActorAlias
        fields = ["name", "language", "script"]


class ActorSerializer(serializers.ModelSerializer):
    """An actor with its aliases and the number of events the reader may see."""

    url = serializers.HyperlinkedIdentityField(view_name="api:actor-detail", lookup_url_kwarg="id_or_slug")
    name = LocalizedTextField("name")
    description = LocalizedTextField("description")
    aliases = ActorAliasSerializer(many=True, read_only=True)
    event_count = serializers.IntegerField(read_only=True, help_text="Events of this actor you may see.")

    class Meta:
        model = Actor
        fields = [
            "id",
            "slug",
            "url",
            "kind",
            "name",
            "name_en",
            "name_zh",
            "description",
            "aliases",
            "wikidata_id",
            "event_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ActorWriteSerializer(serializers.ModelSerializer):
    """What curators send to create or change an actor; ``aliases``, when given, replace them all."""

    aliases = ActorAliasSerializer(many=True, required=False)

    class Meta:
        model = Actor
        fields = [
            "slug",
            "kind",
            "name_en",
            "name_zh",
            "description_en",
            "description_zh",
            "wikidata_id",
            "aliases",
        ]

    def to_representation(self, instance: Actor) -> dict[str, Any]:
        return ActorSerializer(instance, context=self.context).data


# --- Sources -------------------------------------------------------------------------------------


class SourceSerializer(serializers.ModelSerializer):
    """A source, without its captured text (see the detail)."""

    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:source-detail", lookup_url_kwarg="id_or_slug"
    )
    publisher = ActorBriefSerializer(read_only=True, allow_null=True)
    url = serializers.URLField(
        read_only=True, allow_null=True, help_text="The source's web address, normalised."
    )
    published = EdtfField()
    published_start = DayBoundField()
    published_end = DayBoundField()
    published_precision = PrecisionField()

    class Meta:
        model = Source
        fields = [
            "id",
            "slug",
            "api_url",
            "title",
            "publisher",
            "url",
            "published",
            "published_start",
            "published_end",
            "published_precision",
            "language",
            "parallel_language",
            "byline",
            "retrieved_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SourceDetailSerializer(SourceSerializer):
    """A source with its captured text and the cleaned text (inline pinyin and encoding damage removed)."""

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "text", "text_clean", "checksum"]
        read_only_fields = fields


class SourceWriteSerializer(serializers.ModelSerializer):
    """What curators send to create or change a source."""

    publisher = IdOrSlugRelatedField(queryset=Actor.objects.all(), allow_null=True, required=False)
    published = HumanDateField(required=False)

    class Meta:
        model = Source
        fields = SOURCE_EDITABLE_FIELDS  # what the API writes is what the source services accept

    def to_representation(self, instance: Source) -> dict[str, Any]:
        return SourceDetailSerializer(instance, context=self.context).data


# --- Tags and locations --------------------------------------------------------------------------


class TagSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:tag-detail", lookup_url_kwarg="id_or_slug")
    name = LocalizedTextField("name")

    class Meta:
        model = Tag
        fields = ["id", "slug", "url", "name", "name_en", "name_zh", "created_at", "updated_at"]
        read_only_fields = fields


class TagWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["slug", "name_en", "name_zh"]

    def to_representation(self, instance: Tag) -> dict[str, Any]:
        return TagSerializer(instance, context=self.context).data


class LocationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:location-detail", lookup_url_kwarg="id_or_slug")
    name = LocalizedTextField("name")

    class Meta:
        model = Location
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "name_en",
            "name_zh",
            "latitude",
            "longitude",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class LocationWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["slug", "name_en", "name_zh", "latitude", "longitude"]

    def to_representation(self, instance: Location) -> dict[str, Any]:
        return LocationSerializer(instance, context=self.context).data
