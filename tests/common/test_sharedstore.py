"""The shared store for rate limits and nonces: the database half, and Redis when it is configured.

What a user would notice: a limit that is reached stays reached for its window however the requests
are spread over server processes (a process's own memory is never consulted: emptying Django's cache,
which is what a second worker sees, changes nothing), and a nonce is accepted once.
"""

from __future__ import annotations

import uuid

import pytest
import redis
from django.core.cache import cache

from sscard.common import ratelimit, sharedstore
from sscard.common.models import SharedCounter

REDIS_URL = "redis://127.0.0.1:6379/1"  # this work's own Redis database (never db 15)


@pytest.fixture
def database_store(settings, db):
    settings.SHARED_STORE_REDIS_URL = ""
    sharedstore.reset_redis_state()
    yield
    sharedstore.reset_redis_state()


@pytest.fixture
def redis_store(settings, db):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}: the Redis half is tested where one runs")
    settings.SHARED_STORE_REDIS_URL = REDIS_URL
    sharedstore.reset_redis_state()
    yield
    sharedstore.reset_redis_state()


@pytest.fixture
def clock(monkeypatch):
    """The store's clock in milliseconds, moved by the test (no waiting, no wall-clock assertions)."""
    now = {"ms": 1_800_000_000_000}
    monkeypatch.setattr(sharedstore, "_now_ms", lambda: now["ms"])
    return now


def _key(name: str) -> str:
    return f"test:{name}:{uuid.uuid4().hex}"


@pytest.mark.parametrize("store", ["database_store", "redis_store"])
def test_limit_holds_within_the_window_and_not_in_memory(store, request):
    request.getfixturevalue(store)
    key = _key("limit")
    answers = []
    for _ in range(5):
        answers.append(ratelimit.hit(key, limit=3, window=3600))
        cache.clear()  # what another worker's memory looks like: nothing the limit depends on
    assert answers == [True, True, True, False, False]


@pytest.mark.parametrize("store", ["database_store", "redis_store"])
def test_a_nonce_is_claimed_once(store, request):
    request.getfixturevalue(store)
    key = _key("nonce")
    first = sharedstore.claim_once(key, ttl=600)
    cache.clear()
    assert (first, sharedstore.claim_once(key, ttl=600)) == (True, False)
    assert sharedstore.claim_once(_key("nonce"), ttl=600) is True  # another nonce is not affected


def test_database_window_starts_again_when_it_ends(database_store, clock):
    key = _key("window")
    assert [ratelimit.hit(key, limit=2, window=60) for _ in range(3)] == [True, True, False]
    clock["ms"] += 59_999
    assert ratelimit.hit(key, limit=2, window=60) is False  # still the same window
    clock["ms"] += 1
    assert [ratelimit.hit(key, limit=2, window=60) for _ in range(3)] == [True, True, False]


def test_database_nonce_can_be_claimed_again_only_after_its_ttl(database_store, clock):
    key = _key("ttl")
    assert sharedstore.claim_once(key, ttl=600) is True
    clock["ms"] += 599_999
    assert sharedstore.claim_once(key, ttl=600) is False
    clock["ms"] += 1
    assert sharedstore.claim_once(key, ttl=600) is True
    assert sharedstore.claim_once(key, ttl=600) is False


def test_purge_removes_only_ended_rows(database_store, clock):
    old, live = _key("old"), _key("live")
    sharedstore.claim_once(old, ttl=10)
    clock["ms"] += 5_000
    sharedstore.hit(live, limit=1, window=3600)
    clock["ms"] += 5_000
    assert sharedstore.purge_expired(clock["ms"]) == 1
    assert [row.key.rsplit(":", 2)[-2] for row in SharedCounter.objects.all()] == ["live"]
    assert ratelimit.hit(live, limit=1, window=3600) is False  # the live window kept its count


def test_a_long_key_fits_the_column_and_stays_distinct(database_store):
    base = "x" * 300
    assert sharedstore.claim_once(base + "a", ttl=60) is True
    assert sharedstore.claim_once(base + "b", ttl=60) is True
    assert sharedstore.claim_once(base + "a", ttl=60) is False
    assert max(len(row.key) for row in SharedCounter.objects.all()) <= sharedstore.MAX_KEY_LENGTH


def test_unreachable_redis_falls_back_to_the_database_with_one_warning(settings, db, caplog):
    settings.SHARED_STORE_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    sharedstore.reset_redis_state()
    key = _key("fallback")
    try:
        with caplog.at_level("WARNING", logger="sscard.common"):
            answers = [ratelimit.hit(key, limit=2, window=60) for _ in range(3)]
            nonce = [sharedstore.claim_once(key, ttl=60) for _ in range(2)]
    finally:
        sharedstore.reset_redis_state()
    assert answers == [True, True, False]
    assert nonce == [True, False]
    assert SharedCounter.objects.filter(key__endswith=key).count() == 2
    warnings = [r.getMessage() for r in caplog.records if "shared_store_fallback" in r.getMessage()]
    assert len(warnings) == 1, warnings
