"""Rate-limit counters and single-use keys (API nonces) shared by every process of the service.

A limit kept in one worker's memory is no limit: with two gunicorn workers every count doubles, and a
signed request replayed to the other worker is accepted again. So both live where every process
sees them:

- in Redis when ``SHARED_STORE_REDIS_URL`` (``REDIS_URL``) is set: ``SET NX EX`` and ``INCR``, atomic;
- in the database otherwise, and whenever Redis cannot be reached: one ``INSERT … ON CONFLICT … DO
  UPDATE … RETURNING`` statement per call (table ``common_sharedcounter``), atomic on PostgreSQL and on
  SQLite >= 3.35 — the row lock it takes serialises concurrent callers, as in ``common/counters.py``.

Never a per-process memory cache. When Redis fails, the store logs one warning, uses the database and
tries Redis again after ``REDIS_RETRY_SECONDS``; a count begun in Redis starts again from zero in the
database, so during an outage a limit can at most be reached twice, never ignored.

Database statements run in the caller's transaction: a caller that rolls back gives its count back.
Expired rows are removed by ``purge_expired`` (now and then, from the calls themselves).
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
import time

import redis
from django.conf import settings
from django.db import connection
from redis.exceptions import RedisError

log = logging.getLogger("sscard.common")

REDIS_TIMEOUT_SECONDS = 0.5  # a stopped Redis must not hold a request for long
REDIS_RETRY_SECONDS = 30  # after a failure, the database answers alone this long before Redis is tried again
PURGE_ONE_IN = 500  # about one database call in this many also deletes expired rows
MAX_KEY_LENGTH = 200

_lock = threading.Lock()
_clients: dict[str, object] = {}
_redis_down_until = 0.0
_redis_warned = False


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt in the fixed window of ``window`` seconds that began with the first one;
    True while the count is within ``limit``."""
    return count(key, window=window) <= limit


def count(key: str, *, window: int) -> int:
    """Add one to ``key``'s count in its window and return the new count."""
    full = _full_key("rl", key)
    client = _redis()
    if client is not None:
        try:
            return _redis_count(client, full, window)
        except (RedisError, OSError) as exc:  # Redis down, unreachable or refusing: use the database
            _redis_failed(exc)
    return _db_count(full, window)


def claim_once(key: str, *, ttl: int) -> bool:
    """True for the first claim of ``key`` within ``ttl`` seconds, False for every later one."""
    full = _full_key("once", key)
    client = _redis()
    if client is not None:
        try:
            return bool(client.set(full, 1, ex=ttl, nx=True))
        except (RedisError, OSError) as exc:  # Redis down, unreachable or refusing: use the database
            _redis_failed(exc)
    return _db_claim(full, ttl)


def purge_expired(now_ms: int | None = None) -> int:
    """Delete the database rows whose window or claim has ended; the number deleted."""
    from sscard.common.models import SharedCounter  # needs the app registry, loaded after this module

    now_ms = _now_ms() if now_ms is None else now_ms
    deleted, _ = SharedCounter.objects.filter(expires_at__lte=now_ms).delete()
    return deleted


# --- keys -----------------------------------------------------------------------------------------


def _full_key(kind: str, key: str) -> str:
    full = f"sscard:{kind}:{key}"
    if len(full) > MAX_KEY_LENGTH:  # keys are built from request data; keep them within the column
        full = f"sscard:{kind}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return full


def _now_ms() -> int:
    return int(time.time() * 1000)


# --- Redis ----------------------------------------------------------------------------------------


def _redis():
    """The client for the configured Redis, or None (not configured, or resting after a failure)."""
    url = getattr(settings, "SHARED_STORE_REDIS_URL", "")
    if not url or time.monotonic() < _redis_down_until:
        return None
    with _lock:
        client = _clients.get(url)
        if client is None:
            client = redis.Redis.from_url(
                url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
            )
            _clients[url] = client
    return client


def _redis_count(client, full: str, window: int) -> int:
    pipe = client.pipeline(transaction=True)  # MULTI/EXEC: the window's expiry and the count together
    pipe.set(full, 0, ex=window, nx=True)
    pipe.incr(full)
    value = pipe.execute()[1]
    _redis_ok()
    return int(value)


def _redis_failed(exc: Exception) -> None:
    global _redis_down_until, _redis_warned
    _redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
    if not _redis_warned:
        _redis_warned = True
        log.warning("shared_store_fallback reason=redis_unreachable store=database error=%s", type(exc).__name__)


def _redis_ok() -> None:
    global _redis_warned
    if _redis_warned:
        _redis_warned = False
        log.warning("shared_store_restored store=redis")


def reset_redis_state() -> None:
    """Forget clients and a past failure (tests that start and stop their own Redis)."""
    global _redis_down_until, _redis_warned
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()
    _redis_down_until = 0.0
    _redis_warned = False


# --- database -------------------------------------------------------------------------------------


def _table() -> tuple[str, str, str, str]:
    from sscard.common.models import SharedCounter  # needs the app registry, loaded after this module

    qn = connection.ops.quote_name
    meta = SharedCounter._meta
    return (qn(meta.db_table), qn(meta.get_field("key").column), qn(meta.get_field("count").column),
            qn(meta.get_field("expires_at").column))


def _db_count(full: str, window: int) -> int:
    table, key, n, expires = _table()
    now = _now_ms()
    # One statement: a new key starts at 1; a live window adds one; an ended window starts again at 1.
    # The right-hand sides of SET all read the row as it was, on both PostgreSQL and SQLite.
    sql = (
        f"INSERT INTO {table} ({key}, {n}, {expires}) VALUES (%s, 1, %s) "
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{n} = CASE WHEN {table}.{expires} <= %s THEN 1 ELSE {table}.{n} + 1 END, "
        f"{expires} = CASE WHEN {table}.{expires} <= %s THEN excluded.{expires} ELSE {table}.{expires} END "
        f"RETURNING {n}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [full, now + window * 1000, now, now])
        value = cursor.fetchone()[0]
    _maybe_purge(now)
    return int(value)


def _db_claim(full: str, ttl: int) -> bool:
    table, key, n, expires = _table()
    now = _now_ms()
    # Inserted, or taken over once the earlier claim has expired: a row comes back. Still held: none.
    sql = (
        f"INSERT INTO {table} ({key}, {n}, {expires}) VALUES (%s, 1, %s) "
        f"ON CONFLICT ({key}) DO UPDATE SET {n} = 1, {expires} = excluded.{expires} "
        f"WHERE {table}.{expires} <= %s "
        f"RETURNING {key}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [full, now + ttl * 1000, now])
        claimed = cursor.fetchone() is not None
    _maybe_purge(now)
    return claimed


def _maybe_purge(now_ms: int) -> None:
    # Rows whose window ended are reused by the next call for the same key; the others (a nonce, an
    # address seen once) are deleted here now and then, so the table stays the size of the live windows.
    if random.randrange(PURGE_ONE_IN) == 0:  # not security: only spreads the clean-up
        purge_expired(now_ms)
