"""Work run in spawned processes by the PostgreSQL correction race (nothing from Django at module level)."""

from __future__ import annotations


def race_claim_or_correct(db_name, pk, who, barrier, queue):
    from tests.concurrency import _setup

    _setup(db_name)
    from sscard.accounts.models import User
    from sscard.applications.models import Application
    from sscard.applications.services import drafts
    from sscard.applications.services.errors import JourneyError
    from sscard.review import claims

    application = Application.objects.get(pk=pk)  # both read "submitted" before either writes
    reviewer = User.objects.get(username="shenhe1") if who == "reviewer" else None
    barrier.wait(timeout=60)
    try:
        if reviewer is not None:
            claims.claim(application, reviewer)
        else:
            drafts.save_step(application, "address", {"town": "dongqu", "address_detail": "兴中道12号3栋201"},
                             actor="citizen:race")
        queue.put((who, "done"))
    except JourneyError as exc:
        queue.put((who, exc.code))
