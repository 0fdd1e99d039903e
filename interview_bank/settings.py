"""Django settings for Interview Bank, read from the environment (12-factor).

Every value has a safe local default so `make run` works with nothing set;
production sets DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG=false,
ALLOWED_HOSTS and EMAIL_URL (see .env.example).
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # local state: SQLite file, embedded broker, beat schedule

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
# Another place for the local state (bin/run's test keeps it in a temporary directory).
VAR_DIR = Path(env.str("VAR_DIR", default=str(VAR_DIR))).resolve()

DEBUG = env.bool("DEBUG", default=False)
# The default key is only good for a laptop; `check --deploy` flags it (W009).
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-development-only-never-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # First, so its registration/ templates (login, password reset) win over the admin's.
    "web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "questions",
    "interviews",
    "reviews",
    "hiring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Browser hardening headers on every response (CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # ETag from the response body and 304 on If-None-Match / If-Modified-Since,
    # so API clients can cache question lists and details.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "interview_bank.urls"
WSGI_APPLICATION = "interview_bank.wsgi.application"
ASGI_APPLICATION = "interview_bank.asgi.application"

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

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests without "database is locked": WAL lets readers run
    # beside the writer, IMMEDIATE takes the write lock up front (no upgrade
    # deadlock), and writers wait up to `timeout` seconds for it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # Off by default: the check is a `SELECT 1` round trip before each
    # request's first query, a quarter of a cached read. Without it a
    # connection that broke while idle (a database restart or failover)
    # fails the one request that meets it, and Django then discards it.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DB_CONN_HEALTH_CHECKS", default=False)
    # Behind PgBouncer in transaction pooling, a server-side cursor (any `.iterator()`)
    # does not survive its transaction: set it true there.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DB_DISABLE_SERVER_SIDE_CURSORS", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and broker -----------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # Redis down degrades caching instead of failing requests:
                # errors are logged and treated as misses. Throttles bypass
                # this and count in process memory meanwhile (interview_bank/throttling.py).
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker of `make run`: messages are files in var/broker,
    # shared by the web process, the worker and beat on one machine.
    _broker_dir = Path(env.str("CELERY_FILESYSTEM_BROKER_DIR", default=str(VAR_DIR / "broker")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir.parent / f"{_broker_dir.name}-processed"),
        "store_processed": False,
        # Exchange tables; kombu's default is ./control, in whatever directory the process started.
        "control_folder": str(_broker_dir.parent / f"{_broker_dir.name}-control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message a dead worker held comes back after this many seconds.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # How often (seconds, and every Nth sweep) workers look for such messages.
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
        # The lock around that sweep outlives a worker killed while holding it by this long.
        "unacked_mutex_expire": env.int("CELERY_UNACKED_MUTEX_EXPIRE", default=300),
    }
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing gives up quickly when the broker is down: callers log and the
# periodic tasks catch up later (SPEC §7), instead of hanging requests.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0.2,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "expire-abandoned-sessions": {"task": "interviews.expire_sessions", "schedule": 60.0},
    # How often beat looks for users due a reminder (the scale-out test ticks every few seconds).
    "dispatch-review-reminders": {
        "task": "reviews.dispatch_reminders",
        "schedule": env.float("REMINDER_DISPATCH_SECONDS", default=300.0),
    },
}
# Invitation emails still pending in the outbox (broker down at creation, failed sends).
CELERY_BEAT_SCHEDULE["drain-invitation-outbox"] = {"task": "hiring.drain_invitation_outbox", "schedule": 60.0}

# --- Auth -----------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Kept so hashes made by older settings still verify and get upgraded.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # Refuses logins for a locked-out (username, address) before checking the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing: after this many failures for one username from one
# address, logins for that pair are refused for the cool-off time. Keyed on
# both, so a classroom behind one address is not locked out by one student,
# and an attacker cannot lock a user out from elsewhere.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out_response"
AXES_VERBOSE = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
# A password reset link works for this long.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 3)

# --- Email ----------------------------------------------------------------
# EMAIL_URL: consolemail:// (default), filemail:///path, smtp+tls://user:pass@host:587 ...
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# A backend class by name (used by the reliability tests' slow backend).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=vars()["EMAIL_BACKEND"])
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=vars().get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Interview Bank <no-reply@localhost>")
# Where `make run` (bin/run) serves; the links in emails follow it unless SITE_URL says otherwise.
HOST = env.str("HOST", default="127.0.0.1")
PORT = env.int("PORT", default=8000)


def _site_url(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - a bind-all address is no place to link to
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


# Unset or empty: derived from HOST and PORT.
SITE_URL = (env.str("SITE_URL", default="") or _site_url(HOST, PORT)).rstrip("/")

# --- I18N, static ---------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- API ------------------------------------------------------------------
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=100)
# Bank reads (question lists, details, categories) are cached per bank version
# (questions/api/caching.py): this many bytes per process in front of the
# shared cache, and this long in the shared cache (old versions age out).
BANK_READ_CACHE_LOCAL_BYTES = env.int("BANK_READ_CACHE_LOCAL_BYTES", default=64 * 2**20)
BANK_READ_CACHE_TIMEOUT = env.int("BANK_READ_CACHE_TIMEOUT", default=3600)
# How long an API token's user and role stay in the shared cache (accounts/token_cache.py);
# changes announce themselves sooner. 0 reads them from the database on every request.
AUTH_TOKEN_CACHE_SECONDS = env.int("AUTH_TOKEN_CACHE_SECONDS", default=300)
REST_FRAMEWORK = {
    # Token first, so anonymous requests get 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "interview_bank.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies only (what the schema publishes and clients send), nested at
    # most 64 levels deep: a deeper body is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": ["interview_bank.parsers.DepthLimitedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "questions.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "interview_bank.schema.AutoSchema",
    # DRF's throttles over a cache that falls back to process memory while
    # Redis is down, so they still limit then (interview_bank/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "interview_bank.throttling.AnonRateThrottle",
        "interview_bank.throttling.UserRateThrottle",
        "interview_bank.throttling.ScopedRateThrottle",
    ],
    # Defaults sized so a classroom behind one NAT address does not hit them.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="600/min"),
        "user": env.str("THROTTLE_USER", default="300/min"),
        "auth": env.str("THROTTLE_AUTH", default="120/min"),
        # Integrity events from the candidate's page, per user: a page sends a
        # few a minute; a script sending more is refused.
        "integrity": env.str("THROTTLE_INTEGRITY", default="120/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "interview_bank.exceptions.exception_handler",
}
FSRS_DESIRED_RETENTION = env.float("FSRS_DESIRED_RETENTION", default=0.9)
FSRS_ENABLE_FUZZING = env.bool("FSRS_ENABLE_FUZZING", default=True)
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=500)
REVIEWS_URL = env.str("REVIEWS_URL", default="") or f"{SITE_URL}/reviews/"
SESSION_MAX_QUESTIONS = env.int("SESSION_MAX_QUESTIONS", default=50)
SESSION_MAX_MINUTES = env.int("SESSION_MAX_MINUTES", default=600)
ANSWER_MAX_CHARS = env.int("ANSWER_MAX_CHARS", default=20_000)
# Request bodies are capped (SPEC §7); Django answers 400 above this.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)

SPECTACULAR_SETTINGS = {
    "TITLE": "Interview Bank API",
    "DESCRIPTION": "Question bank, timed mock interviews and spaced repetition for back-end "
    "engineering interviews. Authenticate with `Authorization: Token <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "QuestionStatusEnum": "questions.models.Question.Status",
        "DifficultyEnum": "questions.models.Question.Difficulty",
        "SessionStatusEnum": "interviews.models.InterviewSession.Status",
    },
}

# --- Browser hardening: Content-Security-Policy and Permissions-Policy ------
# Pages load scripts, styles and images only from this origin, with no inline
# script, handler or style (web/static holds them all); nothing may frame them.
# Swagger UI widens style-src and img-src for its own view (interview_bank/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# Browser features the product never uses are denied to every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "bluetooth", "camera", "display-capture", "encrypted-media",
        "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi",
        "payment", "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

# --- Production hardening (active when DEBUG is off) ------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # django.request already logs every 4xx/5xx (with the traceback of a 5xx);
    # the development server's access line for it would be the same event twice.
    "filters": {"successes_only": {"()": "interview_bank.logs.BelowStatus", "status": 400}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "filters": ["successes_only"], "propagate": False},
    },
}
