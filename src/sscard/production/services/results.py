"""Importing the card maker's result file: all or nothing, idempotent, one effect under concurrency.

    import_results(data, file_name=..., actor=...) -> Summary(applied, unchanged, errors)

Every row is checked before anything is written: the file's own form (resultfile.py) and, against the
database, that the application exists and is 制卡中, and that a card number is not taken. Any bad row → nothing
is applied and every bad line is reported. Otherwise, in one transaction, with the applications locked
(``select_for_update``, in id order):

- ``ok`` → the card is issued (cards.issuance.issue_card; a replacement voids the old card) and the application
  moves to 已制卡 (``mark_produced``);
- ``failed`` / ``photo_unusable`` → 制卡失败, then back to the citizen for a new photo (需补正, reason and tip);
- ``failed`` / anything else → 制卡失败; the next export sends it again.

A row already in effect (the application has this card; or it is past production with this same failure)
counts as unchanged, so importing a file again changes nothing. The file's hash is recorded with a unique
constraint in the same transaction: two imports of one file at the same moment serialise on that row (and on
the application locks) and the second finds everything done.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from sscard.applications import lifecycle, numbers
from sscard.applications.constants import State
from sscard.applications.models import Application
from sscard.cards.issuance import issue_card
from sscard.cards.models import Card
from sscard.production.constants import RESULT_OK, ItemResult
from sscard.production.models import BatchItem, ResultImport
from sscard.production.resultfile import LineError, ResultRow, parse_results
from sscard.production.services.failures import record_failure

log = logging.getLogger("sscard.production")


@dataclass
class Summary:
    applied: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"applied": self.applied, "unchanged": self.unchanged, "errors": [e.as_dict() for e in self.errors]}


def import_results(data: bytes, *, file_name: str, actor: str) -> Summary:
    parsed = parse_results(data, valid_number=numbers.is_valid)
    digest = hashlib.sha256(data).hexdigest()
    rows = parsed.rows
    with transaction.atomic():
        if ResultImport.objects.filter(sha256=digest).exists():
            return Summary(unchanged=len(rows))  # this very file was applied before
        apps = _locked_applications([r.application_number for r in rows])
        errors = list(parsed.errors)
        todo: list[tuple[ResultRow, Application]] = []
        unchanged = 0
        card_owner = dict(Card.objects.filter(card_number__in=[r.card_number for r in rows if r.card_number])
                          .values_list("card_number", "application_id"))
        for row in rows:
            outcome = _check(row, apps.get(row.application_number), card_owner)
            if isinstance(outcome, LineError):
                errors.append(outcome)
            elif outcome == "unchanged":
                unchanged += 1
            else:
                todo.append((row, apps[row.application_number]))
        if errors:
            errors.sort(key=lambda e: e.line)
            return Summary(errors=errors)
        record = _claim_file(digest, file_name, actor, len(rows), len(todo), unchanged)
        if record is None:
            return Summary(unchanged=len(rows))  # a parallel import of the same file got there first
        now = timezone.now()
        for row, application in todo:
            _apply(row, application, record, actor=actor, now=now)
    log.info("results_imported file=%s applied=%s unchanged=%s", file_name, len(todo), unchanged)
    return Summary(applied=len(todo), unchanged=unchanged)


def _locked_applications(acceptance_numbers: list[str]) -> dict[str, Application]:
    rows = (Application.objects.select_for_update(of=("self",)).filter(acceptance_number__in=acceptance_numbers)
            .select_related("person").order_by("pk"))
    return {a.acceptance_number: a for a in rows}


def _check(row: ResultRow, application: Application | None, card_owner: dict[str, int | None]) -> LineError | str:
    """"apply", "unchanged", or the line's error."""
    if application is None:
        return LineError(row.line, f"受理编号{row.application_number}不存在")
    state_label = State(application.state).label
    if row.result == RESULT_OK:
        if row.card_number in card_owner:
            if card_owner[row.card_number] == application.pk:
                return "unchanged"
            return LineError(row.line, f"社会保障卡卡号{row.card_number}已被另一张卡使用")
        if application.state != State.PRODUCING:
            return LineError(row.line, f"受理编号{row.application_number}不在制卡中（当前状态：{state_label}）")
        if application.person_id is None:
            return LineError(row.line, f"受理编号{row.application_number}没有关联持卡人，无法建卡")
        return "apply"
    if application.state == State.PRODUCING:
        return "apply"
    last = BatchItem.objects.filter(application=application).order_by("-pk").first()
    if last is not None and last.result == ItemResult.FAILED and last.reason == row.reason:
        return "unchanged"
    return LineError(row.line, f"受理编号{row.application_number}不在制卡中（当前状态：{state_label}）")


def _claim_file(digest: str, file_name: str, actor: str, rows: int, applied: int, unchanged: int):
    try:
        with transaction.atomic():
            return ResultImport.objects.create(
                sha256=digest, file_name=file_name[:255], imported_at=timezone.now(), imported_by=actor[:80],
                rows=rows, applied=applied, unchanged=unchanged,
            )
    except IntegrityError:
        return None


def _apply(row: ResultRow, application: Application, record: ResultImport, *, actor: str, now) -> None:
    item = BatchItem.objects.filter(application=application, result=ItemResult.PENDING).order_by("-pk").first()
    batch = item.batch.code if item is not None else ""
    if row.result == RESULT_OK:
        card = issue_card(application, card_number=row.card_number, card_id=row.card_id, bank=row.bank, actor=actor)
        lifecycle.perform(application, "mark_produced", actor=actor, reason="制卡完成",
                          data={"batch": batch, "bank": row.bank, "card": card.pk})
        result, reason = ItemResult.OK, ""
    else:
        card = None
        record_failure(application, row.reason, actor=actor, data={"batch": batch})
        result, reason = ItemResult.FAILED, row.reason
    if item is not None:
        item.result, item.reason, item.card, item.result_import, item.result_at = result, reason, card, record, now
        item.save(update_fields=["result", "reason", "card", "result_import", "result_at"])
