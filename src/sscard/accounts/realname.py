"""Real-name binding: an account becomes a registered person once the name and ID number are found in
the registry; otherwise the citizen reads why (and what to do instead). An account never needs to
know about applications."""

from __future__ import annotations

from sscard.accounts.models import Citizen
from sscard.common.errors import Refusal
from sscard.registry import absence
from sscard.registry.lookup import find_person
from sscard.registry.models import Person


class RealNameRefused(Refusal):
    """The name and ID number could not be bound (see ``Refusal``)."""


def bind_real_name(citizen: Citizen, name: str, id_number: str) -> Person:
    lookup = find_person(name, id_number)
    if lookup.errors:
        raise RealNameRefused("realname_mismatch", "实名信息没有通过核验", errors=lookup.errors)
    if lookup.person is None:
        counter = absence.counter_only(lookup.id_check.type.value)
        if counter is not None:
            raise RealNameRefused("counter_required", counter.title, errors={"id_number": "；".join(counter.next_steps)})
        raise RealNameRefused("not_in_registry", absence.NOT_IN_REGISTRY.title,
                              errors={"id_number": absence.NOT_IN_REGISTRY.reasons[0]})
    citizen.person = lookup.person
    citizen.save(update_fields=["person"])
    return lookup.person
