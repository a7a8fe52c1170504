"""WSGI entry point for production servers (gunicorn, and ``runserver`` through WSGI_APPLICATION).

Cached anonymous reads are answered at the entry, before Django handles the request
(events/api/cache_front.py); everything else is Django's.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
django_application = get_wsgi_application()

from events.api.cache_front import CachedReadsFront  # noqa: E402  (needs the settings loaded)

application = CachedReadsFront(django_application)
