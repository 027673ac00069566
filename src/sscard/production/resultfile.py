"""Reading the card maker's result file (docs/production.md) — no database here.

Every problem is reported with its line (the header is line 1) and a specific Chinese reason; the caller
applies nothing when there is any. Checks that need the database (unknown application, not in production,
a card number already used) are the service's (services/results.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sscard.common import csvfile
from sscard.common.csvfile import LineError
from sscard.production.constants import RESULT_COLUMNS, RESULT_FAILED, RESULT_OK

CARD_NUMBER = re.compile(r"[0-9A-Z]{9}")
CARD_ID = re.compile(r"[0-9A-F]{32}")
REASON_WORD = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_BANK = 40


@dataclass(frozen=True)
class ResultRow:
    line: int
    application_number: str
    result: str
    card_number: str = ""
    card_id: str = ""
    bank: str = ""
    reason: str = ""


@dataclass
class ParsedResults:
    rows: list[ResultRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


def _header(problems: csvfile.HeaderProblems) -> str:
    parts = []
    if problems.missing:
        parts.append(f"表头缺少列：{'、'.join(problems.missing)}")
    if problems.doubled:
        parts.append(f"表头有重复的列：{'、'.join(problems.doubled)}")
    return "；".join(parts) + f"（表头应为：{','.join(RESULT_COLUMNS)}）"


WORDING = csvfile.Wording(
    not_utf8="这一行不是UTF-8编码（可能是GBK等其他编码），请将文件另存为UTF-8后重新导入",
    nul="这一行含有空字节（NUL），文件可能已损坏，请重新导出",
    empty="文件是空的，第一行应为表头：{columns}",
    unreadable="这一行无法按CSV读取（{exc}），文件可能被截断或引号不成对",
    ragged="这一行有{got}列，表头有{want}列（文件可能被截断，或字段里有未加引号的逗号）",
    header=_header,
)


def parse_results(data: bytes, *, valid_number: Callable[[str], bool]) -> ParsedResults:
    """Rows and line errors of a result file; ``valid_number`` checks an acceptance number's form."""
    records, errors = csvfile.read(data, RESULT_COLUMNS, WORDING, extra_columns=True)
    out = ParsedResults(errors=errors)
    seen_numbers: dict[str, int] = {}
    seen_cards: dict[str, int] = {}
    for record in records:
        line, values = record.line, record.values
        row, problems = _row(line, values, valid_number)
        number, card_number = values["application_number"].upper(), values["card_number"].upper()
        if number and number in seen_numbers:
            problems.append(f"受理编号与第{seen_numbers[number]}行重复")
        seen_numbers.setdefault(number, line)
        if card_number and card_number in seen_cards:
            problems.append(f"社会保障卡卡号{card_number}与第{seen_cards[card_number]}行重复")
        seen_cards.setdefault(card_number, line)
        if problems:
            out.errors.append(LineError(line, "；".join(problems)))
        else:
            out.rows.append(row)
    out.errors.sort(key=lambda e: e.line)
    return out


def _row(
    line: int, v: dict[str, str], valid_number: Callable[[str], bool]
) -> tuple[ResultRow | None, list[str]]:
    problems: list[str] = []
    number = v["application_number"].upper()
    if not number:
        problems.append("受理编号（application_number）为空")
    elif not valid_number(number):
        problems.append(f"受理编号“{number[:30]}”格式不正确（应为ZS开头的17位受理编号）")
    result = v["result"]
    card_number, card_id, bank, reason = v["card_number"].upper(), v["card_id"].upper(), v["bank"], v["reason"]
    if result == RESULT_OK:
        if not CARD_NUMBER.fullmatch(card_number):
            problems.append(f"社会保障卡卡号（card_number）应为9位数字或大写字母，实际为“{card_number[:30]}”")
        if not CARD_ID.fullmatch(card_id):
            problems.append(f"卡识别码（card_id）应为32位十六进制数，实际为“{card_id[:40]}”（{len(card_id)}位）")
        if not bank:
            problems.append("制卡成功的行须填写发卡银行（bank）")
        elif len(bank) > MAX_BANK:
            problems.append(f"发卡银行（bank）不能超过{MAX_BANK}个字")
        if reason:
            problems.append("制卡成功的行不应填写失败原因（reason）")
    elif result == RESULT_FAILED:
        if not REASON_WORD.fullmatch(reason):
            problems.append(
                f"失败原因（reason）应为一个英文代码，如photo_unusable、data_error，实际为“{reason[:40]}”"
            )
        if card_number or card_id or bank:
            problems.append("制卡失败的行不应填写卡号、卡识别码或发卡银行")
    else:
        problems.append(f"结果（result）应为ok或failed，实际为“{result[:20]}”")
    if problems:
        return None, problems
    if result == RESULT_OK:
        return ResultRow(line, number, result, card_number, card_id, bank), []
    return ResultRow(line, number, result, reason=reason), []
