"""factory_boy factories for the record; tests build their data with these."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from events import models


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Tag
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tag-{n}")
    name_en = factory.LazyAttribute(lambda tag: tag.slug.replace("-", " "))
    name_zh = "标签"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Location
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"place-{n}")
    name_en = factory.Sequence(lambda n: f"Place {n}")
    name_zh = "某地"


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Actor
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"actor-{n}")
    kind = models.Actor.Kind.PERSON
    name_en = factory.Sequence(lambda n: f"Actor {n}")
    name_zh = ""


class ActorAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActorAlias

    actor = factory.SubFactory(ActorFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")
    language = models.ActorAlias.Language.EN
    script = models.ActorAlias.Script.LATIN


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source {n}")
    publisher = factory.SubFactory(ActorFactory, kind=models.Actor.Kind.MEDIA_OUTLET)
    url = factory.Sequence(lambda n: f"https://news.example.org/articles/{n}")
    published = "2025-07-26"
    language = models.Source.Language.EN
    text = "On 26 July 2025 something happened, the source says."


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"event-{n}")
    title_en = factory.Sequence(lambda n: f"Event {n}")
    title_zh = factory.Sequence(lambda n: f"事件{n}")
    summary_en = "What happened."
    summary_zh = "发生了什么。"
    type = models.Event.Type.ANNOUNCEMENT
    status = models.Event.Status.PUBLISHED
    date = "2025-07-26"

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Participation

    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(ActorFactory)
    role = models.Participation.Role.PROPOSER


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Citation

    event = factory.SubFactory(EventFactory)
    source = factory.SubFactory(SourceFactory)
    quote = "something happened"


class EventRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EventRelation

    from_event = factory.SubFactory(EventFactory)
    relation = models.EventRelation.Relation.FOLLOWS
    to_event = factory.SubFactory(EventFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


def curator(username: str = "curator"):
    """A user in the curators group, which holds the model permissions of the record."""
    from events.permissions import curators_group

    user = UserFactory(username=username, is_staff=True)
    user.groups.add(curators_group())
    return user


def group(name: str) -> Group:
    return Group.objects.get_or_create(name=name)[0]


class IngestRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ingestion.IngestRun"

    key = factory.Sequence(lambda n: f"{n:064x}")
    name = factory.Sequence(lambda n: f"article-{n}.txt")
    status = "succeeded"


class FindingFactory(factory.django.DjangoModelFactory):
    """A suggestion that the source's text backs its event; offsets point into that text."""

    class Meta:
        model = "ingestion.Finding"

    source = factory.SubFactory(SourceFactory)
    event = factory.SubFactory(EventFactory)
    kind = "suggestion"
    date = "2025-07-26"
    mention = "26 July 2025"
    mention_start = 3
    mention_end = 15
    quote_start = 0
    quote_end = 51
    quote = factory.LazyAttribute(lambda finding: finding.source.text[0:51])


class FeedFactory(factory.django.DjangoModelFactory):
    """An RSS or Atom feed a curator follows (never polled in these tests)."""

    class Meta:
        model = "ingestion.Feed"

    url = factory.Sequence(lambda n: f"https://news.example.org/feed-{n}.xml")
    title = factory.Sequence(lambda n: f"Example feed {n}")
