"""Work run in spawned processes by the PostgreSQL submit race (nothing from Django at module level)."""

from __future__ import annotations


def race_submit(db_name, pk, who, barrier, queue):
    from tests.concurrency import _setup

    _setup(db_name)
    from sscard.applications.models import Application
    from sscard.applications.services import submission
    from sscard.common.statemachine import TransitionNotAllowed

    application = Application.objects.get(pk=pk)  # both read "draft" before either writes
    barrier.wait(timeout=60)
    try:
        submission.submit(application, actor=f"citizen:{who}")
        queue.put((who, application.acceptance_number))
    except TransitionNotAllowed as exc:
        queue.put((who, f"refused: {exc.message}"))
