"""Settings for the Timeline service, read from the environment.

With no environment at all the service runs on an SQLite file in the project; PostgreSQL is one
``DATABASE_URL`` away. ``DJANGO_SECRET_KEY`` has no production default: it is required whenever
``DJANGO_DEBUG`` is off.
"""

import datetime as dt
import os
import re
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as cors_default_headers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core ----------------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. "
            "Set DJANGO_DEBUG=1 for local development, or give a long random DJANGO_SECRET_KEY."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]

# The port `make run` serves on; checked here so that a typo is named before anything starts.
if not os.environ.get("PORT", "8000").isdigit():
    raise ImproperlyConfigured(f"PORT={os.environ['PORT']!r} is not a port number: give one such as 8000.")
PORT = int(os.environ.get("PORT", "8000"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "events",
    "feeds",
    "web",
    "ingestion",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Anonymous API reads from the cache, before any other work: no SQL on a hit (after CORS, so a
    # cached answer carries the CORS headers of the Origin asking). events/api/cache_middleware.py.
    "events.api.cache_middleware.AnonymousCacheMiddleware",
    # NUL characters and oversized bodies: a 400/413 in the API's error shape before anything else runs.
    "events.api.middleware.ApiRequestGuardMiddleware",
    # A database outage is a 503 with Retry-After, a body the client cut short a 400 (timeline/outages.py).
    "timeline.outages.ServiceOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in session reads the primary (see timeline/db_routers.py).
    "timeline.db_routers.ReadReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: anonymous event reads answered without DRF's machinery (events/api/fast.py).
    "events.api.fast.FastEventReads",
]

ROOT_URLCONF = "timeline.urls"
WSGI_APPLICATION = "timeline.wsgi.application"
ASGI_APPLICATION = "timeline.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several server processes writing at once: writers take the lock when their transaction starts
    # and wait for it (instead of failing with "database is locked"), and readers don't block writers.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Read replicas -------------------------------------------------------------------------------

# DATABASE_REPLICA_URLS: comma-separated URLs of PostgreSQL streaming replicas of DATABASE_URL, added as
# replica_0, replica_1, ...; anonymous reads go to one of them, all else to the primary (db_routers.py).
DATABASE_REPLICAS: list[str] = []
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS")):
    _replica = dj_database_url.parse(
        _url,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    if _replica["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URLS: replica {_index} is not the same kind of database as DATABASE_URL: "
            "give URLs of streaming replicas of the primary."
        )
    # Tests: Django neither creates nor flushes a mirror, and points it at the primary's test database
    # by name only (host and port stay the replica's), which a real streaming replica receives itself.
    _replica["TEST"] = {"MIRROR": "default"}
    # A replica that does not answer is left out for the primary (db_routers.py): waiting on it would not do.
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES[f"replica_{_index}"] = _replica
    DATABASE_REPLICAS.append(f"replica_{_index}")
DATABASE_ROUTERS = ["timeline.db_routers.ReplicaRouter"]
# Behind a pooler in transaction mode (pgbouncer), a server-side cursor would outlive its transaction's
# server connection: DATABASE_DISABLE_SERVER_SIDE_CURSORS=1 makes Django fetch results client-side.
if env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS"):
    for _database in DATABASES.values():
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True

# --- Cache ---------------------------------------------------------------------------------------

# Shared by every worker and machine through Redis when REDIS_URL is set (redis://host:port/db),
# otherwise each process keeps its own in memory. A cache that is down answers "miss" (logged), so
# readers are still served, from the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "timeline",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "timeline.outages.cache"  # one line a minute while Redis is down
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "timeline"}}

# --- Internationalisation ------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# In development (and the tests it runs) static files come from the apps' folders, not collectstatic.
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security ------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
# Browsers may read the validators and the language of an answer, and send validators back.
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Content-Language"]
CORS_ALLOW_HEADERS = (
    *cors_default_headers,
    "accept-language",
    "if-match",
    "if-none-match",
    "if-modified-since",
)

# --- REST API ------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    # Token first: an anonymous write is then a 401 that says how to authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Everyone reads (what Event.objects.visible_to lets them see); writes need the model permissions
    # that the curators group holds.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    # JSON only, in and out: other bodies are a 415; ?format= other than json is a 400 naming it, and
    # REST framework's own format override (a 404, copied into every link) is off.
    "DEFAULT_PARSER_CLASSES": ["events.api.parsers.StrictJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "events.api.negotiation.FormatParamContentNegotiation",
    "URL_FORMAT_OVERRIDE": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "events.api.pagination.CountOnRequestPagination",
    "DEFAULT_SCHEMA_CLASS": "events.api.schema.TimelineAutoSchema",
    "EXCEPTION_HANDLER": "events.api.exceptions.api_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Timeline API",
    "DESCRIPTION": (
        "Dated events — who did what, when, and which sources say so — in English and Chinese.\n\n"
        "Everyone reads published events and the reference data; curators write with a token "
        "(`Authorization: Token <key>`) or a session. Text follows `lang=en|zh-hans|zh-hant` or "
        "Accept-Language. Lists take `limit` (1–500, default 50) and `offset`.\n\n"
        "Every error answers with one JSON shape: "
        '`{"error": {"status": 400, "code": "invalid", "message": "...", '
        '"fields": {"date_from": ["..."]}}}`; '
        "any bad parameter (malformed date, unknown choice or slug, unknown parameter, limit over the "
        "maximum) is a 400 naming it."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    # The docs page's assets come from drf-spectacular-sidecar's static files: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "SourceLanguageEnum": "events.models.Source.Language",
        "AliasLanguageEnum": "events.models.ActorAlias.Language",
        "DatePrecisionEnum": "events.api.serializers.PRECISION_CHOICES",
        "EventTypeEnum": "events.models.Event.Type",
        "ResourceTypeEnum": "events.selectors.changes.RESOURCE_TYPES",
    },
}

# How long the change feed waits before serving a change: longer than any write transaction lasts,
# so that no change can commit dated before one already served (see events/selectors/changes.py).
_settle = os.environ.get("CHANGE_FEED_SETTLE_SECONDS", "5")
if not _settle.replace(".", "", 1).isdigit():
    raise ImproperlyConfigured(
        f"CHANGE_FEED_SETTLE_SECONDS={_settle!r} is not a number of seconds: give one such as 5."
    )
CHANGE_FEED_SETTLE_SECONDS = float(_settle)

# How long an anonymous API answer may stay in the cache (events/api/caching.py): any public change
# invalidates it at once whatever this says; 0 turns the cache off.
_cache_seconds = os.environ.get("API_CACHE_SECONDS", "600")
if not _cache_seconds.isdigit():
    raise ImproperlyConfigured(
        f"API_CACHE_SECONDS={_cache_seconds!r} is not a whole number of seconds: give one such as 600, or 0."
    )
API_CACHE_SECONDS = int(_cache_seconds)
# Anonymous event reads the cache did not answer take a thin path without DRF's machinery
# (events/api/fast.py); 0 sends them through DRF, e.g. to compare the two.
API_FAST_READS = env_bool("API_FAST_READS", default=True)
# On PostgreSQL the thin path's events are written as JSON by the database (events/read/json_sql.py).
API_JSON_IN_DATABASE = env_bool("API_JSON_IN_DATABASE", default=True)

# --- Celery (ingestion batches) ------------------------------------------------------------------

# With a broker (Redis: redis://host:6379/0) batches are shared by `celery -A timeline worker` processes;
# without one every task runs in the calling process, so nothing more is needed to run or test.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Even an eager task takes a producer from the pool: kombu's in-memory transport, so that nothing
    # tries the default broker (AMQP on localhost) when none is configured.
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
# `celery -A timeline beat` queues a poll of the RSS/Atom feeds that are due (each has its own interval).
CELERY_BEAT_SCHEDULE = {"poll-due-feeds": {"task": "ingestion.poll_due_feeds", "schedule": 60.0}}
# host:port pairs that ingestion may fetch although they are internal addresses (tests' local server only).
INGEST_FETCH_ALLOWED_HOSTS: list[str] = []
# A task is acknowledged when it has finished, so a worker that dies mid-article hands it to another;
# ingestion is idempotent, so running an article again is safe.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Logging -------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # A cache that is down fails on every call: one line a minute, not a traceback per call.
    "filters": {"once_a_minute": {"()": "timeline.log_filters.OncePerInterval"}},
    "loggers": {"timeline.outages.cache": {"filters": ["once_a_minute"]}},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# An uploaded file is kept to this size, one byte more and no further (timeline/uploads.py): an article
# of a million characters is at most 4 MB of UTF-8, and a 64 MB upload is refused having cost 4 MB.
FILE_UPLOAD_MAX_BYTES = 4 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "timeline.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Curation desk -------------------------------------------------------------------------------

# The event list's actor filter is an autocomplete box (its static files and template).
INSTALLED_APPS += ["admin_auto_filters"]

# --- HTTPS ---------------------------------------------------------------------------------------
# Production is served over HTTPS, usually behind a proxy that terminates TLS: DJANGO_HTTPS=1 turns
# on the redirect to https, secure cookies and HSTS (each can be set on its own with the variable
# named after the setting), and DJANGO_TRUST_X_FORWARDED_PROTO=1 makes Django believe the proxy's
# X-Forwarded-Proto header (only behind a proxy that sets it and drops any the client sent).


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number: give one such as 3600.")
    return int(value)


HTTPS = env_bool("DJANGO_HTTPS", default=False)
if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=HTTPS)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", default=HTTPS)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=HTTPS)

# --- Content-Security-Policy ---------------------------------------------------------------------
# Every page may load scripts, styles, images and fonts from this site only: no inline script runs
# (the admin and the Swagger docs page load theirs from files). Inline styles are allowed because
# Swagger UI's page carries a <style> block and sets style attributes; they cannot run code.

MIDDLEWARE += ["csp.middleware.CSPMiddleware"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Throttling ----------------------------------------------------------------------------------
# Admin logins: django-axes locks a username at one address out after AXES_FAILURE_LIMIT wrong
# passwords, for AXES_COOLOFF_MINUTES (HTTP 429); `manage.py axes_reset` lifts every lock. Anonymous
# API reads: at most API_ANON_THROTTLE_RATE per client address (429 with Retry-After); curators and
# other signed-in users are not throttled. Counts live in the shared cache: Redis when REDIS_URL is set
# (every server process counts together), else this process's memory.

INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as django-axes requires
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", default=15))
# By username and address together: a stranger cannot lock a curator out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False  # locks are lifted with `manage.py axes_reset`, not edited in the admin
AXES_IPWARE_PROXY_COUNT = env_int("DJANGO_NUM_PROXIES", default=0) or None

API_ANON_THROTTLE_RATE = os.environ.get("API_ANON_THROTTLE_RATE", "600/minute")
if not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", API_ANON_THROTTLE_RATE):
    raise ImproperlyConfigured(
        f"API_ANON_THROTTLE_RATE={API_ANON_THROTTLE_RATE!r} is not a rate: give one such as 600/minute."
    )
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["events.throttling.AnonymousReadThrottle"]
# Client addresses come from X-Forwarded-For only behind that many trusted proxies (else REMOTE_ADDR).
REST_FRAMEWORK["NUM_PROXIES"] = env_int("DJANGO_NUM_PROXIES", default=0)  # type: ignore[assignment]
# (CACHES: see "Cache" above.)
