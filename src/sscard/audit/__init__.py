"""The audit trail: an append-only record of what staff saw and did.

Other apps call ``audit.record(request, "review.approve", obj_kind="application", obj_id=..., details=...)``
for every staff view of personal data and every staff action (see :func:`sscard.audit.trail.record`).
"""


def record(*args, **kwargs):
    from sscard.audit.trail import record as _record  # the package is imported before its models can be

    return _record(*args, **kwargs)
