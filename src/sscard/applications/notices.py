"""The SMS notices about an application: which values each template gets, and to whom it goes.

The notifications service knows nothing of applications; this module turns an application (and the event
that caused the notice) into a template's personalisation and a reference back to the application.
"""

from __future__ import annotations

from sscard.identity import mask_name
from sscard.notifications.outbox import queue_sms


def event_values(event) -> dict:
    """The event's own string/int data, e.g. ``{"waybill": …}`` on mail, ``{"new_date": …}`` on an apology."""
    data = getattr(event, "data", None) or {}
    return {k: v for k, v in data.items() if isinstance(v, str | int)}


def notify_application(application, template_code: str, *, event=None, reason: str = ""):
    context = {
        "acceptance_number": application.acceptance_number or "",
        "decision_due": f"{application.decision_due:%m月%d日}" if application.decision_due else "",
        "reason": reason,
        "branch": application.branch.name if application.branch_id else "",
        "waybill": "",
        # Whose card it is, masked like every SMS (张**): a family member's notices name them.
        "name": mask_name(application.name),
        **event_values(event),
    }
    return queue_sms(application.phone, template_code, context, reference=("application", application.pk))
