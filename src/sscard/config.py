"""The one place that reads the environment.

Every variable the service understands is declared here once, with its default, its cast and a
one-line help text. Settings import the values from this module; nothing else calls ``os.environ``.
``sscard env-example`` writes ``.env.example`` from these declarations, and a test keeps the
committed file in step with them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent.parent
"""The repository (or installation) root: the folder holding ``pyproject.toml``."""


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    help: str
    cast: Callable[[str], Any]
    secret: bool = False


REGISTRY: dict[str, Variable] = {}


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {raw!r}")


def _list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


CASTS: dict[type, Callable[[str], Any]] = {bool: _bool, int: int, float: float, str: str, list: _list}


def env(
    name: str, default: Any, help: str, cast: type = str, secret: bool = False, shown: str | None = None
) -> Any:
    """Declare a variable and return its value from the environment (or the default).

    ``shown`` is how .env.example writes a default that depends on where the code is installed.
    """
    default_text = ",".join(default) if isinstance(default, list) else str(default)
    if isinstance(default, bool):
        default_text = "true" if default else "false"
    if shown is not None:
        default_text = shown
    caster = CASTS[cast]
    REGISTRY[name] = Variable(name, default_text, help, caster, secret)
    raw = os.environ.get(name)
    if raw is None:
        return default if not isinstance(default, str) or cast is str else caster(default)
    try:
        return caster(raw)
    except ValueError as exc:  # a typo in the environment must stop start-up loudly and clearly
        raise SystemExit(f"Environment variable {name}={raw!r} is invalid: {exc}") from exc


# --- runtime mode -------------------------------------------------------------------------------
DEBUG = env("DEBUG", False, "Django debug pages. Never true in production.", bool)
DEMO_MODE = env(
    "SSCARD_DEMO", False, "Demo mode: console SMS inbox at /dev/sms and demo logins on the sign-in page.", bool
)
PRODUCTION = env(
    "SSCARD_PRODUCTION", False, "Production mode: SECRET_KEY and FIELD_ENCRYPTION_KEYS must be set.", bool
)
VAR_DIR = Path(
    env("SSCARD_VAR_DIR", str(BASE_DIR / "var"), "Folder for the SQLite database, uploads and dev secrets.",
        shown="./var")
)

# --- secrets -------------------------------------------------------------------------------------
SECRET_KEY = env(
    "SECRET_KEY",
    "",
    "Django secret key. Required in production; in development one is generated into ./var/.",
    secret=True,
)
FIELD_ENCRYPTION_KEYS = env(
    "FIELD_ENCRYPTION_KEYS",
    "",
    "Personal-data keys: comma-separated 'id:base64key' (32-byte AES keys); the first encrypts, all decrypt.",
    secret=True,
)
LOOKUP_HMAC_KEY = env(
    "LOOKUP_HMAC_KEY",
    "",
    "Key for the keyed HMAC used to look up ID numbers and phones. Never rotate without re-indexing.",
    secret=True,
)

# --- web -----------------------------------------------------------------------------------------
ALLOWED_HOSTS = env("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"], "Host names served.", list)
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS", [], "Origins trusted for CSRF (https://…).", list)
PORT = env("PORT", 8000, "Port for `make run` / `sscard serve`.", int)
WEB_WORKERS = env("WEB_WORKERS", 2, "gunicorn worker processes for `sscard serve`.", int)
BIND_HOST = env(
    "SSCARD_BIND", "127.0.0.1",
    "Address `sscard serve` listens on; 127.0.0.1 keeps it off the network (0.0.0.0 behind a proxy or in a container).",
)
HEALTHZ_STORAGE_CACHE_SECONDS = env(
    "HEALTHZ_STORAGE_CACHE_SECONDS", 30, "Seconds /healthz reuses its last storage write test (per web process).", int
)
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai", "Time zone for dates shown and working-day arithmetic.")
LANGUAGE_CODE = env("LANGUAGE_CODE", "zh-hans", "Language of every page citizens and staff read.")

SECURE_PROXY_SSL_HEADER = env(
    "SECURE_PROXY_SSL_HEADER", "",
    "Header the TLS-terminating proxy sets to 'https' (e.g. X-Forwarded-Proto); empty: trust only the connection. "
    "Production redirects plain HTTP to HTTPS, so behind such a proxy this must be set (and the proxy must overwrite it).",
)

# --- staff sign-in -------------------------------------------------------------------------------
STAFF_IDLE_MINUTES = env(
    "STAFF_IDLE_MINUTES", 15, "Minutes without a request after which a staff member is signed out.", int
)
STAFF_LOCKOUT_FAILURES = env(
    "STAFF_LOCKOUT_FAILURES", 5,
    "Failed staff sign-ins (password or second factor) from one address for one username before it is locked.", int,
)
STAFF_LOCKOUT_MINUTES = env(
    "STAFF_LOCKOUT_MINUTES", 30, "Minutes a locked staff sign-in stays locked (an administrator can lift it).", int
)

# --- citizen real-name binding -------------------------------------------------------------------
REALNAME_ATTEMPTS_PER_ACCOUNT = env(
    "REALNAME_ATTEMPTS_PER_ACCOUNT", 5,
    "Real-name binding attempts (name + ID number checked) one citizen account may make per hour.", int,
)
REALNAME_ATTEMPTS_PER_ADDRESS = env(
    "REALNAME_ATTEMPTS_PER_ADDRESS", 20,
    "Real-name binding attempts from one client address per hour, whatever the account.", int,
)

# --- data ----------------------------------------------------------------------------------------
DATABASE_URL = env(
    "DATABASE_URL", "", "PostgreSQL URL (postgres://…); empty selects SQLite at ./var/sscard.sqlite3."
)
REDIS_URL = env(
    "REDIS_URL", "",
    "Redis URL for rate limits, API nonces and the cache; empty (or Redis down): limits and nonces in the database.",
)
TRUSTED_PROXIES = env(
    "SSCARD_TRUSTED_PROXIES", [],
    "Addresses/networks of our own proxies (load balancer); only requests from them have X-Forwarded-For read.",
    list,
)
TRUSTED_PROXY_COUNT = env(
    "SSCARD_TRUSTED_PROXY_COUNT", 0,
    "Instead of SSCARD_TRUSTED_PROXIES: how many proxies always stand in front of the service (0: none).", int,
)
STORAGE_BACKEND = env(
    "STORAGE_BACKEND", "filesystem", "Where uploads live: 'filesystem' (./var/media) or 's3'."
)
MEDIA_ROOT = env("MEDIA_ROOT", "", "Folder for private uploads with the filesystem backend (default ./var/media).")
S3_BUCKET = env("S3_BUCKET", "", "Bucket for uploads when STORAGE_BACKEND=s3.")
DRAFT_RETENTION_DAYS = env(
    "DRAFT_RETENTION_DAYS", 30,
    "Days an unsubmitted draft is kept after its last change; then `sscard purge-drafts` withdraws it and deletes its photos.",
    int,
)
S3_ENDPOINT_URL = env("S3_ENDPOINT_URL", "", "S3-compatible endpoint when STORAGE_BACKEND=s3.")

# --- work off the request ------------------------------------------------------------------------
TASKS_BACKEND = env(
    "TASKS_BACKEND",
    "django_tasks_db.DatabaseBackend",
    "Django Tasks backend; the database backend needs `sscard worker` running.",
)
TASK_QUEUE_MAX_AGE = env(
    "TASK_QUEUE_MAX_AGE", 600, "Seconds the oldest waiting task may wait before /healthz reports 503.", int
)
TASK_WORKER_LEASE = env(
    "TASK_WORKER_LEASE", 60,
    "Seconds without a heartbeat after which a task worker counts as dead and its running task goes back to the queue.",
    int,
)
TASK_MAX_ATTEMPTS = env(
    "TASK_MAX_ATTEMPTS", 3, "Times a task may be started (its worker dying each time) before it is marked failed.", int
)

# --- photo checks --------------------------------------------------------------------------------
PHOTO_ALLOW_RELIGIOUS_HEAD_COVERING = env(
    "SSCARD_PHOTO_ALLOW_RELIGIOUS_HEAD_COVERING", False,
    "The bureau accepts head coverings worn for religious or medical reasons: the portrait check still "
    "reports a covering, and its message says such coverings are allowed with the whole face showing.", bool,
)
ID_OCR = env(
    "SSCARD_ID_OCR", "rapidocr",
    "Engine that reads the ID card photos (name, number, validity): rapidocr (models inside the package, "
    "no download), another engine registered with photos.idcard_reading.register_reader, or off.",
)

# --- review --------------------------------------------------------------------------------------
REVIEW_CLAIM_IDLE_MINUTES = env(
    "REVIEW_CLAIM_IDLE_MINUTES", 30,
    "Minutes a reviewer's claim on an application lasts without activity; then another reviewer may take it.", int,
)
REVIEW_AUTO_REVIEW_WAIT = env(
    "REVIEW_AUTO_REVIEW_WAIT", 300,
    "Seconds a new submission waits for the automatic check; after that `sscard review-sweep` re-queues the check "
    "and reviewers may take it.", int,
)
REVIEW_OVERDUE_WORKING_DAYS = env(
    "REVIEW_OVERDUE_WORKING_DAYS", 5,
    "Working days after submission without a decision before an application is overdue (`sscard review-overdue`).",
    int,
)
REVIEW_APOLOGY_WORKING_DAYS = env(
    "REVIEW_APOLOGY_WORKING_DAYS", 2,
    "Working days after the day it is found overdue: the new date promised in the apology SMS.", int,
)

# --- cards ---------------------------------------------------------------------------------------
CARD_LOCK_AFTER_DAYS = env(
    "CARD_LOCK_AFTER_DAYS", 183,
    "Days after delivery or collection within which a card must be activated; then the daily job locks it "
    "(SMS warnings 30 and 7 days before) and only a counter unlocks it.", int,
)
CARD_TEMPORARY_LOSS_DAYS = env(
    "CARD_TEMPORARY_LOSS_DAYS", 7,
    "Days a temporary loss report （临时挂失） lasts; then the daily job lifts it unless it was made formal.", int,
)
CARD_PIN_MAX_FAILURES = env(
    "CARD_PIN_MAX_FAILURES", 6,
    "Wrong service-PIN entries in a row before the PIN (not the card) is locked until an SMS-code reset.", int,
)

# --- logistics -----------------------------------------------------------------------------------
COURIER_WEBHOOK_SECRET = env(
    "COURIER_WEBHOOK_SECRET", "",
    "Shared secret for the courier's status webhook (HMAC-SHA256, docs/logistics.md); empty refuses every call.",
    secret=True,
)
CARD_COLLECTION_REMINDER_DAYS = env(
    "CARD_COLLECTION_REMINDER_DAYS", ["30", "90"],
    "Days after a card reaches the branch on which an uncollected card's holder gets a reminder SMS.", list,
)
CARD_UNCLAIMED_RETURN_DAYS = env(
    "CARD_UNCLAIMED_RETURN_DAYS", 365,
    "Days a card waits at the branch; then it is returned and sealed （逾期封存） and the holder must go to a counter.",
    int,
)

# --- notifications -------------------------------------------------------------------------------
SMS_PROVIDERS = env(
    "SMS_PROVIDERS", ["console"], "SMS providers in priority order, optionally weighted: console, tencent:3, aliyun:1.", list
)
SMS_SIGN_NAME = env("SMS_SIGN_NAME", "中山人社", "SMS signature shown as 【…】 on every message.")
SMS_TENCENT_SECRET_ID = env("SMS_TENCENT_SECRET_ID", "", "Tencent Cloud SMS SecretId.", secret=True)
SMS_TENCENT_SECRET_KEY = env("SMS_TENCENT_SECRET_KEY", "", "Tencent Cloud SMS SecretKey.", secret=True)
SMS_TENCENT_SDK_APP_ID = env("SMS_TENCENT_SDK_APP_ID", "", "Tencent Cloud SMS SdkAppId (from the SMS console).")
SMS_TENCENT_REGION = env("SMS_TENCENT_REGION", "ap-guangzhou", "Tencent Cloud SMS region.")
SMS_TENCENT_ENDPOINT = env(
    "SMS_TENCENT_ENDPOINT", "sms.tencentcloudapi.com", "Tencent SMS API host; 'http://host:port' for a local test server."
)
SMS_ALIYUN_ACCESS_KEY_ID = env("SMS_ALIYUN_ACCESS_KEY_ID", "", "Alibaba Cloud SMS AccessKey ID.", secret=True)
SMS_ALIYUN_ACCESS_KEY_SECRET = env(
    "SMS_ALIYUN_ACCESS_KEY_SECRET", "", "Alibaba Cloud SMS AccessKey secret.", secret=True
)
SMS_ALIYUN_ENDPOINT = env(
    "SMS_ALIYUN_ENDPOINT", "dysmsapi.aliyuncs.com", "Aliyun SMS API host; 'http://host:port' for a local test server."
)
SMS_PROVIDER_TIMEOUT = env("SMS_PROVIDER_TIMEOUT", 10, "Seconds to wait for an SMS provider before giving up.", int)
SMS_PROVIDER_COOLDOWN = env(
    "SMS_PROVIDER_COOLDOWN", 60, "Seconds a provider that keeps failing is demoted before it is tried again.", int
)
SMS_MAX_ATTEMPTS = env("SMS_MAX_ATTEMPTS", 6, "Send attempts per SMS before it ends as failed.", int)
SMS_RETRY_BASE_SECONDS = env("SMS_RETRY_BASE_SECONDS", 30, "First retry delay; doubles per attempt.", int)
SMS_RETRY_MAX_SECONDS = env("SMS_RETRY_MAX_SECONDS", 1800, "Longest delay between two attempts.", int)
SMS_STUCK_AFTER = env(
    "SMS_STUCK_AFTER", 300, "Seconds after which the sweeper re-queues an SMS stuck in queued or sending.", int
)
SMS_LOGIN_CODE_TTL = env("SMS_LOGIN_CODE_TTL", 300, "Seconds a sign-in code SMS may still be sent.", int)
SMS_DAILY_CAP_PER_PHONE = env("SMS_DAILY_CAP_PER_PHONE", 20, "Most SMS one phone number receives per day.", int)
SMS_QUIET_HOURS = env(
    "SMS_QUIET_HOURS", "21:00-08:00", "Local hours when non-urgent SMS wait (empty: no quiet hours)."
)
SMS_RECEIPT_SECRET = env(
    "SMS_RECEIPT_SECRET", "", "Shared token in delivery-receipt webhook URLs (?token=…); empty refuses receipts.",
    secret=True,
)
SMS_RECEIPT_ALLOWED_IPS = env(
    "SMS_RECEIPT_ALLOWED_IPS", [], "Addresses/networks allowed to post delivery receipts (empty: any).", list
)

# --- production ----------------------------------------------------------------------------------
PRODUCTION_EXCHANGE_DIR = env(
    "PRODUCTION_EXCHANGE_DIR", "",
    "Folder shared with the card maker (to_maker/ batches, from_maker/ results; docs/production.md); "
    "empty: ./var/production.",
)
_CARD_MAKER_SIMULATOR = env(
    "CARD_MAKER_SIMULATOR", "auto",
    "Demo card maker: scheduled jobs export batches, answer them in the exchange folder and import the results "
    "(and any demo automation of logistics): auto (on in demo mode only), true or false.",
)
try:
    CARD_MAKER_SIMULATOR = DEMO_MODE if _CARD_MAKER_SIMULATOR.strip().lower() == "auto" else _bool(_CARD_MAKER_SIMULATOR)
except ValueError as exc:
    raise SystemExit(f"Environment variable CARD_MAKER_SIMULATOR={_CARD_MAKER_SIMULATOR!r} is invalid: {exc}") from exc

# --- test data ---------------------------------------------------------------------------------
SHARED_DIR = Path(
    env(
        "SSCARD_SHARED_DIR",
        str(BASE_DIR.parent / "shared"),
        "Shared test data (photos) read by tests and benchmarks; never copied into the repository.",
        shown="../shared",
    )
)

# --- logging -------------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO", "Log level for the sscard loggers.")


def dev_secret(name: str, make: Callable[[], str] = lambda: secrets.token_urlsafe(32)) -> str:
    """A secret generated once into ./var/ for development; never used in production mode."""
    if PRODUCTION:
        raise SystemExit(f"{name} must be set in production mode (SSCARD_PRODUCTION=true).")
    path = VAR_DIR / "secrets" / name.lower()
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    # Two processes starting together may both generate: the first writer wins, both read the file.
    try:
        with open(path, "x") as fh:
            fh.write(value)
    except FileExistsError:
        pass
    return path.read_text().strip()


SECRET_KEY_MIN_LENGTH = 50  # Django's own bar (security.W009): 50 characters, 5 of them different
SECRET_KEY_MIN_UNIQUE = 5


def production_refusals(
    *, production: bool, demo: bool, debug: bool, card_maker_simulator: bool, secret_key: str
) -> list[str]:
    """What stops a production start, one English + Chinese sentence each; empty when all is well.

    Settings raise ``ImproperlyConfigured`` with these, so ``sscard`` (any verb), gunicorn and the worker
    all refuse to start rather than run a production service with demo doors open.
    """
    if not production:
        return []
    refusals = []
    if demo:
        refusals.append(
            "SSCARD_PRODUCTION=true and SSCARD_DEMO=true cannot be set together: demo mode shows every sign-in "
            "code at /dev/sms and lets partners with published secrets in. Unset SSCARD_DEMO. "
            "生产模式（SSCARD_PRODUCTION=true）不能同时开启演示模式（SSCARD_DEMO=true）：演示模式会公开全部登录验证码"
            "（/dev/sms），并放行密钥已公开的演示渠道。请去掉 SSCARD_DEMO。"
        )
    if debug:
        refusals.append(
            "SSCARD_PRODUCTION=true and DEBUG=true cannot be set together: debug pages show settings and code. "
            "Unset DEBUG. 生产模式不能开启调试（DEBUG=true）：调试页面会泄露配置和代码。请去掉 DEBUG。"
        )
    if card_maker_simulator:
        refusals.append(
            "SSCARD_PRODUCTION=true and CARD_MAKER_SIMULATOR=true cannot be set together: the demo card maker "
            "would mark applications as made cards. Set CARD_MAKER_SIMULATOR=false. "
            "生产模式不能开启演示制卡商（CARD_MAKER_SIMULATOR=true）：它会把申请标记为已制卡。请设为 false。"
        )
    if secret_key and (
        len(secret_key) < SECRET_KEY_MIN_LENGTH
        or len(set(secret_key)) < SECRET_KEY_MIN_UNIQUE
        or secret_key.startswith("django-insecure-")
    ):
        refusals.append(
            f"SECRET_KEY is too weak for production: it needs at least {SECRET_KEY_MIN_LENGTH} characters with "
            f"at least {SECRET_KEY_MIN_UNIQUE} different ones (e.g. `python -c \"import secrets; "
            "print(secrets.token_urlsafe(50))\"`). "
            f"生产模式的 SECRET_KEY 太弱：至少 {SECRET_KEY_MIN_LENGTH} 个字符，其中至少 {SECRET_KEY_MIN_UNIQUE} 个互不相同。"
        )
    return refusals


def env_example() -> str:
    """The text of ``.env.example``: every variable with its help and default."""
    lines = ["# sscard configuration. Generated by `sscard env-example` from src/sscard/config.py.", ""]
    for var in REGISTRY.values():
        lines.append(f"# {var.help}")
        lines.append(f"{var.name}={'' if var.secret else var.default}")
        lines.append("")
    return "\n".join(lines)
