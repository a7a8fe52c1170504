"""HTTPS in production: with the documented environment `check --deploy` is clean, the proxy's
X-Forwarded-Proto is believed when told to, and every page carries a Content-Security-Policy."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from tests import factories
from tests.test_settings import PRODUCTION, start_django

# The production environment the README documents (behind an HTTPS proxy).
DOCUMENTED_PRODUCTION = {
    **PRODUCTION,
    "DJANGO_SECRET_KEY": "k3#9vQ!x7-ZpL2@wR8^mT5&nB1*cY4%hJ6(sD0)fG+eU=aW~iO]yV[qX{lK}oP|rN;tM:",
    "DJANGO_ALLOWED_HOSTS": "timeline.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://timeline.example.org",
    "DJANGO_HTTPS": "1",
    "DJANGO_TRUST_X_FORWARDED_PROTO": "1",
}

CHECK_DEPLOY = """
import sys, django
django.setup()
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")
"""


def test_check_deploy_is_clean_with_the_documented_production_environment() -> None:
    result = start_django(DOCUMENTED_PRODUCTION, CHECK_DEPLOY)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_https_check_deploy_names_what_is_missing() -> None:
    environment = {key: value for key, value in DOCUMENTED_PRODUCTION.items() if key != "DJANGO_HTTPS"}
    result = start_django(environment, CHECK_DEPLOY)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


SHOW_HTTPS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in (
    "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")}))
"""


def https_settings(environment: dict[str, str]) -> dict:
    result = start_django(environment, SHOW_HTTPS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_https_settings_come_from_the_environment() -> None:
    assert https_settings(DOCUMENTED_PRODUCTION) == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }
    tuned = https_settings(
        {**DOCUMENTED_PRODUCTION, "DJANGO_SECURE_HSTS_SECONDS": "3600", "DJANGO_SECURE_HSTS_PRELOAD": "0"}
    )
    assert (tuned["SECURE_HSTS_SECONDS"], tuned["SECURE_HSTS_PRELOAD"]) == (3600, False)
    plain = https_settings(PRODUCTION)  # no HTTPS said: nothing redirects or insists on it
    assert plain["SECURE_PROXY_SSL_HEADER"] is None
    assert (plain["SECURE_SSL_REDIRECT"], plain["SECURE_HSTS_SECONDS"]) == (False, 0)


def test_a_malformed_hsts_duration_is_refused_by_name() -> None:
    result = start_django({**DOCUMENTED_PRODUCTION, "DJANGO_SECURE_HSTS_SECONDS": "a year"})
    assert result.returncode != 0
    assert "DJANGO_SECURE_HSTS_SECONDS='a year' is not a whole number" in result.stderr


@pytest.mark.django_db
@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_the_https_proxy_absolute_urls_say_https() -> None:
    factories.EventFactory(slug="behind-the-proxy")
    # As a proxy forwards it: the Host the browser asked for, and the scheme it used.
    body = Client().get("/api/v1/events/", HTTP_HOST="testserver", HTTP_X_FORWARDED_PROTO="https").json()
    assert body["results"][0]["url"].startswith("https://testserver/api/v1/events/")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/login/", "/api/v1/docs/", "/api/v1/events/"])
def test_every_page_carries_a_content_security_policy_without_inline_scripts(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
