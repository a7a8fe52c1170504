"""The Celery application: ingestion batches run as tasks on workers, or in-process with no broker.

Set ``CELERY_BROKER_URL`` (e.g. ``redis://127.0.0.1:6379/0``) and start workers with
``celery -A timeline worker``; without it every task runs eagerly in the calling process, so that
``make run`` and ``make test`` need no broker. Settings are read from Django's, prefixed ``CELERY_``.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")

app = Celery("timeline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
