"""Django settings. Values come from :mod:`sscard.config`; this file only arranges them."""

from __future__ import annotations

import base64
import datetime
import ipaddress
import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from sscard import config

BASE_DIR = config.BASE_DIR
VAR_DIR = config.VAR_DIR
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = config.DEBUG
SSCARD_DEMO = config.DEMO_MODE
SSCARD_PRODUCTION = config.PRODUCTION
# Production refuses demo doors and weak keys before anything else loads (SECURITY.md, "Production").
_refusals = config.production_refusals(
    production=config.PRODUCTION, demo=config.DEMO_MODE, debug=config.DEBUG,
    card_maker_simulator=config.CARD_MAKER_SIMULATOR, secret_key=config.SECRET_KEY,
)
if _refusals:
    raise ImproperlyConfigured("\n".join(_refusals))
SECRET_KEY = config.SECRET_KEY or config.dev_secret("SECRET_KEY")
ALLOWED_HOSTS = config.ALLOWED_HOSTS + (["testserver"] if not config.PRODUCTION else [])
CSRF_TRUSTED_ORIGINS = config.CSRF_TRUSTED_ORIGINS

FIELD_ENCRYPTION_KEYS = config.FIELD_ENCRYPTION_KEYS or "k1:" + config.dev_secret(
    "FIELD_ENCRYPTION_KEY", lambda: base64.b64encode(os.urandom(32)).decode()
)
LOOKUP_HMAC_KEY = config.LOOKUP_HMAC_KEY or config.dev_secret("LOOKUP_HMAC_KEY")

INSTALLED_APPS = [
    "sscard.staff.admin_config.StaffAdminConfig",  # the Django admin, for administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs page's assets locally (no CDN)
    "django_tasks",
    "django_tasks_db",
    "sscard.common",  # the shared store for rate limits and nonces
    "sscard.accounts",
    "sscard.registry",
    "sscard.workdays",
    "sscard.delivery",
    "sscard.applications",
    "sscard.cards",
    "sscard.notifications",
    "sscard.scheduling",
    "sscard.review",
    "sscard.production",
    "sscard.logistics",
    "sscard.demo",
    "sscard.api",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "sscard.audit",
    "sscard.staff",
    "sscard.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",  # after whitenoise: static files need no policy
    "sscard.common.security.NoStoreMiddleware",  # pages of a signed-in person are never cached
    "sscard.common.error_pages.ErrorPageMiddleware",  # early: sees every response on its way out
    "sscard.common.outage.DatabaseOutageMiddleware",  # a view's lost database connection → the Chinese 503
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sscard.staff.middleware.StaffIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sscard.accounts.web.CitizenMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout flagged by the sign-in into the Chinese page
]

ROOT_URLCONF = "sscard.urls"
CSRF_FAILURE_VIEW = "sscard.common.error_pages.csrf_failure"  # the Chinese "page expired" page
WSGI_APPLICATION = "sscard.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "sscard" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sscard.accounts.web.citizen_context",
            ],
        },
    }
]

if config.DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(config.DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "sscard.sqlite3",
            # WAL lets the web server read while the worker writes; IMMEDIATE makes a write transaction
            # take its lock at BEGIN, so two writers queue instead of failing half-way (SQLITE_BUSY).
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if config.REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": config.REDIS_URL}}
else:  # only for what may differ between workers (cached tables); limits and nonces are in SHARED_STORE
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate limits and API nonces (sscard.common.sharedstore): Redis when set, else (and when it is down) the database.
SHARED_STORE_REDIS_URL = config.REDIS_URL
# The client address (sscard.common.clientaddr): X-Forwarded-For is read only from these proxies.
TRUSTED_PROXIES = [str(ipaddress.ip_network(entry, strict=False)) for entry in config.TRUSTED_PROXIES]
TRUSTED_PROXY_COUNT = config.TRUSTED_PROXY_COUNT

TASKS = {"default": {"BACKEND": config.TASKS_BACKEND}}
TASK_QUEUE_MAX_AGE = config.TASK_QUEUE_MAX_AGE
TASK_WORKER_LEASE = config.TASK_WORKER_LEASE
TASK_MAX_ATTEMPTS = config.TASK_MAX_ATTEMPTS
HEALTHZ_STORAGE_CACHE_SECONDS = config.HEALTHZ_STORAGE_CACHE_SECONDS

MEDIA_ROOT = config.MEDIA_ROOT or str(VAR_DIR / "media")
if config.STORAGE_BACKEND == "s3":  # pragma: no cover - needs django-storages[s3] installed by the operator
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": config.S3_BUCKET, "endpoint_url": config.S3_ENDPOINT_URL or None},
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "src" / "sscard" / "static"]

LANGUAGE_CODE = config.LANGUAGE_CODE
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "src" / "sscard" / "locale"]
TIME_ZONE = config.TIME_ZONE
USE_I18N = True
USE_TZ = True

SMS_PROVIDERS = config.SMS_PROVIDERS
SMS_SIGN_NAME = config.SMS_SIGN_NAME
SMS_TENCENT = {
    "secret_id": config.SMS_TENCENT_SECRET_ID,
    "secret_key": config.SMS_TENCENT_SECRET_KEY,
    "sdk_app_id": config.SMS_TENCENT_SDK_APP_ID,
    "region": config.SMS_TENCENT_REGION,
    "endpoint": config.SMS_TENCENT_ENDPOINT,
}
SMS_ALIYUN = {
    "access_key_id": config.SMS_ALIYUN_ACCESS_KEY_ID,
    "access_key_secret": config.SMS_ALIYUN_ACCESS_KEY_SECRET,
    "endpoint": config.SMS_ALIYUN_ENDPOINT,
}
SMS_PROVIDER_TIMEOUT = config.SMS_PROVIDER_TIMEOUT
SMS_PROVIDER_COOLDOWN = config.SMS_PROVIDER_COOLDOWN
SMS_MAX_ATTEMPTS = config.SMS_MAX_ATTEMPTS
SMS_RETRY_BASE_SECONDS = config.SMS_RETRY_BASE_SECONDS
SMS_RETRY_MAX_SECONDS = config.SMS_RETRY_MAX_SECONDS
SMS_STUCK_AFTER = config.SMS_STUCK_AFTER
DRAFT_RETENTION_DAYS = config.DRAFT_RETENTION_DAYS
REVIEW_CLAIM_IDLE_MINUTES = config.REVIEW_CLAIM_IDLE_MINUTES
REVIEW_AUTO_REVIEW_WAIT = config.REVIEW_AUTO_REVIEW_WAIT
REVIEW_OVERDUE_WORKING_DAYS = config.REVIEW_OVERDUE_WORKING_DAYS
REVIEW_APOLOGY_WORKING_DAYS = config.REVIEW_APOLOGY_WORKING_DAYS
# Production: the folder shared with the card maker, and the demo card maker (docs/production.md).
PRODUCTION_EXCHANGE_DIR = config.PRODUCTION_EXCHANGE_DIR or str(VAR_DIR / "production")
CARD_MAKER_SIMULATOR = config.CARD_MAKER_SIMULATOR
PRODUCTION_EXPORT_EVERY = 180  # seconds between the demo's scheduled exports
PRODUCTION_BATCH_LIMIT = 500  # applications in one scheduled batch
CARD_LOCK_AFTER_DAYS = config.CARD_LOCK_AFTER_DAYS
CARD_TEMPORARY_LOSS_DAYS = config.CARD_TEMPORARY_LOSS_DAYS
CARD_PIN_MAX_FAILURES = config.CARD_PIN_MAX_FAILURES
COURIER_WEBHOOK_SECRET = config.COURIER_WEBHOOK_SECRET
CARD_COLLECTION_REMINDER_DAYS = sorted(int(day) for day in config.CARD_COLLECTION_REMINDER_DAYS)
CARD_UNCLAIMED_RETURN_DAYS = config.CARD_UNCLAIMED_RETURN_DAYS
SMS_LOGIN_CODE_TTL = config.SMS_LOGIN_CODE_TTL
SMS_DAILY_CAP_PER_PHONE = config.SMS_DAILY_CAP_PER_PHONE
SMS_QUIET_HOURS = config.SMS_QUIET_HOURS
SMS_RECEIPT_SECRET = config.SMS_RECEIPT_SECRET
SMS_RECEIPT_ALLOWED_IPS = config.SMS_RECEIPT_ALLOWED_IPS
REALNAME_ATTEMPTS_PER_ACCOUNT = config.REALNAME_ATTEMPTS_PER_ACCOUNT  # per hour
REALNAME_ATTEMPTS_PER_ADDRESS = config.REALNAME_ATTEMPTS_PER_ADDRESS  # per hour

LOGIN_URL = "/staff/login/"
LOGIN_REDIRECT_URL = "/staff/"

# Staff sign-in: password (validated when set), then a TOTP second factor (django-otp); repeated failures
# lock the username at that address (django-axes); a staff session ends after a spell without requests.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "中山社保卡业务后台"
STAFF_IDLE_TIMEOUT = datetime.timedelta(minutes=config.STAFF_IDLE_MINUTES)
AXES_FAILURE_LIMIT = config.STAFF_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = datetime.timedelta(minutes=config.STAFF_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "sscard.common.clientaddr.client_address"  # the same address as every limit
AXES_LOCKOUT_CALLABLE = "sscard.staff.views.locked_out"
AXES_ENABLE_ADMIN = False  # the Chinese admin for locks is sscard.staff.admin
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "token"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = config.PRODUCTION
CSRF_COOKIE_SECURE = config.PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Transport (production only; SECURITY.md): HTTPS everywhere, remembered by the browser for a year.
# No HSTS preload: that is a commitment to the browsers' list the bureau makes, not a setting.
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if config.PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = config.PRODUCTION
SECURE_SSL_REDIRECT = config.PRODUCTION
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe may speak plain HTTP on the inside
if config.SECURE_PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + config.SECURE_PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere. The API docs page
# (Swagger UI, served locally by ninja) works under the same policy: its settings are a JSON data block.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One handler, on the root logger, through the masking filter: every record of ours, Django's
    # (``django.request`` logs each 500 with its traceback) and any library's reaches stderr once, with ID
    # numbers and mobile numbers masked in the message, the arguments and the traceback.
    "filters": {"mask_personal_data": {"()": "sscard.common.logmask.MaskPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["mask_personal_data"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "sscard": {"handlers": [], "level": config.LOG_LEVEL, "propagate": True},
        # Django's default handlers (console only under DEBUG, mail to ADMINS) would bypass the mask: removed,
        # so its records go to the root handler like every other.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
