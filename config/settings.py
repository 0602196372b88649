"""Settings for every environment, driven by environment variables (twelve-factor).

With no configuration at all the project runs on its embedded defaults: SQLite in
``var/`` and a filesystem Celery broker, so ``make demo`` works on a bare machine.
Production sets ``DJANGO_DEBUG=False`` (the default), ``DJANGO_SECRET_KEY``,
``DATABASE_URL`` and ``CELERY_BROKER_URL``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# .env first, so that everything below (DJANGO_VAR_DIR too) may come from it; the real
# environment wins over the file.
environ.Env.read_env(env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)
VAR_DIR = Path(env.str("DJANGO_VAR_DIR", default=str(BASE_DIR / "var")))
# Local directories the embedded defaults write to; created when Django starts
# (apps.core.apps.CoreConfig.ready), never by importing these settings.
LOCAL_DIRS = [VAR_DIR]

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production (DJANGO_DEBUG=False) refuses to start "
            "without a secret key; set DJANGO_DEBUG=True for local development."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "apps.core.apps.OfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "axes",
    "apps.core",
    "apps.accounts",
    "apps.directory",
    "apps.notices",
    "apps.workcalendar",
    "apps.diversion",
    "apps.tickets",
    "apps.disputes",
    "apps.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.core.api.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
]

# bench/tickets_ingest.py serves its floor endpoint beside the product's URLs.
ROOT_URLCONF = env.str("DJANGO_ROOT_URLCONF", default="config.urls")
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "admin:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# --- Database -------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the Celery worker and beat share one SQLite file: WAL lets readers
    # run beside the writer, the busy timeout waits instead of failing, and IMMEDIATE
    # transactions take the write lock up front so a read-then-write never deadlocks
    # into "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Sign-in ----------------------------------------------------------------------------
# django-axes counts failed logins per account and per address; past the limit, both are
# refused for the cool-off time. Staff unlock early under 访问尝试 (delete the attempts).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Its records are in the admin as accounts' proxies, named in Chinese (accounts/models.py).
AXES_ENABLE_ADMIN = False
# Behind a proxy, set DJANGO_AXES_IPWARE_META to the header holding the client address.
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("DJANGO_AXES_IPWARE_META", default=["REMOTE_ADDR"])

# --- Passwords -------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Dates and times written one way everywhere: 2026-12-01 10:30 (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
LOCAL_DIRS.append(STATIC_ROOT)  # whitenoise looks for it when the app starts
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# --- Email (notices) --------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_FILE_PATH = env.str("DJANGO_EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="linkage-office@localhost")

# --- Security (production) ---------------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.core.authentication.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "apps.core.schema.OfficeAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.PageSizePagination",
    "DEFAULT_PARSER_CLASSES": ["apps.core.api.StoredTextJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["apps.core.throttling.ScopedPerAccountThrottle"],
}
# Requests per account (one account, one token) and scope; over the rate: 429 with
# Retry-After. The defaults sit well above what a platform sends at its busiest hour
# (bench/tickets_ingest.py runs under them); they stop a client gone wrong.
API_THROTTLE_RATES = {
    "ticket-push": env.str("API_RATE_TICKET_PUSH", default="60000/min"),
    "ticket-batch": env.str("API_RATE_TICKET_BATCH", default="600/min"),
    "ticket-events": env.str("API_RATE_TICKET_EVENTS", default="60000/min"),
    "read": env.str("API_RATE_READ", default="6000/min"),
    "anonymous": env.str("API_RATE_ANONYMOUS", default="60/min"),
}
# Throttle counts live in the cache: set CACHE_URL (redis://…) so that every web process
# counts together; the default counts per process.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# A batch of TICKET_BATCH_LIMIT tickets at the largest field sizes (4,000-character
# summaries, sent \u-escaped) is about 25 MB; a body over API_MAX_BODY_BYTES gets a 413.
# The figures on each person's admin home page (待签收, 超期, 未确认督办 ...).
ADMIN_HOME_FIGURES = "apps.tickets.home.figures"
TICKET_BATCH_LIMIT = env.int("TICKET_BATCH_LIMIT", default=1000)
# A liaison's handling result may carry photos or a scanned reply: each file at most this
# size, at most this many per step (kept in the default storage, served only after the
# same check as the ticket itself).
TICKET_ATTACHMENT_MAX_BYTES = env.int("TICKET_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
TICKET_ATTACHMENTS_PER_STEP = env.int("TICKET_ATTACHMENTS_PER_STEP", default=5)
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=32 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
SPECTACULAR_SETTINGS = {
    "TITLE": "12345–110 对接联动管理平台 API",
    "DESCRIPTION": (
        "Exchange and reference API for the 12345 and 110 platforms.\n\n"
        "Limits: a request body is at most API_MAX_BODY_BYTES (default 33,554,432 bytes, "
        "32 MiB), a batch at most TICKET_BATCH_LIMIT tickets (default 1,000); a larger "
        "body is answered 413 with `limit_bytes` and `limit_tickets`. Requests are "
        "counted per account and scope (API_THROTTLE_RATES); over the rate the answer is "
        "429 with Retry-After. Times are ISO 8601 with their UTC offset (+08:00, +0800, "
        "+08 or Z)."
    ),
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "ReturnReasonEnum": "apps.tickets.models.ReturnReason",
        "TicketStatusEnum": "apps.tickets.models.Status",
        "ListStatusEnum": "apps.diversion.models.ListStatus",
    },
}
# Ticket intake reuses deadline policies, the working calendar, regions, units and diversion
# lists for this many seconds per process: edits to them reach new tickets at most this late.
TICKET_INTAKE_CACHE_SECONDS = env.float("TICKET_INTAKE_CACHE_SECONDS", default=10)
# How soon a review of call-takers' choices reaches the lookup of other processes.
LOOKUP_LEARNING_CACHE_SECONDS = env.float("LOOKUP_LEARNING_CACHE_SECONDS", default=10)

# --- Celery ---------------------------------------------------------------------------------
# The embedded default is kombu's filesystem transport: messages are files under var/, so
# a worker and beat need no broker server. Production sets redis:// or amqp://.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery-broker"
    LOCAL_DIRS += [_broker_dir / sub for sub in ("queue", "processed", "control")]
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Reverting would bypass validation and the required reason; history is a record only.
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
