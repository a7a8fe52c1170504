"""The record: events, the actors in them, the sources that say so, and where and how they relate."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from events import partial_dates
from events.orderings import EVENT_ORDERINGS
from events.partial_dates import Precision
from events.quotes import explain_missing_quote, find_quote, quote_as_stored
from events.source_urls import InvalidSourceUrl, normalize_url


class TimeStampedModel(models.Model):
    """Creation and update times, on every record."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class PartialDateColumnsModel(models.Model):
    """Keeps the bound and precision columns of each EDTF field in step with its value.

    For an EDTF field ``date`` the model declares ``date_start``, ``date_end`` and ``date_precision``;
    this mixin fills them from :mod:`events.partial_dates` whenever the record is cleaned or saved.
    ``loaddata`` saves raw rows, so fixtures carry the columns themselves (a test checks they agree).
    """

    partial_date_fields: tuple[str, ...] = ()

    # Names of fixed routes under this model's URL prefix, which a slug would be shadowed by.
    reserved_slugs: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        super().clean_fields(exclude=exclude)
        errors = {}
        for name in self.partial_date_fields:
            try:
                self.sync_partial_date_columns(name)
            except partial_dates.InvalidDate as error:
                errors[name] = str(error)
        if errors:
            raise ValidationError(errors)

    def sync_partial_date_columns(self, name: str) -> None:
        lower, upper, precision = partial_dates.bounds(getattr(self, name))
        setattr(self, f"{name}_start", lower)
        setattr(self, f"{name}_end", upper)
        setattr(self, f"{name}_precision", precision)

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name in self.partial_date_fields:
            self.sync_partial_date_columns(name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {
                f"{name}_{part}"
                for name in self.partial_date_fields
                if name in update_fields
                for part in ("start", "end", "precision")
            }
            kwargs["update_fields"] = set(update_fields) | derived
        super().save(*args, **kwargs)


def edtf_field(verbose_name: str, help_text: str) -> models.CharField:
    return models.CharField(
        verbose_name,
        max_length=64,
        blank=True,
        help_text=help_text + " EDTF: 2023, 2023-10, 2023-10-18, 2025-07-26/2025-07-28, 2024-08-01/.., "
        "2023~ (approximate), 2023? (uncertain).",
    )


def bound_field(verbose_name: str) -> models.DateField:
    return models.DateField(verbose_name, null=True, blank=True, editable=False, db_index=True)


def precision_field() -> models.CharField:
    return models.CharField(
        max_length=5, blank=True, editable=False, choices=[(p.value, p.value) for p in Precision]
    )


def slug_problem(slug: str, reserved: frozenset[str] = frozenset()) -> str | None:
    """Why ``slug`` cannot name a record, or None. Slugs are lower-case (so two cannot differ only in
    case), never all digits (URLs and relations read digits as an id: /events/15/ is id 15) and never
    the name of a fixed route beside the records' own (``reserved``: /events/histogram/)."""
    if slug in reserved:
        return f"{slug!r} is reserved: it names another page of the API. Add a word, e.g. '{slug}-2025'."
    if slug.isascii() and slug.isdigit():
        return f"A slug cannot be only digits ({slug!r} would be read as an id): add a word, e.g. 'n-{slug}'."
    if slug != slug.lower():
        return f"Slugs are lower-case, so that two cannot differ only in case: write {slug.lower()!r}."
    return None


class SluggedModel(models.Model):
    """A record named by a slug in URLs and relations, which :func:`slug_problem` checks on cleaning."""

    # Names of fixed routes under this model's URL prefix, which a slug would be shadowed by.
    reserved_slugs: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        errors: dict[str, list[str]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.message_dict
        slug = getattr(self, "slug", "")
        checked = slug and "slug" not in errors and not (exclude and "slug" in exclude)
        if checked and (problem := slug_problem(slug, self.reserved_slugs)) is not None:
            errors["slug"] = [problem]
        if errors:
            raise ValidationError(errors)


class SlugNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, slug: str) -> Any:
        return self.get(slug=slug)


# --- Vocabulary ------------------------------------------------------------------------------------


class Tag(SluggedModel, TimeStampedModel):
    """A topic label for events, named in English and Chinese."""

    slug = models.SlugField(max_length=80, unique=True)
    name_en = models.CharField("name (English)", max_length=120)
    name_zh = models.CharField("name (Chinese)", max_length=120, blank=True)

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name_en

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Location(SluggedModel, TimeStampedModel):
    """A place where events happen, named in English and Chinese, with optional coordinates."""

    slug = models.SlugField(max_length=80, unique=True)
    name_en = models.CharField("name (English)", max_length=200)
    name_zh = models.CharField("name (Chinese)", max_length=200, blank=True)
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="location_coordinates_both_or_neither",
                violation_error_message="Give both latitude and longitude, or neither.",
            )
        ]

    def __str__(self) -> str:
        return self.name_en

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


# --- Actors ----------------------------------------------------------------------------------------


class Actor(SluggedModel, TimeStampedModel):
    """A person, government body, organisation, country or media outlet that takes part in events."""

    class Kind(models.TextChoices):
        PERSON = "person", "person"
        COUNTRY = "country", "country"
        GOVERNMENT = "government", "government"
        GOVERNMENT_BODY = "government_body", "government body"
        INTERNATIONAL_ORGANIZATION = "international_organization", "international organization"
        ORGANIZATION = "organization", "organization"
        COMPANY = "company", "company"
        MEDIA_OUTLET = "media_outlet", "media outlet"
        OTHER = "other", "other"

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, db_index=True)
    name_en = models.CharField("canonical name (English)", max_length=200)
    name_zh = models.CharField("canonical name (simplified Chinese)", max_length=200, blank=True)
    description_en = models.TextField("description (English)", blank=True)
    description_zh = models.TextField("description (simplified Chinese)", blank=True)
    wikidata_id = models.CharField(
        "Wikidata id",
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9]\d*$", "A Wikidata id is Q followed by digits, e.g. Q42.")],
    )

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]

    def __str__(self) -> str:
        return f"{self.name_en} ({self.name_zh})" if self.name_zh else self.name_en

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class ActorAliasManager(models.Manager["ActorAlias"]):
    def get_by_natural_key(self, actor_slug: str, name: str) -> ActorAlias:
        return self.get(actor__slug=actor_slug, name=name)


class ActorAlias(TimeStampedModel):
    """Another name of an actor, in a given language and script: 李強, Li Qiang, Premier Li Qiang."""

    class Language(models.TextChoices):
        EN = "en", "English"
        ZH = "zh", "Chinese"
        OTHER = "und", "other"

    class Script(models.TextChoices):
        LATIN = "Latn", "Latin"
        SIMPLIFIED = "Hans", "Chinese (simplified)"
        TRADITIONAL = "Hant", "Chinese (traditional)"
        OTHER = "Zyyy", "other"

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200, db_index=True)
    language = models.CharField(max_length=3, choices=Language.choices)
    script = models.CharField(max_length=4, choices=Script.choices)

    objects = ActorAliasManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["actor", "name"]
        verbose_name_plural = "actor aliases"
        constraints = [models.UniqueConstraint(fields=["actor", "name"], name="alias_unique_per_actor")]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.actor.slug, self.name)

    natural_key.dependencies = ["events.actor"]  # type: ignore[attr-defined]


# --- Sources ---------------------------------------------------------------------------------------


class Source(SluggedModel, PartialDateColumnsModel, TimeStampedModel):
    """A document that backs claims: an article, a dispatch, a policy text, as it was captured."""

    reserved_slugs = frozenset({"ingest"})  # /api/v1/sources/ingest/

    class Language(models.TextChoices):
        EN = "en", "English"
        ZH_HANS = "zh-Hans", "Chinese (simplified)"
        ZH_HANT = "zh-Hant", "Chinese (traditional)"

    partial_date_fields = ("published",)

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=500)
    publisher = models.ForeignKey(
        Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="published_sources"
    )
    url = models.URLField(max_length=1000, unique=True, null=True, blank=True)
    published = edtf_field("publication date", "When the source was published, as precisely as known.")
    published_start = bound_field("published from")
    published_end = bound_field("published until")
    published_precision = precision_field()
    language = models.CharField(
        max_length=8, choices=Language.choices, help_text="The main text's language and script."
    )
    parallel_language = models.CharField(
        max_length=8,
        choices=Language.choices,
        blank=True,
        help_text="The language of a parallel text interleaved with the main one, if any.",
    )
    byline = models.CharField(max_length=500, blank=True, help_text="Authors, reporters, editors as printed.")
    text = models.TextField("captured text", blank=True, help_text="The full text exactly as captured.")
    text_clean = models.TextField(
        "cleaned text",
        blank=True,
        editable=False,
        help_text="The captured text with inline pinyin annotations and encoding damage removed.",
    )
    retrieved_at = models.DateTimeField(null=True, blank=True)
    checksum = models.CharField(
        max_length=64, blank=True, editable=False, db_index=True, help_text="SHA-256 of the captured text."
    )

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["published_start", "slug"]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        super().clean()
        # Normalised before the uniqueness check, so another spelling of a stored URL is refused by name.
        try:
            self.url = normalize_url(self.url) if self.url else None
        except InvalidSourceUrl as error:
            raise ValidationError({"url": str(error)}) from error

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Blank URLs are NULL, so that uniqueness applies only to real ones; real ones are stored
        # normalised, so that "is this URL already in the database?" is an exact, indexed lookup.
        self.url = normalize_url(self.url) if self.url else None
        self.checksum = text_checksum(self.text) if self.text else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "checksum"}  # the checksum follows the text
        super().save(*args, **kwargs)


def text_checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Events ----------------------------------------------------------------------------------------


def can_see_unpublished(user: Any) -> bool:
    """Whether ``user`` is a curator, who sees drafts, events in review and retracted events."""
    return user is not None and user.is_authenticated and user.has_perm("events.view_event")


class EventQuerySet(models.QuerySet):
    def published(self) -> EventQuerySet:
        """What the public may see: published events, and nothing else."""
        return self.filter(status=Event.Status.PUBLISHED)

    def visible_to(self, user: Any) -> EventQuerySet:
        """Curators see every event; everyone else only published ones."""
        if can_see_unpublished(user):
            return self
        return self.published()

    def in_date_order(self) -> EventQuerySet:
        return self.order_by(*EVENT_ORDERINGS["date"].order_by())


class EventManager(models.Manager.from_queryset(EventQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, slug: str) -> Event:
        return self.get(slug=slug)


class Event(SluggedModel, PartialDateColumnsModel, TimeStampedModel):
    """A dated happening: who did what, when, where, and which sources say so."""

    reserved_slugs = frozenset({"histogram"})  # /api/v1/events/histogram/

    class Type(models.TextChoices):
        ANNOUNCEMENT = "announcement", "announcement"
        PROPOSAL = "proposal", "proposal"
        SPEECH = "speech", "speech"
        CONFERENCE = "conference", "conference"
        MEETING = "meeting", "meeting"
        VISIT = "visit", "visit or inspection"
        PUBLICATION = "publication", "publication (plan, report, commentary)"
        POLICY = "policy", "policy or action plan"
        STATEMENT = "statement", "statement"
        MEDIA_REPORT = "media_report", "media report"
        OTHER = "other", "other"

    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        REVIEW = "review", "in review"
        PUBLISHED = "published", "published"
        RETRACTED = "retracted", "retracted"

    partial_date_fields = ("date",)

    slug = models.SlugField(max_length=120, unique=True)
    title_en = models.CharField("title (English)", max_length=300, blank=True)
    title_zh = models.CharField("title (simplified Chinese)", max_length=300, blank=True)
    title_zh_hant = models.CharField(
        "title (traditional Chinese)",
        max_length=300,
        blank=True,
        help_text="Leave empty to derive it from the simplified title.",
    )
    summary_en = models.TextField("summary (English)", blank=True)
    summary_zh = models.TextField("summary (simplified Chinese)", blank=True)
    summary_zh_hant = models.TextField(
        "summary (traditional Chinese)",
        blank=True,
        help_text="Leave empty to derive it from the simplified summary.",
    )
    type = models.CharField(max_length=32, choices=Type.choices, default=Type.OTHER, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    date = edtf_field("date", "When it happened, no more precisely than the sources say.")
    date_start = bound_field("starts on or after")
    date_end = bound_field("ends on or before")
    date_precision = precision_field()
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="events")
    actors: models.ManyToManyField = models.ManyToManyField(
        Actor, through="Participation", related_name="events"
    )
    sources: models.ManyToManyField = models.ManyToManyField(
        Source, through="Citation", related_name="events"
    )

    objects = EventManager()
    history = HistoricalRecords(m2m_fields=[tags])

    class Meta:
        ordering = ["date_start", "date_end", "id"]
        indexes = [
            models.Index(fields=["date_start", "date_end"], name="event_date_bounds"),
            # The public list by date, and latest first (read backwards), by an index scan that stops
            # after a page, from a keyset cursor's range start. Drafts are left out.
            models.Index(
                fields=["date_start", "date_end", "id"],
                condition=Q(status="published"),
                name="event_published_by_date",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(date_start__isnull=False),
                name="event_published_has_date",
                violation_error_message="A published event needs a date.",
            ),
            models.CheckConstraint(
                condition=Q(date_start__isnull=True) | Q(date_start__lte=F("date_end")),
                name="event_date_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        title = self.title_en or self.title_zh or self.title_zh_hant  # a draft may be titled in Chinese only
        return f"{title} ({self.date or 'undated'})"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        super().clean()
        if self.status == self.Status.PUBLISHED and not self.date:
            raise ValidationError({"date": "A published event needs a date; an undated event stays a draft."})
        # A draft from a Chinese article is titled in Chinese only, until someone translates it.
        if not (self.title_en or self.title_zh or self.title_zh_hant):
            raise ValidationError({"title_en": "An event needs a title in at least one language."})

    @property
    def date_value(self) -> partial_dates.DateValue | None:
        return partial_dates.parse_edtf(self.date) if self.date else None

    def date_display(self, language: str = "en") -> str:
        value = self.date_value
        return value.display(language) if value else ""


class ParticipationManager(models.Manager["Participation"]):
    def get_by_natural_key(self, event_slug: str, actor_slug: str, role: str) -> Participation:
        return self.get(event__slug=event_slug, actor__slug=actor_slug, role=role)


class Participation(TimeStampedModel):
    """An actor's part in an event: who proposed, spoke, attended, wrote or was talked about."""

    class Role(models.TextChoices):
        PROPOSER = "proposer", "proposer"
        ANNOUNCER = "announcer", "announcer"
        SPEAKER = "speaker", "speaker"
        ATTENDEE = "attendee", "attendee"
        ORGANIZER = "organizer", "organizer"
        HOST = "host", "host"
        AUTHOR = "author", "author"
        PUBLISHER = "publisher", "publisher"
        REPORTER = "reporter", "reporter"
        COMMENTATOR = "commentator", "commentator"
        SUBJECT = "subject", "subject"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=16, choices=Role.choices, db_index=True)
    note = models.CharField(max_length=300, blank=True)

    objects = ParticipationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "actor", "role"], name="participation_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.actor} – {self.role}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.event.slug, self.actor.slug, self.role)

    natural_key.dependencies = ["events.event", "events.actor"]  # type: ignore[attr-defined]


class CitationManager(models.Manager["Citation"]):
    def get_by_natural_key(self, event_slug: str, source_slug: str, quote: str) -> Citation:
        return self.get(event__slug=event_slug, source__slug=source_slug, quote=quote)


DUPLICATE_CITATION = "This source already backs the event with the same quote."


class Citation(TimeStampedModel):
    """A source backing an event, with the supporting quote verbatim in the source's language."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(help_text="The supporting passage, copied verbatim from the source.")
    quote_translation = models.TextField("translation", blank=True)
    translation_language = models.CharField(max_length=8, choices=Source.Language.choices, blank=True)
    locator = models.CharField(max_length=200, blank=True, help_text="Where in the source: paragraph, page.")

    objects = CitationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "id"]

    def __str__(self) -> str:
        return f"{self.source}: {self.quote[:60]}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.event.slug, self.source.slug, self.quote)

    natural_key.dependencies = ["events.event", "events.source"]  # type: ignore[attr-defined]

    def clean(self) -> None:
        super().clean()
        if self.quote and self.source_id and self.source.text:
            source = self.source
            # Typed with other punctuation widths or line breaks: store the source's own words.
            stored = quote_as_stored(source.text, self.quote, source.text_clean or "")
            if stored not in source.text and stored not in (source.text_clean or ""):
                raise ValidationError({"quote": explain_missing_quote(source.text, self.quote)})
            self.quote = stored
        if self.quote and self.source_id and self.event_id:
            # One citation per source and quote, compared as stored: two spellings of one quote are one.
            twins = Citation.objects.filter(
                event_id=self.event_id, source_id=self.source_id, quote=self.quote
            )
            if twins.exclude(pk=self.pk).exists():
                raise ValidationError({"quote": DUPLICATE_CITATION})

    def found_in_source(self) -> str:
        """Where the quote stands in its source's captured text (paragraph and characters)."""
        if not (self.quote and self.source_id and self.source.text):
            return "—"
        match = find_quote(self.source.text, self.quote)
        return match.describe() if match else "not found in the captured text"


def two_way_link_message(relation: str) -> str:
    """Why one event cannot be both ``relation`` and its inverse of another (the admin's and API's words)."""
    return f"An event cannot be both {relation} and {EventRelation.INVERSE[relation]} of the same event."


class EventRelationManager(models.Manager["EventRelation"]):
    def get_by_natural_key(self, from_slug: str, relation: str, to_slug: str) -> EventRelation:
        return self.get(from_event__slug=from_slug, relation=relation, to_event__slug=to_slug)


class EventRelation(TimeStampedModel):
    """A typed link between two events: the speech is part_of the conference, and so on."""

    class Relation(models.TextChoices):
        PART_OF = "part_of", "is part of"
        FOLLOWS = "follows", "follows"
        RESPONDS_TO = "responds_to", "responds to"
        COMMENTARY_ON = "commentary_on", "is commentary on"
        IMPLEMENTS = "implements", "implements"
        REPORTS_ON = "reports_on", "reports on"
        RELATED_TO = "related_to", "is related to"

    # The relation as read from the other event: the conference has_part the speech.
    INVERSE: dict[str, str] = {
        "part_of": "has_part",
        "follows": "followed_by",
        "responds_to": "responded_to_by",
        "commentary_on": "has_commentary",
        "implements": "implemented_by",
        "reports_on": "reported_on_by",
        "related_to": "related_to",
    }

    from_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="relations_out")
    relation = models.CharField(max_length=16, choices=Relation.choices)
    to_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="relations_in")

    objects = EventRelationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["from_event", "relation", "to_event"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_event", "relation", "to_event"], name="event_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_event=F("to_event")),
                name="event_relation_not_self",
                violation_error_message="An event cannot be related to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_event.title_en} {self.get_relation_display()} {self.to_event.title_en}"

    def clean(self) -> None:
        # Inline forms skip constraints on their parent key, so the not-self rule is also checked here.
        super().clean()
        if self.from_event_id is not None and self.from_event_id == self.to_event_id:
            raise ValidationError({"to_event": "An event cannot be related to itself."})
        if self.from_event_id and self.to_event_id and self.relation != self.Relation.RELATED_TO:
            reverse = EventRelation.objects.filter(
                from_event_id=self.to_event_id, relation=self.relation, to_event_id=self.from_event_id
            )
            if reverse.exclude(pk=self.pk).exists():
                raise ValidationError({"relation": two_way_link_message(self.relation)})

    def natural_key(self) -> tuple[str, str, str]:
        return (self.from_event.slug, self.relation, self.to_event.slug)

    natural_key.dependencies = ["events.event"]  # type: ignore[attr-defined]
