"""Reading a partner's CSV file (pure: no Django): the card maker's result file, the bank's and courier's events.

UTF-8 (a byte-order mark is accepted) with a header row naming the columns in any order. Every problem of the
file's form is reported with its line (the header is line 1): each line that is not UTF-8, a NUL byte, an empty
file, a wrong header, a row with the wrong number of fields, a quote left open by a truncated file. The field
rules, and the Chinese words for each problem, belong to the module that reads the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class Record:
    """One data row: its line (where it starts) and its values by column name, stripped."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class HeaderProblems:
    header: list[str]
    missing: list[str]
    doubled: list[str]
    unexpected: list[str]


@dataclass(frozen=True)
class Wording:
    """Each reader's Chinese reasons; the placeholders are filled in by ``read``."""

    not_utf8: str  # {line}
    nul: str  # {line}
    empty: str  # {columns}: the expected header
    unreadable: str  # {exc}: the csv module's error
    ragged: str  # {got}, {want}: fields in the row and in the header
    header: Callable[[HeaderProblems], str]


def read(
    data: bytes, columns: tuple[str, ...], wording: Wording, *, extra_columns: bool = False
) -> tuple[list[Record], list[LineError]]:
    """The rows and the form errors of a file; a decoding, NUL, empty or header error leaves no rows."""
    text, errors = _decode(data, wording)
    if text is None:
        return [], errors
    if not text.strip():
        return [], [LineError(1, wording.empty.format(columns=",".join(columns)))]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader)]
    except csv.Error as exc:
        return [], [LineError(1, wording.unreadable.format(exc=exc))]
    problems = _header_problems(header, columns, extra_columns)
    if problems:
        return [], [LineError(1, wording.header(problems))]
    records: list[Record] = []
    start = reader.line_num + 1  # a quoted field may span lines: a row is reported where it starts
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # an unterminated quote in a truncated file
            errors.append(LineError(start, wording.unreadable.format(exc=exc)))
            break
        line, start = start, reader.line_num + 1
        if not any(f.strip() for f in fields):
            continue  # a blank line
        if len(fields) != len(header):
            errors.append(LineError(line, wording.ragged.format(got=len(fields), want=len(header))))
            continue
        records.append(Record(line, {name: value.strip() for name, value in zip(header, fields, strict=True)}))
    return records, errors


def _decode(data: bytes, wording: Wording) -> tuple[str | None, list[LineError]]:
    """The text, or every line that is not UTF-8 (so the sender can find them all), or the line with a NUL."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        bad = []
        for number, raw in enumerate(data.split(b"\n"), start=1):
            try:
                raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                bad.append(LineError(number, wording.not_utf8.format(line=number)))
        return None, bad
    if "\x00" in text:  # a binary file or a broken transfer, never a text export
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [LineError(line, wording.nul.format(line=line))]
    return text, []


def _header_problems(header: list[str], columns: tuple[str, ...], extra_columns: bool) -> HeaderProblems | None:
    missing = [c for c in columns if c not in header]
    doubled = sorted({c for c in header if header.count(c) > 1})
    unexpected = [] if extra_columns else [c for c in header if c not in columns]
    if missing or doubled or unexpected:
        return HeaderProblems(header, missing, doubled, unexpected)
    return None
