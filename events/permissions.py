"""Who may do what: the curators group, which holds every model permission of the record."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group, Permission

CURATORS_GROUP = "curators"


def curators_group() -> Group:
    """The curators group, created on first use, with add/change/delete/view on every events model."""
    group, _ = Group.objects.get_or_create(name=CURATORS_GROUP)
    app_config = apps.get_app_config("events")
    model_names = [model._meta.model_name for model in app_config.get_models()]
    permissions = Permission.objects.filter(
        content_type__app_label="events", content_type__model__in=model_names
    )
    group.permissions.add(*permissions)
    return group


def ensure_curators_group(sender: Any, **kwargs: Any) -> None:
    """post_migrate hook: every migrated database has the curators group ready to assign."""
    curators_group()
