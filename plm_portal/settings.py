"""Settings for PLM Portal: one file, every deployment value from the environment.

Unset variables give the embedded development default (SQLite under var/, Celery tasks run in-process,
console e-mail). Malformed values raise ImproperlyConfigured naming the variable. See README.md for the table.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from plm_portal.env import (
    env_bool,
    env_int,
    env_list,
    env_path,
    env_str,
    parse_database_url,
    parse_redis_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("PLM_VAR_DIR", BASE_DIR / "var")

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is not True "
            "(make run sets DJANGO_DEBUG=True for development)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "plm_portal",
    "libraries",
    "programs",
    "meetings",
    "reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "plm_portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who and from where, for the audit history
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # National staff and admin users without an authenticator app are sent to set one up first.
    "plm_portal.middleware.MfaRequiredMiddleware",
]

ROOT_URLCONF = "plm_portal.urls"
FORM_RENDERER = "plm_portal.forms.PortalFormRenderer"
WSGI_APPLICATION = "plm_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: PostgreSQL in the full stack and CI, a SQLite file under var/ otherwise.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": parse_database_url("DATABASE_URL", DATABASE_URL)}
else:
    # The embedded default needs nothing but a writable folder.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "plm_portal.sqlite3",
            # Concurrent writers wait their turn instead of failing with "database is locked": WAL lets reads
            # go on beside a write, a transaction takes the write lock when it begins (IMMEDIATE, so it
            # never has to upgrade a read lock midway, which SQLite refuses at once), and a writer waits up
            # to 20 s for the lock. The same options as a sqlite:// DATABASE_URL (plm_portal.env).
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "plm_portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail login, no open sign-up (national staff invite users).
ACCOUNT_ADAPTER = "plm_portal.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_SESSION_REMEMBER = None
# Sign-in limits (allauth keeps them in the default cache: Redis when REDIS_URL is set, so every gunicorn
# worker shares them). Failed sign-ins: 5 per account in 5 minutes, 20 per client address per minute.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "20/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}

# Two-factor sign-in (allauth.mfa): an authenticator app (TOTP) plus recovery codes. Required for national
# staff and anyone with admin access (plm_portal.middleware.MfaRequiredMiddleware), optional for others.
MFA_ADAPTER = "plm_portal.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Portal PLM"
PLM_MFA_REQUIRED = env_bool("PLM_MFA_REQUIRED", default=True)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["plm_portal.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_path("DJANGO_STATIC_ROOT", VAR_DIR / "static")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env_path("DJANGO_MEDIA_ROOT", VAR_DIR / "media")
# Uploaded photos of activities and impact stories: outside MEDIA_ROOT (never served as files, not even by
# runserver), read only through views that check the user's scope.
PRIVATE_MEDIA_ROOT = env_path("DJANGO_PRIVATE_MEDIA_ROOT", VAR_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads larger than this are refused before they reach a view (participant lists, logos).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: SMTP when EMAIL_HOST is set, the console otherwise (Django 6.1 MAILERS).
if _email_host := env_str("EMAIL_HOST"):
    _use_ssl = env_bool("EMAIL_USE_SSL", default=False)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 465 if _use_ssl else 587, minimum=1),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=not _use_ssl),
                "use_ssl": _use_ssl,
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PLM Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Redis: broker, result backend and cache when REDIS_URL is set; tasks run in-process otherwise.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    parse_redis_url("REDIS_URL", REDIS_URL)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "plm",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Embedded mode: long jobs (imports, exports) run in a thread of the web process so their pages can poll
# progress (plm_portal/background.py); the tests run them in the request.
PLM_LONG_TASKS_IN_THREAD = CELERY_TASK_ALWAYS_EAGER
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# KiB (0: off). A pool process whose peak RSS passes this is replaced after its task (memory WeasyPrint freed
# stays resident). Measured (bench/reports.py, bench/wave.py): 117 MiB idle, ~170 MiB after 60-person lists,
# 227 MiB peak for a 1,000-attendee daftar hadir; with ~20% headroom it is kept, while the rarer bigger PDFs
# (1,000 certificates: ~400 MiB) get a fresh process.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD", 280_000, minimum=0
)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360, minimum=1)
if CELERY_TASK_TIME_LIMIT <= CELERY_TASK_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_TASK_TIME_LIMIT must be greater than CELERY_TASK_SOFT_TIME_LIMIT."
    )
# Long jobs (registry imports of 50,000 rows, XLSX exports of a million rows at ten times today's data) get
# their own, longer limits (the tasks pass them; plm_portal/background.py); the sweeps use them too.
PLM_LONG_TASK_SOFT_TIME_LIMIT = env_int("PLM_LONG_TASK_SOFT_TIME_LIMIT", 1800, minimum=1)
PLM_LONG_TASK_TIME_LIMIT = PLM_LONG_TASK_SOFT_TIME_LIMIT + 60
# With acks_late a task that outlives the visibility timeout is delivered twice; keep it above the PDF render's
# limit, so a render lost with its worker is redelivered within minutes. A long job outliving it is delivered
# again too, and that copy does nothing: its job is claimed by a conditional UPDATE and still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT * 2,
    # Without it a Redis host that does not answer holds a connect (and a web request queueing a task) for
    # the system's TCP timeout, minutes.
    "socket_connect_timeout": 2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request queueing a task while Redis is away gives up within a second (refused) or ~6 s (no answer);
# the report stays pending and is sent again once Redis is back (reports.services._send).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TIMEZONE = TIME_ZONE

# Security. Development (DEBUG) keeps plain HTTP; everything else is HTTPS-only.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # The preload token only allows submitting the apex domain to the browsers' list (by hand); it commits
    # nothing by itself, and without it check --deploy warns (security.W021), as in cookiecutter-django.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    if env_bool("DJANGO_BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        USE_X_FORWARDED_HOST = True
# How many reverse proxies of ours stand in front of the app: the client is the address the outermost one saw
# (plm_portal/client.py). 0 ignores X-Forwarded-For. allauth's sign-in limits read the same count.
# Behind a proxy (DJANGO_BEHIND_PROXY) one is assumed unless told otherwise: counting the proxy's own address
# would put every client in one bucket, and one guesser would lock everyone out.
TRUSTED_PROXY_COUNT = env_int(
    "PLM_TRUSTED_PROXY_COUNT",
    1 if env_bool("DJANGO_BEHIND_PROXY", default=False) and not DEBUG else 0,
    minimum=0,
)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Only the portal's own origin: no CDN, no third-party fonts or scripts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Sign-in, failed sign-in, MFA and permission-denied events: one JSON object per line.
        "plm_portal.auth": {"level": "INFO"},
    },
}

# --- Reports (reports app) ------------------------------------------------------------------------------
# Celery beat (`make worker` runs it with --beat; compose has a beat service) re-queues PDF reports stuck in
# "rendering" longer than CELERY_TASK_TIME_LIMIT, e.g. after a worker was killed.
CELERY_BEAT_SCHEDULE = {
    "reports-sweep-stuck": {"task": "reports.sweep_stuck_reports", "schedule": 300.0},
    # Exports older than 7 days (files with personal data) deleted; stuck ones failed with a reason.
    "reports-sweep-exports": {"task": "reports.sweep_exports", "schedule": 3600.0},
    # Rendered PDFs (names, phone numbers): superseded ones deleted at once, all after the retention below.
    "reports-sweep-old": {"task": "reports.sweep_old_reports", "schedule": 3600.0},
}
# Days a rendered PDF is kept after it was made; then deleted (the Laporan tab offers to render it again).
PLM_REPORT_RETENTION_DAYS = env_int("PLM_REPORT_RETENTION_DAYS", 90, minimum=1)
# WeasyPrint logs every layout step at INFO; keep its warnings (refused URLs, missing images) only.
LOGGING["loggers"]["weasyprint.progress"] = {"level": "WARNING"}

# --- Programme ------------------------------------------------------------------------------------------------
# The programme year a new meeting form starts with. Unset: the current year in Jakarta (read per request).
PLM_PROGRAMME_YEAR = env_int("PLM_PROGRAMME_YEAR", 0, minimum=0) or None

# --- Documents (reports app) ---------------------------------------------------------------------------------
# The kop surat of a PDF whose meeting has no host office: Perpusnas itself, printed as written here. The same
# for every deployment, so not from the environment; a change makes earlier PDFs stale (fingerprint).
PLM_NATIONAL_LETTERHEAD = {
    "government": "",
    "office": "PERPUSTAKAAN NASIONAL REPUBLIK INDONESIA",
    "address": "Jl. Medan Merdeka Selatan No. 11, Jakarta Pusat 10110",
    "contact": "",
    "logo": "",  # a media storage name, e.g. "logos/perpusnas.png"; "" prints no logo
}
