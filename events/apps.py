"""App configuration for the events app."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Timeline"

    def ready(self) -> None:
        from events import public_generation  # noqa: F401  (connects the public generation's receiver)
        from events.permissions import ensure_curators_group

        post_migrate.connect(ensure_curators_group, sender=self)
