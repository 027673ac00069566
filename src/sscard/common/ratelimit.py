"""Fixed-window counters in the shared cache (Redis when REDIS_URL is set)."""

from __future__ import annotations

from django.core.cache import cache


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True while the count in this window is within ``limit``."""
    full = f"rl:{key}"
    cache.add(full, 0, timeout=window)
    try:
        count = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.add(full, 1, timeout=window)
        count = 1
    return count <= limit

