"""亲情代办: applying for a parent, or as guardian for a child under 16, from one's own account."""

from __future__ import annotations

from sscard.accounts.models import Citizen
from sscard.applications import eligibility, queries
from sscard.applications.constants import Relationship
from sscard.applications.services.eligibility import age_of, check_eligibility
from sscard.applications.services.errors import JourneyError
from sscard.registry.models import Person

MAX_FAMILY_MEMBERS = 8
GUARDIAN_AGE = 16  # a child under this age applies through a guardian
# The words of the family page's option (citizen/family.html): messages name it as the citizen sees it.
CHILD_OPTION = "为未满16周岁的孩子代办"


def family_member(
    citizen: Citizen, relationship: str, name: str, id_number: str
) -> tuple[eligibility.Eligibility, Person | None]:
    """The verdict for the family member typed in, after the checks that belong to the relationship."""
    if relationship not in Relationship.values or relationship == Relationship.SELF:
        raise JourneyError("invalid_relationship", "代办关系无效")
    verdict, person = check_eligibility(name, id_number, for_self=False)
    age = age_of(person) if person is not None else None
    if relationship == Relationship.CHILD and (age is None or age >= GUARDIAN_AGE):
        raise JourneyError("not_a_minor", f"“{CHILD_OPTION}”只适用于未满16周岁的孩子；已满16周岁的请本人申领",
                           errors={"id_number": "孩子已满16周岁"})
    if relationship == Relationship.PARENT and age is not None and age < GUARDIAN_AGE:
        raise JourneyError("not_a_parent", f"这个证件号码的持有人未满16周岁，请选择“{CHILD_OPTION}”",
                           errors={"id_number": "持证人未满16周岁"})
    if person is not None and not within_family_limit(citizen, person):
        raise JourneyError("family_limit", f"每个账号最多为{MAX_FAMILY_MEMBERS}位家人代办")
    return verdict, person


def within_family_limit(citizen: Citizen, person: Person) -> bool:
    """A member already applied for never counts twice; a new one only while there is room."""
    members = queries.family_member_digests(citizen)
    return person.id_digest in members or len(members) < MAX_FAMILY_MEMBERS
