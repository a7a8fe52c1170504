"""The web app: the public timeline page, its template and its vendored front-end assets."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "web"
