"""What citizens, clerks and the daily jobs do with a card, one module per concern: ``activation`` (online and at
the counter, the service PIN, its lockout and SMS reset), ``locking`` (the 6-month lock, its warnings, the counter's
unlock), ``loss`` (temporary and formal loss, the automatic lift, starting a replacement) and ``actions`` (what a
citizen may do with a card now, and where it is). Each refuses with ``CardError`` (a ``Refusal``)."""
