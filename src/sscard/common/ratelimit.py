"""Fixed-window rate limits, counted in the store every process shares (``sscard.common.sharedstore``):
Redis when configured, the database otherwise — never one worker's memory."""

from __future__ import annotations

from sscard.common import sharedstore


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True while the count in this window is within ``limit``."""
    return sharedstore.hit(key, limit=limit, window=window)
