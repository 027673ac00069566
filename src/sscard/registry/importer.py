"""Import people from a CSV export of the source systems (户籍, insurance, schools).

Columns: id_number,name,hukou_region,insurance,school[,card_generation,card_status]
Every row is checked with the identity core; bad rows are reported with their line number and
reason, good rows are written (or, with ``strict``, nothing is written unless every row is good).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction

from sscard.identity import check_id_number, check_name
from sscard.privacy.fields import digest
from sscard.registry.constants import CardStatus, Insurance
from sscard.registry.models import ExistingCard, Person

REQUIRED = ("id_number", "name", "hukou_region", "insurance")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    written: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_row(row: dict) -> tuple[dict | None, str]:
    id_check = check_id_number(row.get("id_number", ""))
    if not id_check.valid:
        return None, f"证件号码有误：{id_check.message}"
    name_check = check_name(row.get("name", ""))
    if not name_check.valid:
        return None, f"姓名有误：{name_check.message}"
    insurance = (row.get("insurance") or "none").strip()
    if insurance not in Insurance.values:
        return None, f"参保类型“{insurance}”无效，应为 {'/'.join(Insurance.values)}"
    region = (row.get("hukou_region") or "").strip()
    if region and (len(region) != 6 or not region.isdigit()):
        return None, f"户籍地区代码“{region}”应为6位数字"
    card = None
    generation = (row.get("card_generation") or "").strip()
    if generation:
        status = (row.get("card_status") or CardStatus.NORMAL).strip()
        if generation not in {"2", "3"} or status not in CardStatus.values:
            return None, f"已有社保卡信息无效：代际“{generation}”，状态“{status}”"
        card = (int(generation), status)
    return {
        "id_number": id_check.normalized,
        "id_type": id_check.type.value,
        "name": name_check.normalized,
        "sex": id_check.sex,
        "birth_date": id_check.birth_date,
        "hukou_region": region,
        "insurance": insurance,
        "school": (row.get("school") or "").strip(),
        "card": card,
    }, ""


def import_people(text: str, *, strict: bool = False) -> ImportReport:
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, f"缺少列：{', '.join(missing)}"))
        report.written = False
        return report
    parsed: list[dict] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        values, error = _parse_row(row)
        if error:
            report.errors.append((line, error))
            continue
        if values["id_number"] in seen:
            report.errors.append((line, f"与第{seen[values['id_number']]}行证件号码重复"))
            continue
        seen[values["id_number"]] = line
        parsed.append(values)
    if strict and report.errors:
        report.written = False
        return report
    with transaction.atomic():
        existing = {p.id_digest: p for p in Person.objects.filter(id_digest__in=[digest(v["id_number"]) for v in parsed])}
        for values in parsed:
            card = values.pop("card")
            person = existing.get(digest(values["id_number"]))
            if person is None:
                person = Person(**values)
                person.save()
                report.created += 1
            elif any(getattr(person, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(person, key, value)
                person.save()
                report.updated += 1
            else:
                report.unchanged += 1
            if card:
                ExistingCard.objects.update_or_create(
                    person=person, generation=card[0], defaults={"status": card[1]}
                )
    return report
