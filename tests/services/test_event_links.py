"""Event link and alias services name a refused item by its position in the input, repeats included."""

import pytest
from django.core.exceptions import ValidationError

from events.services.actors import actor_set_aliases
from events.services.event_links import event_set_participants
from tests.factories import ActorFactory, EventFactory

pytestmark = pytest.mark.django_db


def test_a_refused_participant_is_named_by_its_position_after_a_repeat():
    event, actor, other = EventFactory(), ActorFactory(), ActorFactory()
    participants = [
        {"actor": actor, "role": "speaker"},
        {"actor": actor, "role": "speaker"},
        {"actor": other, "role": "no-such-role"},
    ]
    with pytest.raises(ValidationError) as refused:
        event_set_participants(event=event, participants=participants)
    assert list(refused.value.message_dict) == ["actors[2].role"]
    assert not event.participations.exists()


def test_a_refused_alias_is_named_by_its_position_after_a_repeat():
    actor = ActorFactory()
    alias = {"name": "Li", "language": "en", "script": "Latn"}
    with pytest.raises(ValidationError) as refused:
        actor_set_aliases(
            actor=actor, aliases=[alias, alias, {"name": "X", "language": "xx", "script": "Latn"}]
        )
    assert list(refused.value.message_dict) == ["aliases[2].language"]
