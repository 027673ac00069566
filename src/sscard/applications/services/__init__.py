"""The citizen's journey as services: what the web pages, the channel API and the admin all call.

One module per concern: ``drafts`` (start and fill in), ``family`` (applying for a parent or a
child), ``eligibility`` (registry facts to a verdict), ``uploads`` (photos checked and stored),
``submission`` (what is missing, submit, withdraw), ``correction`` (what may be changed after a
return or while waiting for review), ``pickup_changes`` (the one change after approval) and
``progress`` (the timeline). Read-only look-ups are in ``applications.queries``; every
change of state goes through ``applications.lifecycle``.
"""
