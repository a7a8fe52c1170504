"""API throttling: anonymous reads are limited per client address; signed-in users are never throttled."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousReadThrottle(AnonRateThrottle):
    """REST framework's anonymous throttle, at the rate of settings.API_ANON_THROTTLE_RATE read on each
    request (so the environment, and tests with override_settings, set it). Counts are kept in the
    default cache, which is Redis when REDIS_URL is set; a refused request is a 429 with Retry-After."""

    def get_rate(self) -> str:
        return settings.API_ANON_THROTTLE_RATE
