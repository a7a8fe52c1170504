"""The generate_events command: fills an empty record, refuses a full one unless told, checks its input."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from events.models import Actor, Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def generate(*arguments: str) -> str:
    out = StringIO()
    call_command("generate_events", *arguments, stdout=out)
    return out.getvalue()


def test_generate_events_fills_an_empty_record_and_says_what_it_wrote() -> None:
    output = generate("--events", "60", "--actors", "8", "--sources", "10", "--seed", "3")
    assert Event.objects.count() == 60 and Actor.objects.count() == 8
    assert "60 event" in output and "history rows" in output


def test_generate_events_refuses_a_record_that_holds_events_unless_appending() -> None:
    existing = EventFactory(slug="curated-event")
    with pytest.raises(CommandError, match="--append"):
        generate("--events", "20", "--actors", "4", "--sources", "3")
    assert Event.objects.count() == 1  # nothing half-written

    generate("--events", "20", "--actors", "4", "--sources", "3", "--append")
    assert Event.objects.count() == 21
    assert Event.objects.get(pk=existing.pk).slug == "curated-event"
    assert Event.objects.exclude(pk=existing.pk).order_by("id").first().id > existing.id  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--events", "0"], "--events 0 is out of range"),
        (["--events", "10", "--actors", "3"], "--actors 3 is too few"),
        (["--events", "10", "--sources", "2"], "--sources 2 is too few"),
    ],
)
def test_generate_events_explains_bad_arguments(arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        generate(*arguments)
    assert not Event.objects.exists()
