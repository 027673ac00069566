"""Work run in spawned processes by the PostgreSQL claim race (nothing from Django at module level)."""

from __future__ import annotations


def race_claim_next(db_name, username, barrier, queue):
    from tests.concurrency import _setup

    _setup(db_name)
    from sscard.accounts.models import User
    from sscard.review import claims

    reviewer = User.objects.get(username=username)
    barrier.wait(timeout=60)
    taken = claims.claim_next(reviewer)
    queue.put((username, taken.pk if taken else None))
