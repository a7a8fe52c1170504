"""The feeds app: renderers in ``feeds.formats``, thin views in ``feeds.views``."""

from django.apps import AppConfig


class FeedsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feeds"
