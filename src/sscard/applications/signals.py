"""Signals other apps listen to, so that the applications app never imports them.

``application_changed`` is sent after the transaction of a lifecycle transition has committed
(never for a change that was rolled back), with ``application_id``, ``action``, ``from_state`` and
``to_state``. Review, for instance, starts its automatic checks when an application enters
``submitted``. Receivers run after the commit: an error in one is logged, the change stands.
"""

from django.dispatch import Signal

application_changed = Signal()
