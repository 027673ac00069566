"""Review's reactions to application changes (connected in ``ReviewConfig.ready``; run after commit)."""

from __future__ import annotations

from sscard.applications.constants import State
from sscard.applications.lifecycle import MACHINE_CHECK_ACTIONS
from sscard.review.models import Claim
from sscard.review.tasks import auto_review


def on_application_changed(sender, *, application_id: int, action: str, from_state: str, to_state: str, **kwargs):
    if action in MACHINE_CHECK_ACTIONS:  # a submission, or the citizen's correction while it waits
        auto_review.enqueue(application_id)
    if from_state == State.REVIEWING and to_state != State.REVIEWING:
        # Decided, withdrawn by the citizen or released: nobody is working on it any more.
        Claim.objects.filter(application_id=application_id).delete()
