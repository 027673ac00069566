"""Finding a person in the registry by name + ID number, with the seed's hints on a mismatch."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sscard.identity import IdCheck, check_id_number, check_name
from sscard.privacy.fields import digest
from sscard.registry.models import Person


@dataclass(frozen=True)
class Lookup:
    person: Person | None
    id_check: IdCheck
    name: str
    errors: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors


def check_identity(raw_name: str, raw_id: str, today: datetime.date | None = None):
    """Both fields checked as typed: (id check, normalised name, field errors in Chinese)."""
    id_check = check_id_number(raw_id, today)
    name_check = check_name(raw_name)
    errors: dict[str, str] = {}
    if not name_check.valid:
        errors["name"] = name_check.message
    if not id_check.valid:
        errors["id_number"] = id_check.message
    return id_check, name_check, errors


def find_person(raw_name: str, raw_id: str, *, today: datetime.date | None = None) -> Lookup:
    """Validate both fields and look the person up. ``person`` is None when not in the registry."""
    id_check, name_check, errors = check_identity(raw_name, raw_id, today)
    if errors:
        return Lookup(None, id_check, name_check.normalized, errors)
    person = Person.objects.filter(id_digest=digest(id_check.normalized)).first()
    if person is not None and person.name != name_check.normalized:
        # Never say which character differs: that would reveal a stranger's registered name.
        errors["name"] = "姓名与证件号码登记的不一致，请按身份证逐字核对（常见写错：李/黎、陈/程等同音字）"
        return Lookup(None, id_check, name_check.normalized, errors)
    return Lookup(person, id_check, name_check.normalized, {})
