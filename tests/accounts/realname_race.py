"""Work run in spawned processes by the PostgreSQL binding race (nothing from Django at module level)."""

from __future__ import annotations


def race_bind(db_name, citizen_pk, name, id_number, barrier, queue):
    from tests.concurrency import _setup

    _setup(db_name)
    from sscard.accounts.models import Citizen
    from sscard.accounts.realname import RealNameRefused, bind_real_name

    citizen = Citizen.objects.get(pk=citizen_pk)
    barrier.wait(timeout=60)
    try:
        bind_real_name(citizen, name, id_number)
        queue.put((citizen_pk, "bound"))
    except RealNameRefused as exc:
        queue.put((citizen_pk, exc.code))
