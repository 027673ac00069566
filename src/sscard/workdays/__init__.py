"""Working days: statutory holidays and SLA dates (core in ``calendar``, the table in ``models``)."""
