"""Settings for the RARE platform.

Every knob is an environment variable (or a line in an optional `.env` file) with a safe default.
The defaults run the demo with nothing installed: SQLite, the database task backend, secrets kept
in the data directory. `RARE_ENV=production` turns every hardening on and refuses to start while a
setting is unsafe; `rare.core.config` holds those checks and the README lists every variable.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from rare.core import config

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent

env = environ.Env()
_dotenv = Path(os.environ.get("RARE_DOTENV", REPO_DIR / ".env"))
if _dotenv.is_file():
    env.read_env(str(_dotenv))

RARE_ENV = env.str("RARE_ENV", default="development")
PRODUCTION = RARE_ENV == "production"
if RARE_ENV not in {"development", "production", "test"}:
    raise config.refuse([f"RARE_ENV must be development, test or production, not {RARE_ENV!r}."])

DATA_DIR = Path(env.str("RARE_DATA_DIR", default=str(REPO_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    "" if PRODUCTION else config.local_secret(DATA_DIR, "secret_key", length=50)
)
# Keys for encryption at rest: comma-separated, newest first; older ones are kept for reading.
RARE_ENCRYPTION_KEYS = env.list("RARE_ENCRYPTION_KEYS", default=[]) or (
    [] if PRODUCTION else [config.local_encryption_key(DATA_DIR)]
)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("RARE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "rare.core",
    "rare.accounts",
    "rare.website",
    "rare.community",
    "rare.programme",
    "rare.learning",
    "rare.alliance",
    "rare.solidarity",
    "rare.monitor",
    "rare.api",
    "rare.reports",
    "rare.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "template_partials",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "rare.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "rare.accounts.middleware.SessionTimeoutMiddleware",
    "rare.accounts.middleware.MFARequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "rare.urls"
WSGI_APPLICATION = "rare.wsgi.application"

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
                "rare.core.context_processors.platform",
                "rare.programme.context_processors.current_programme",
                "csp.context_processors.nonce",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------
_default_db = f"sqlite:///{DATA_DIR / 'rare.sqlite3'}"
DATABASES = {"default": env.db_url("DATABASE_URL", default=_default_db)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets the web server and the task worker read while the other writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # No JIT compilation: the pages run short queries, but the EXISTS sub-queries of visibility
        # inflate the planner's cost estimates past jit_above_cost, and compiling then took about a
        # second on a list that runs in a fifth of that (see `make bench`). A DATABASE_URL with its
        # own `?options=` keeps them.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, tasks -----------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "rare",
        }
    }
else:
    # Without Redis the cache lives in files in the data directory, so that every process on this
    # machine (web workers, task workers) shares one count of sign-in attempts and used codes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }

# RARE_TASK_BACKEND: "db" (the default: tasks wait in the database, `rare worker` runs them), "rq"
# (tasks wait in Redis, `rare worker` runs RQ workers) or the dotted path of another backend.
TASK_QUEUES = ["default", "notifications"]
_TASK_BACKENDS = {"db": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}
_task_backend = env.str("RARE_TASK_BACKEND", default="db")
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS.get(_task_backend.lower(), _task_backend),
        "QUEUES": TASK_QUEUES,
    }
}
# A job running longer than this is stopped (RQ only). The notification tasks resume what a stopped
# job left (see rare.core.notifications), so this only bounds how long a stuck job holds a worker.
RARE_TASK_TIMEOUT_SECONDS = env.int("RARE_TASK_TIMEOUT_SECONDS", default=3600)
if TASKS["default"]["BACKEND"] == _TASK_BACKENDS["rq"]:
    RARE_QUEUE_URL = env.str("RARE_QUEUE_URL", default="") or REDIS_URL
    if not RARE_QUEUE_URL:
        raise config.refuse(["RARE_TASK_BACKEND=rq needs REDIS_URL or RARE_QUEUE_URL (the Redis of the task queue)."])
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_SHOW_ADMIN_LINK = False  # no queue dashboard in the admin: job arguments are nobody's business
    RQ_QUEUES = {name: {"URL": RARE_QUEUE_URL, "DEFAULT_TIMEOUT": RARE_TASK_TIMEOUT_SECONDS} for name in TASK_QUEUES}

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "website:home"
LOGOUT_REDIRECT_URL = "website:home"

ACCOUNT_ADAPTER = "rare.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "rare.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Changing the e-mail address (and, in allauth.mfa, any second factor) asks for the password again.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Members get an e-mail when their password, e-mail address or second factors change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# A password reset for an unknown address sends nothing (no mail to strangers, nothing to learn).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_RATE_LIMITS = {
    # "ip": per client address over all accounts. "key": per account *and* address (the account
    # adapter puts the address into the key; allauth alone keys it by account only), so failures
    # from one address never block the member signing in from another.
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
}
# Behind the reverse proxy the client address is the last hop it adds to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int(
    "RARE_TRUSTED_PROXY_COUNT", default=1 if env.bool("RARE_BEHIND_PROXY", default=PRODUCTION) else 0
)
MFA_ADAPTER = "rare.accounts.adapter.MFAAdapter"
# Members may add a new e-mail address while protected by MFA; it becomes their address only after
# they confirm it from that mailbox (accounts exist only by invitation, so no stranger can pre-claim one).
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "RARE"
# A code is valid for its own 30-second step only, and a code used once is refused (allauth checks
# the cache; our forms also record the last step per authenticator in the database).
MFA_TOTP_TOLERANCE = 0
MFA_FORMS = {
    "authenticate": "rare.accounts.forms.AuthenticateForm",
    "reauthenticate": "rare.accounts.forms.ReauthenticateForm",
}
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
# Programme team accounts may be held to passkeys and security keys only (no authenticator app).
RARE_TEAM_WEBAUTHN_ONLY = env.bool("RARE_TEAM_WEBAUTHN_ONLY", default=False)
# A sign-in from a device and network not seen for this many days e-mails the member.
RARE_NEW_DEVICE_DAYS = env.int("RARE_NEW_DEVICE_DAYS", default=90)

# --- Sessions and cookies ---------------------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.cache" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("RARE_SESSION_IDLE_MINUTES", default=30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env.int("RARE_SESSION_ABSOLUTE_HOURS", default=12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = env.bool("RARE_SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Transport and headers --------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("RARE_SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("RARE_BEHIND_PROXY", default=PRODUCTION) else None
)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("RARE_HSTS_SECONDS", default=63072000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": browsers send `Origin: null` on POST under no-referrer, which
# fails Django's CSRF origin check; other hosts still never receive a referrer.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Nothing is loaded from another host; the only exception is a testimonial video, framed from
# youtube-nocookie.com after the visitor clicks its preview.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-src": ["https://www.youtube-nocookie.com"],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German")), ("hu", _("Hungarian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("RARE_TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("RARE_STATIC_ROOT", default=str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Uploads live outside the web root and are served only through views that check access.
        "OPTIONS": {"location": str(Path(env.str("RARE_MEDIA_ROOT", default=str(DATA_DIR / "media"))))},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
RARE_MAX_UPLOAD_BYTES = env.int("RARE_MAX_UPLOAD_MB", default=20) * 1024 * 1024
# Uploads up to the limit stay in memory until they are stored (encrypted, for confidential ones), so no
# plaintext copy is ever written to a temporary directory.
FILE_UPLOAD_MAX_MEMORY_SIZE = RARE_MAX_UPLOAD_BYTES

# --- Email ------------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="RARE <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Programme --------------------------------------------------------------------------------
RARE_DEMO_PASSWORD = env.str("RARE_DEMO_PASSWORD", default="rare-demo-2021")
RARE_INVITATION_DAYS = env.int("RARE_INVITATION_DAYS", default=7)
RARE_AUDIT_RETENTION_DAYS = env.int("RARE_AUDIT_RETENTION_DAYS", default=365)
# Notifications: how long a sender holds a claimed email before another may take it over, and how
# often the sweep restarts what a stopped worker left behind (see rare.core.notifications).
RARE_NOTIFY_LEASE_SECONDS = env.int("RARE_NOTIFY_LEASE_SECONDS", default=120)
RARE_NOTIFY_SWEEP_SECONDS = env.int("RARE_NOTIFY_SWEEP_SECONDS", default=60)
# Where "Quick exit" finally lands: empty = our own neutral page at /leave/; or a neutral public site.
RARE_QUICK_EXIT_URL = env.str("RARE_QUICK_EXIT_URL", default="")

# --- API --------------------------------------------------------------------------------------
# Requests a minute: per token, and per client address for calls without a token.
RARE_API_RATE_TOKEN = env.int("RARE_API_RATE_TOKEN", default=600)
RARE_API_RATE_ANONYMOUS = env.int("RARE_API_RATE_ANONYMOUS", default=60)
# The client address behind the reverse proxy, for the anonymous rate limit (as for sign-in throttling).
NINJA_NUM_PROXIES = ALLAUTH_TRUSTED_PROXY_COUNT

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("RARE_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request logs would hold addresses and paths of people at risk: warnings and errors only.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

if PRODUCTION:
    problems = config.production_problems(
        debug=DEBUG,
        secret_key=SECRET_KEY,
        encryption_keys=RARE_ENCRYPTION_KEYS,
        allowed_hosts=ALLOWED_HOSTS,
        secure_cookies=SECURE_COOKIES,
        ssl_redirect=SECURE_SSL_REDIRECT,
        hsts_seconds=SECURE_HSTS_SECONDS,
    )
    if problems:
        raise config.refuse(problems)

# The admin lives under a path of its own so that it is not where scanners look first.
RARE_ADMIN_PATH = env.str("RARE_ADMIN_PATH", default="manage").strip("/")
# Outside production the static files are served straight from the apps (no collectstatic step).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
