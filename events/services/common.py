"""Generic write helpers shared by the services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

ModelT = TypeVar("ModelT", bound=models.Model)


def model_update(*, instance: ModelT, fields: Iterable[str], data: Mapping[str, Any]) -> tuple[ModelT, bool]:
    """Set the whitelisted ``fields`` present in ``data``, validate, and save only what changed.

    Returns the instance and whether anything changed. Many-to-many fields are set after the save.
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

    if changed:
        instance.full_clean()
        if any(field.name == "updated_at" for field in instance._meta.fields):
            changed.append("updated_at")
        instance.save(update_fields=changed)
    for name, value in m2m.items():
        getattr(instance, name).set(value)
    return instance, bool(changed or m2m)
