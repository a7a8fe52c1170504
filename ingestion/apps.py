"""The ingestion app: turns raw articles into draft events for curators to review."""

from django.apps import AppConfig


class IngestionConfig(AppConfig):
    """Cleaning, date extraction, ingestion services, the review queue and batch tasks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ingestion"
