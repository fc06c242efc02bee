"""Django settings for TimeTracker.

Every value that differs between development and production comes from the
environment, read here and nowhere else (see ``env`` below).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env(name, default=None, cast=str):
    """Read an environment variable, cast it, and fail loudly on a bad value."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if cast is bool:
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")
    if cast is list:
        return [item.strip() for item in raw.split(",") if item.strip()]
    try:
        return cast(raw)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} has an invalid value {raw!r}: {exc}") from exc


DEBUG = env("DEBUG", False, bool)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"], list)
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_TZ = True
USE_I18N = True
LANGUAGE_CODE = "en-us"

APP_VERSION = "1.0.0"
DEFAULT_CURRENCY = env("DEFAULT_CURRENCY", "EUR")  # ISO 4217; the Settings page starts from it

INSTALLED_APPS = [
    "timetracker.admin_apps.TimeTrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "timetracker",
    "apitokens",
    "projects",
    "timeentries",
    "inventory",
    "reports",
    "timetracker.webhooks",
]

MIDDLEWARE = [
    "timetracker.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),  # runserver serves static files in DEBUG
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "timetracker.urls"
WSGI_APPLICATION = "timetracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env("DATABASE_CONN_MAX_AGE", 60, int),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a competing writer instead of failing at once with "database is locked",
    # and take the write lock at BEGIN so concurrent read-then-write transactions serialize.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves hashed, compressed files collected by `manage.py collectstatic` (WhiteNoise).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "timetracker.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "timetracker.logging.JSONFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": env("LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Our request log replaces Django's; its 4xx/5xx warnings would say the same again.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# Behind a TLS-terminating proxy: SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https
_proxy_header = env("SECURE_PROXY_SSL_HEADER", [], list)
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header) if len(_proxy_header) == 2 else None
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT", not DEBUG, bool)
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, int)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG, bool)
SECURE_HSTS_PRELOAD = env("SECURE_HSTS_PRELOAD", not DEBUG, bool)
SESSION_COOKIE_SECURE = env("SESSION_COOKIE_SECURE", not DEBUG, bool)
CSRF_COOKIE_SECURE = env("CSRF_COOKIE_SECURE", not DEBUG, bool)
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS", [], list)

# CORS for browser clients: off unless origins are listed (CORS_ALLOWED_ORIGINS=https://app.example.com,...).
CORS_ALLOWED_ORIGINS = env("CORS_ALLOWED_ORIGINS", [], list)
CORS_URLS_REGEX = r"^/(api|teamwork|codebase)/.*$"
CORS_ALLOW_HEADERS = ["accept", "authorization", "content-type", "x-api-key", "idempotency-key", "if-none-match",
                      "x-request-id"]
CORS_EXPOSE_HEADERS = ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after",
                       "x-page", "x-pages", "x-records", "etag", "x-request-id", "id", "location"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "timetracker.api.authentication.APITokenAuthentication",
        "timetracker.api.authentication.StaffSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["timetracker.api.permissions.HasScope"],
    "DEFAULT_PAGINATION_CLASS": "timetracker.api.pagination.PagePagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "timetracker.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "timetracker.api.exceptions.api_exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "timetracker.api.negotiation.APIContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "timetracker.api.schema.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "TimeTracker API",
    "DESCRIPTION": (
        "Time tracking, projects, tasks, clients, reports and inventory (REST API v1 under `/api/v1/`), plus the "
        "Teamwork-compatible (`/teamwork/`) and Codebase-compatible (`/codebase/`) time APIs.\n\n"
        "Authenticate with an API token (`tt_…`) as `Authorization: Bearer <token>` or `X-API-Key: <token>`; "
        "each operation names the scope it needs. Lists take `page` and `per_page` and answer with a "
        "resource-named list and a `pagination` object; errors are `{error, message, error_code}`."
    ),
    "VERSION": APP_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "displayOperationId": False, "filter": True},
    # Request and response components differ (read-only fields, partial updates): PatchedProjectRequest, Project.
    "COMPONENT_SPLIT_REQUEST": True,
    # API clients send JSON; form bodies are only for staff using the browsable API.
    "PARSER_WHITELIST": [
        "timetracker.api.parsers.JSONParser",
        "timeentries.compat.codebase.wire.XMLParser",
        "timeentries.compat.codebase.wire.JSONParser",
    ],
    "PREPROCESSING_HOOKS": ["timetracker.api.schema.strip_trailing_slashes"],
    "ENUM_NAME_OVERRIDES": {
        "SearchResultTypeEnum": ["project", "task", "client", "entry"],
        "HealthyEnum": ["healthy"],
        "UnhealthyEnum": ["unhealthy"],
        "DatabaseOkEnum": ["ok"],
        "DatabaseUnreachableEnum": ["unreachable"],
        "TeamworkFlagEnum": ["0", "1"],
        "TeamworkOKEnum": ["OK"],
        "TeamworkErrorEnum": ["Error"],
    },
    "TAGS": [
        {"name": "Service", "description": "API version and health; no token needed."},
        {"name": "Inventory", "description": "Stock items, warehouses, movements, transfers and reports. Off until "
                                             "an admin enables the module (Settings in the admin); until then every "
                                             "endpoint answers `403 module_disabled`. See docs/inventory.md."},
        {"name": "Teamwork", "description": "Teamwork-compatible time API (`/teamwork/`): Teamwork's JSON, "
                                            "`{\"MESSAGE\", \"STATUS\"}` errors. See docs/teamwork.md."},
        {"name": "Codebase", "description": "Codebase-compatible time sessions (`/codebase/`): XML by default, "
                                            "JSON when `Accept` prefers it. See docs/codebase.md."},
    ],
}

# Rate limits (django-ratelimit rates). Counters live in the "default" cache, which must be shared by
# every app-server process: set REDIS_URL in production.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = env("RATE_LIMIT_IP_META_KEY", None)  # e.g. HTTP_X_REAL_IP behind a proxy
RATE_LIMIT_TOKEN_PER_MINUTE = env("RATE_LIMIT_TOKEN_PER_MINUTE", "100/m")
RATE_LIMIT_TOKEN_PER_HOUR = env("RATE_LIMIT_TOKEN_PER_HOUR", "1000/h")
RATE_LIMIT_ANONYMOUS = env("RATE_LIMIT_ANONYMOUS", "30/m")

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "timetracker.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "timetracker"}}
# Cache the totals of big lists (timetracker.counts). Only correct with a cache every process shares.
LIST_COUNT_CACHE = env("LIST_COUNT_CACHE", bool(REDIS_URL), bool)
# django-ratelimit refuses LocMemCache outright; we allow it for a single process (make run) and warn
# ourselves when several workers would share it (timetracker.checks).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# API tokens: how often last_used_at may be written for one token (seconds).
API_TOKEN_LAST_USED_INTERVAL = 60

# Background tasks (webhook deliveries), run by Django's task framework as django-tasks provides it. The default
# keeps the queue in the database (run `manage.py db_worker`); TASKS_BACKEND switches it, e.g. to
# django_tasks_rq.RQBackend (pip install django-tasks-rq; the queue lives in REDIS_URL; run
# `manage.py rqworker --job-class django_tasks_rq.Job default`).
TASKS_BACKEND = env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=django_tasks_rq.RQBackend needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}

# Webhooks: targets resolving to loopback, private, link-local, multicast or reserved addresses are refused
# unless this is on (development against a local receiver, tests).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env("WEBHOOKS_ALLOW_PRIVATE_TARGETS", False, bool)
