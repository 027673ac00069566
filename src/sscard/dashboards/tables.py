"""A dashboard's figures as a table: drawn on the page and exported as CSV from the same rows (pure).

The CSV is UTF-8 with a byte-order mark (Excel on Windows then reads the Chinese correctly) and one header
row whose cells are ``中文名（code）``: people read the Chinese, scripts key on the code in brackets, which
is stable — a label may be reworded, a code never changes meaning. Values are plain: dates ISO
(``2025-03-01``), counts as integers, durations in hours (four decimals), an empty cell for "none".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

BOM = "\ufeff"


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    show: Callable[[Any], str] | None = None  # how the page shows a value (the CSV keeps it plain)
    numeric: bool = False

    @property
    def header(self) -> str:
        return f"{self.label}（{self.code}）"


@dataclass
class Table:
    code: str
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"table {self.code}: a row has {len(row)} cells for {len(self.columns)} columns")

    def shown_rows(self) -> list[list[str]]:
        """The rows as the page shows them."""
        return [[_shown(col, value) for col, value in zip(self.columns, row, strict=True)] for row in self.rows]

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([c.header for c in self.columns])
        for row in self.rows:
            writer.writerow(["" if v is None else _plain(v) for v in row])
        return BOM + out.getvalue()

    def csv_filename(self, suffix: str = "") -> str:
        return f"{self.code}{'_' + suffix if suffix else ''}.csv"


def _plain(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _shown(column: Column, value: Any) -> str:
    if column.show is not None:
        return column.show(value)
    if value is None:
        return "—"
    return _plain(value)
