"""Settings for Campaign Letters: one module, every deploy choice read from the environment.

Every variable is listed with its meaning in `.env.example` and in the README. The defaults give a
working development setup with no server at all: SQLite, a filesystem Celery broker and email
written to files, all under `var/`.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    DEVELOPMENT_SECRET_KEY,
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_seconds,
    env_str,
    secret_key_weakness,
)
from config.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value, "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif not DEBUG and (weakness := secret_key_weakness(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"SECRET_KEY is {weakness}. Make a new one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A form sent without its token gets a page in the site's layout saying what to do (config/errors.py).
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

INSTALLED_APPS = [
    # Before the admin: its TranslationAdmin shows each language of a text side by side.
    "modeltranslation",
    # Django's admin on config.admin_site.AdminSite: staff pass a second factor when required.
    "config.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    # Administrators' second factor (config/two_factor.py): authenticator-app codes and
    # recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "config",
    "campaign",
    "letters",
    "replies",
    "coordinate",
]

MIDDLEWARE = [
    # The access log: one line a request, with the route, never the path (which holds tokens).
    "config.middleware.AccessLogMiddleware",
    "config.middleware.HeadWithoutBodyMiddleware",
    # Load balancers' health checks are answered before host checks and HTTPS redirects.
    "config.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Logins (the admin's and coordinators') are rate limited: after AXES_FAILURE_LIMIT wrong
# passwords for one user name, from one address or from many, logging in as that user is
# paused for AXES_COOLOFF_HOURS (`manage.py axes_reset_username NAME` lifts it at once).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_VERBOSE = False
# Client addresses: the number of reverse proxies in front of the app whose X-Forwarded-For
# entries are trusted, counted from the right. 0 (the default) trusts none: REMOTE_ADDR is used.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

ROOT_URLCONF = "config.urls"

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

WSGI_APPLICATION = "config.wsgi.application"

# Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'campaign_letters.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            # A kept connection is checked (SELECT 1) before its first use in each request and
            # task, and replaced if the server dropped it.
            conn_health_checks=True,
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL: {error}") from error
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the Celery worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not memory, so a real Celery worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_campaign_letters.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "coordinate:dashboard"
LOGOUT_REDIRECT_URL = "letters:home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Campaign content (titles, summaries, facts, recommendations, offices) is kept in every language
# by django-modeltranslation (campaign/translation.py): a column per language, `title_en` and
# `title_es`. English is the content's own language; a text not yet in Spanish reads as English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# The letter fonts are served too, so the on-screen preview is set in the PDF's typeface.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("letter-fonts", BASE_DIR / "letters" / "assets" / "fonts"),
]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Letter PDFs and print packs hold students' names: readable by the app's user and group only
# (Django's default is 0o644, whatever the umask).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# Request sizes: a form post without files (a letter is a few kilobytes), an uploaded file kept
# in memory before it goes to a temporary file, fields and files in one request.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000, minimum=100)
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 10, minimum=1)
# Letter PDFs and print packs go through Django's storage API only (never a path), so where they
# live is this setting's: the file system under MEDIA_ROOT (one machine, or a volume every web
# server and worker mounts), or S3-compatible object storage (django-storages) for a deployment
# past one machine. Files stay private: no public ACL, no public URL; the app streams them.
STORAGE_BACKEND = env_choice("STORAGE_BACKEND", "filesystem", ["filesystem", "s3"])
if STORAGE_BACKEND == "s3":
    _bucket = env_str("S3_BUCKET")
    if not _bucket:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs S3_BUCKET (the bucket's name)")
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            # Unset: the AWS defaults (or the usual AWS_* variables and instance roles).
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            # "path" for most self-hosted S3-compatible servers (MinIO, Garage, Ceph).
            "addressing_style": env_choice(
                "S3_ADDRESSING_STYLE", "auto", ["auto", "path", "virtual"]
            ),
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: written to files under var/mail/ unless an SMTP host is configured.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Campaign Letters <letters@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# Messages a worker sends over one SMTP connection before it opens a new one (letters/smtp.py;
# 1: a connection for every message).
EMAIL_MESSAGES_PER_CONNECTION = env_int("EMAIL_MESSAGES_PER_CONNECTION", 100, minimum=1)

# Celery: a filesystem broker under var/ by default (no server needed); Redis in production.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "broker"
    # kombu's filesystem transport expects its folders to exist (web and worker both use them).
    (_broker_dir / "queue").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # kombu keeps its exchange tables here; its default is `control/` in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # A message not acknowledged within this time is delivered again; retries are scheduled
    # up to DELIVERY_RETRY_MAX_SECONDS * 1.5 ahead, so the timeout is longer than that.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(max(3600, 2 * env_float("DELIVERY_RETRY_MAX_SECONDS", 3600.0)))
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE

# Production security headers (manage.py check --deploy passes with DEBUG off).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# No inline script or style anywhere (scripts and styles are static files; progress meters are
# <progress> elements). Nothing is loaded from another origin: the app works offline.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The language cookie (django_language) is set like the session's: over HTTPS only in
# production, never sent with another site's requests, and not readable by scripts.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# One format for web, worker and beat (config/logs.py): ISO-8601 UTC times, no tokens.
LOG_LEVEL = env_choice(
    "LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], upper=True
)
LOG_FORMAT = env_choice("LOG_FORMAT", "plain", ["plain", "json"])
LOGGING = logging_config(level=LOG_LEVEL, log_format=LOG_FORMAT)

# The address the app is reached at, for links in emails (no trailing slash). Required in
# production: a wrong default would send students links that lead nowhere.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL is not set. Set it to the app's public address, e.g. https://letters.example.org"
    )
if TRUSTED_PROXY_COUNT > 0:
    # The proxy terminates TLS and says so; request.is_secure() and links then say https.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Cache: shared by every process in production (rate limits must hold across them).
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # An unreachable cache answers within seconds, never hangs a page (config/ratelimit.py
            # then counts in the process's own memory).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL: expected redis://host:port/db, got {CACHE_URL!r}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
#: How long the campaign page's counts (letters toward the goal, letters sent, replies) are kept
#: (campaign/content_cache.py); 0: counted on every view.
CAMPAIGN_FIGURES_SECONDS = env_int("CAMPAIGN_FIGURES_SECONDS", 10, minimum=0)

# Requests an hour per client address (see config/ratelimit.py).
RATE_LIMITS = {
    "letter": env_int("RATE_LIMIT_LETTERS_PER_HOUR", 200, minimum=1),
    "submit": env_int("RATE_LIMIT_SUBMITS_PER_HOUR", 200, minimum=1),
    "pdf": env_int("RATE_LIMIT_PDFS_PER_HOUR", 600, minimum=1),
    "team_code": env_int("RATE_LIMIT_TEAM_CODE_FAILURES_PER_HOUR", 20, minimum=1),
    "email": env_int("RATE_LIMIT_EMAILS_PER_HOUR", 60, minimum=1),
    # "Send me my link again", per address asked for (whatever the client): nobody floods a
    # student's mailbox with links.
    "link_address": env_int("RATE_LIMIT_LINKS_PER_ADDRESS_PER_HOUR", 3, minimum=1),
    # Accounts (coordinate/accounts.py): password-reset emails per address and per account (the
    # requests beyond are answered alike and send nothing); teachers' requests to coordinate per
    # client address; second-factor codes tried per account.
    "password_reset": env_int("RATE_LIMIT_PASSWORD_RESETS_PER_HOUR", 5, minimum=1),
    "coordinator_request": env_int("RATE_LIMIT_COORDINATOR_REQUESTS_PER_HOUR", 10, minimum=1),
    "two_factor": env_int("RATE_LIMIT_TWO_FACTOR_CODES_PER_HOUR", 10, minimum=1),
}

# Delivery of letters (see letters/outbox.py). Message-IDs are <delivery-ID@MESSAGE_ID_DOMAIN>.
MESSAGE_ID_DOMAIN = env_str("MESSAGE_ID_DOMAIN", "campaign-letters.invalid")
# Temporary SMTP failures are retried this many times in all, with exponential backoff and jitter.
DELIVERY_MAX_ATTEMPTS = env_int("DELIVERY_MAX_ATTEMPTS", 6, minimum=1)
DELIVERY_RETRY_BASE_SECONDS = env_float("DELIVERY_RETRY_BASE_SECONDS", 30.0)
DELIVERY_RETRY_MAX_SECONDS = env_float("DELIVERY_RETRY_MAX_SECONDS", 3600.0)
# The reconcile task puts back on the queue deliveries queued or sending for longer than these.
DELIVERY_QUEUED_GRACE_SECONDS = env_float("DELIVERY_QUEUED_GRACE_SECONDS", 300.0)
DELIVERY_SENDING_TIMEOUT_SECONDS = env_float("DELIVERY_SENDING_TIMEOUT_SECONDS", 600.0)
DELIVERY_RECONCILE_EVERY_SECONDS = env_float("DELIVERY_RECONCILE_EVERY_SECONDS", 60.0)
# Deliveries per second the reconcile task expects workers to manage at the least: a queued
# delivery behind N others is not counted lost until N / rate seconds more have passed.
DELIVERY_ASSUMED_RATE = max(0.1, env_float("DELIVERY_ASSUMED_RATE", 5.0))

# Emails to students (the private link, the copy of the sent letter; letters/student_emails.py):
# the waits, in seconds, between tries after a temporary failure (SMTP down, a 4xx answer), each
# ±10%. The default tries 8 times over about 22 hours (1 min, 5 min, 15 min, 1 h, 3 h, 6 h,
# 12 h), then the email is failed and shown to the campaign's coordinators, who may retry it.
STUDENT_EMAIL_RETRY_SCHEDULE = env_seconds(
    "STUDENT_EMAIL_RETRY_SCHEDULE", [60.0, 300.0, 900.0, 3600.0, 10800.0, 21600.0, 43200.0]
)

# How often beat sends the heartbeat a worker records for /health/ (stale after 3 times this).
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 60, minimum=5)
CELERY_BEAT_SCHEDULE = {
    "reconcile-deliveries": {
        "task": "letters.tasks.reconcile_deliveries",
        "schedule": DELIVERY_RECONCILE_EVERY_SECONDS,
    },
    "purge-personal-data": {"task": "letters.tasks.purge_personal_data", "schedule": 24 * 3600},
    "worker-heartbeat": {
        "task": "config.tasks.worker_heartbeat",
        "schedule": WORKER_HEARTBEAT_SECONDS,
        # A heartbeat no worker took in time is dropped, not recorded late.
        "options": {"expires": WORKER_HEARTBEAT_SECONDS},
    },
}
# Beat keeps when each task last ran in this file, so a restart (every upgrade) neither runs the
# daily purge again nor puts it off for another day. Under VAR_DIR, which survives restarts
# (systemd: StateDirectory=). Celery's own default is a file in the working directory.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Celery keeps Django's logging (config/celery.py) instead of installing its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A render or a send that hangs is stopped; a worker child that grew too big is replaced.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180, minimum=1)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 400_000)
# Celery closes a task's database connection after every task unless told to keep it for this
# many tasks: a new PostgreSQL connection per task cost a batch of 10,000 emails a process fork on
# the server for each letter. Kept, a connection still obeys DATABASE_CONN_MAX_AGE and the health
# check, and one is closed after any task that did not succeed (config/celery.py).
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000, minimum=0)
if DELIVERY_SENDING_TIMEOUT_SECONDS < CELERY_TASK_TIME_LIMIT + 60:
    # The reconcile task takes a delivery still "sending" after this long for lost. If a task
    # could still be running then, the letter would be sent twice.
    raise ImproperlyConfigured(
        "DELIVERY_SENDING_TIMEOUT_SECONDS must be at least CELERY_TASK_TIME_LIMIT + 60 "
        f"({CELERY_TASK_TIME_LIMIT + 60}), got {DELIVERY_SENDING_TIMEOUT_SECONDS:g}"
    )

# Offices and their holders: a holder whose term is still open is addressed by name only while
# the last check of their record is at most this many days old; otherwise letters go to the
# office by its title.
HOLDER_CHECK_MAX_AGE_DAYS = env_int("HOLDER_CHECK_MAX_AGE_DAYS", 180, minimum=1)

# The public data on Congress and the presidency that `manage.py import_congress` reads (and
# `make run` imports): the snapshot shipped in data/us-congress/, or a newer copy elsewhere.
CONGRESS_DATA_DIR = Path(env_str("CONGRESS_DATA_DIR", str(BASE_DIR / "data" / "us-congress")))

# Error tracking (config/sentry.py): only when SENTRY_DSN is set; students' fields are scrubbed.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from config import sentry

    sentry.init(
        SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT"),
        traces_sample_rate=min(1.0, env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0)),
    )
# --- Roles and senders (issue #12 "Roles hold") -------------------------------------------------
# (Imported here to keep this block in one piece.)
from celery.schedules import crontab  # noqa: E402

from config.env import env_domains  # noqa: E402

# The domains a campaign's sender address (the From of its email batches) may be at,
# comma-separated; any other is refused when a campaign is saved and when an email batch starts.
# Default: the domain of DEFAULT_FROM_EMAIL.
SENDER_EMAIL_DOMAINS = env_domains(
    "SENDER_EMAIL_DOMAINS", [DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ").lower()]
)
# How many teams one coordinator may create in one campaign (a crawler once made 1,270).
TEAMS_PER_COORDINATOR_MAX = env_int("TEAMS_PER_COORDINATOR_MAX", 100, minimum=1)
# The batch page lists changes of officials' delivery addresses made in this many days.
OFFICIAL_ADDRESS_CHANGE_DAYS = env_int("OFFICIAL_ADDRESS_CHANGE_DAYS", 30, minimum=1)
# Daily, just after midnight: campaigns past their end date are closed (their retention starts).
CELERY_BEAT_SCHEDULE["close-expired-campaigns"] = {
    "task": "coordinate.tasks.close_expired_campaigns",
    "schedule": crontab(hour=0, minute=5),
}

# --- Accounts and the second factor (issue #19) --------------------------------------------------
# Staff must pass a second factor (a code from an authenticator app, or a recovery code) before
# the admin opens: on unless DEBUG, so production has it and `make run` does not ask the demo
# accounts for one. A staff user without a device is told to add one at /accounts/two-factor/.
ADMIN_REQUIRE_TWO_FACTOR = env_bool("ADMIN_REQUIRE_TWO_FACTOR", not DEBUG)
# The name authenticator apps show beside the codes.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Campaign Letters")
# django-otp's own throttle: after a wrong code, the next is refused for 1, 2, 4 ... seconds
# (our rate limit above caps the codes tried an hour).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Links that confirm a new email address, and that create an account from a teacher's approved
# request, work for this many days; password-reset links for PASSWORD_RESET_TIMEOUT (3 days).
ACCOUNT_LINK_DAYS = env_int("ACCOUNT_LINK_DAYS", 7, minimum=1)

# --- Replies from officials (issue #21) -----------------------------------------------------------
# Days after a letter is sent before its student (if they gave an address) is asked once "Did you
# get a reply?", with two single-use links.
REPLY_QUESTION_AFTER_DAYS = env_int("REPLY_QUESTION_AFTER_DAYS", 14, minimum=1)
# An uploaded reply (PDF or image) larger than this is refused.
REPLY_FILE_MAX_BYTES = env_int("REPLY_FILE_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Hourly: the letters sent long enough ago are asked the question (each once).
CELERY_BEAT_SCHEDULE["ask-reply-questions"] = {
    "task": "replies.tasks.ask_reply_questions",
    "schedule": crontab(minute=17),
}
