"""From the registry's facts about a person to an eligibility verdict (the rules are in ``eligibility``)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from sscard.applications import eligibility
from sscard.applications.services.errors import JourneyError
from sscard.registry.lookup import check_identity, find_person
from sscard.registry.models import Person


def age_of(person: Person, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    b = person.birth_date
    return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


def facts_for(person: Person | None, id_type: str, age: int | None, *, for_self: bool) -> eligibility.Facts:
    if person is None:
        return eligibility.Facts(in_registry=False, id_type=id_type, age=age, applying_for_self=for_self)
    # A card issued before this system (the registry's list) or a live card of ours. ``card_set`` is the reverse
    # of Card.person, with the cards app's own definitions (live, replaceable): applications imports nothing of it.
    third = person.existing_cards.filter(generation=3, status="normal").exists() or person.card_set.live().exists()
    return eligibility.Facts(
        in_registry=True, id_type=person.id_type, age=age, local_hukou=person.has_local_hukou,
        insurance=person.insurance, school=person.school, has_valid_third_generation_card=third,
        has_formally_lost_card=not third and person.card_set.replaceable().exists(),
        applying_for_self=for_self,
    )


def own_eligibility(person: Person) -> eligibility.Eligibility:
    """May this registered person apply online for themselves, and if not, what to do."""
    return eligibility.assess(facts_for(person, person.id_type, age_of(person), for_self=True))


def check_eligibility(name: str, id_number: str, *, for_self: bool = True) -> tuple[eligibility.Eligibility, Person | None]:
    """The verdict for a name and ID number as typed, and the registered person (None: not registered)."""
    id_check, _name_check, errors = check_identity(name, id_number)
    if errors:  # a typing error in the fields themselves: says nothing about the registry
        raise JourneyError("invalid_identity", "请核对姓名和证件号码", errors=errors)
    # A name that does not go with a registered number is answered as a number not registered (the same
    # verdict and words): the check must not tell a stranger's registered number from an unknown one.
    person = find_person(name, id_number).person
    return eligibility.assess(facts_for(person, id_check.type.value, id_check.age, for_self=for_self)), person
