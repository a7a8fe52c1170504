"""Generic write helpers shared by the services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils import timezone

ModelT = TypeVar("ModelT", bound=models.Model)


def save_validated(instance: ModelT, **save_kwargs: Any) -> ModelT:
    """Save an instance its caller has validated; a unique value taken meanwhile is a ValidationError.

    ``full_clean()`` checks uniqueness before the write, but another writer can commit the same slug (or
    URL, or link) in between, and the database then refuses the insert. Checking again after that
    refusal sees the other writer's row, so the error names the field, as if it had been there all along.
    """
    try:
        with transaction.atomic():  # a savepoint: the enclosing transaction stays usable for the re-check
            instance.save(**save_kwargs)
    except IntegrityError:
        instance.validate_unique()
        instance.validate_constraints()
        raise  # not a uniqueness clash after all: the API answers a 409
    return instance


def model_update(*, instance: ModelT, fields: Iterable[str], data: Mapping[str, Any]) -> tuple[ModelT, bool]:
    """Set the whitelisted ``fields`` present in ``data``, validate, and save only what changed.

    Returns the instance and whether anything changed. Many-to-many fields are set after the save, and
    a change of them alone still moves ``updated_at`` (clients sync on it).
    """
    changed: list[str] = []
    m2m: dict[str, Any] = {}
    model_fields = {field.name: field for field in instance._meta.get_fields()}
    for name in fields:
        if name not in data:
            continue
        field = model_fields.get(name)
        assert field is not None, f"{type(instance).__name__} has no field {name!r}; fix the whitelist."
        if field.many_to_many:
            m2m[name] = data[name]
        elif getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)

    has_updated_at = any(field.name == "updated_at" for field in instance._meta.fields)
    if changed:
        instance.full_clean()
        if has_updated_at:
            changed.append("updated_at")
        save_validated(instance, update_fields=changed)
    m2m_changed = False
    for name, value in m2m.items():
        related = getattr(instance, name)
        if set(related.values_list("pk", flat=True)) != {getattr(item, "pk", item) for item in value}:
            related.set(value)
            m2m_changed = True
    if m2m_changed and not changed and has_updated_at:
        instance.updated_at = timezone.now()  # type: ignore[attr-defined]
        instance.save(update_fields=["updated_at"])
    return instance, bool(changed or m2m_changed)
