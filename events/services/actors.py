"""Actor services: create, update and delete actors, with their aliases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from events.models import Actor, ActorAlias
from events.services.common import model_update, save_validated

ACTOR_EDITABLE_FIELDS = [
    "slug",
    "kind",
    "name_en",
    "name_zh",
    "description_en",
    "description_zh",
    "wikidata_id",
]


@transaction.atomic
def actor_set_aliases(*, actor: Actor, aliases: Iterable[Mapping[str, Any]]) -> bool:
    """Make the actor's aliases exactly ``aliases`` (each ``{name, language, script}``)."""
    # An alias given twice counts once, at its last position (which an error then names).
    wanted: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for index, given_alias in enumerate(aliases):
        wanted.pop(given_alias["name"], None)
        wanted[given_alias["name"]] = (index, given_alias)
    existing = {alias.name: alias for alias in actor.aliases.all()}
    changed = False
    for name, alias in existing.items():
        if name not in wanted:
            alias.delete()
            changed = True
    for name, (index, given) in wanted.items():
        alias = existing.get(name) or ActorAlias(actor=actor, name=name)
        updates = [field for field in ("language", "script") if getattr(alias, field) != given[field]]
        if alias.pk is not None and not updates:
            continue
        for field in updates:
            setattr(alias, field, given[field])
        try:
            alias.full_clean(exclude=["actor"])
        except ValidationError as error:
            raise ValidationError(
                {f"aliases[{index}].{field}": messages for field, messages in error.message_dict.items()}
            ) from error
        save_validated(alias)
        changed = True
    return changed


@transaction.atomic
def actor_create(*, aliases: Iterable[Mapping[str, Any]] = (), **fields: Any) -> Actor:
    """Create an actor after full validation, with its aliases."""
    actor = Actor(**fields)
    actor.full_clean()
    save_validated(actor)
    actor_set_aliases(actor=actor, aliases=aliases)
    return actor


@transaction.atomic
def actor_update(
    *, actor: Actor, data: Mapping[str, Any], aliases: Iterable[Mapping[str, Any]] | None = None
) -> Actor:
    """Update the editable fields present in ``data``; ``aliases``, when given, replace the aliases."""
    actor, _ = model_update(instance=actor, fields=ACTOR_EDITABLE_FIELDS, data=data)
    if aliases is not None:
        actor_set_aliases(actor=actor, aliases=aliases)
    return actor


def actor_delete(*, actor: Actor) -> None:
    """Delete an actor that takes part in no event and publishes no source (else ProtectedError)."""
    actor.delete()
