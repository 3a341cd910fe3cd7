"""One row's cells read into a typed `Record`, each bad cell a `Problem` (sheet, row,
column, value, why), and the `Plan` the sheets' records make. Cell-level reading only: what
each sheet's columns mean is in models.transfer.parse."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from models.errors import DateOutOfRange, UsageError
from models.guardrail import personal_data_findings
from models.kinds import EXAMPLES
from models.parsing import DATE_WINDOW, check_window, example_day, parse_date
from models.tables import ItemKind
from models.transfer.read import Row, Table
from models.transfer.schema import (
    CSV_GUARDED,
    ITEM_WORDS,
    REC_NUMBER,
    WITHHELD,
    Problem,
    blank,
    norm,
)


@dataclass
class Record:
    sheet: str
    row: int
    given: dict[str, Any] = field(default_factory=dict)  # parsed values of present columns
    headers: dict[str, str] = field(default_factory=dict)  # column key → header in the file

    def header(self, key: str, default: str) -> str:
        return self.headers.get(key) or default

    def has(self, key: str) -> bool:
        return key in self.given

    def get(self, key: str, default: Any = None) -> Any:
        return self.given.get(key, default)


@dataclass
class Plan:
    inspection: Record | None = None
    recs: list[Record] = field(default_factory=list)
    actions: list[Record] = field(default_factory=list)
    panels: list[Record] = field(default_factory=list)
    people: list[Record] = field(default_factory=list)
    findings: list[Record] = field(default_factory=list)  # in file order
    paper: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def owner_emails(self) -> set[str]:
        return {
            a.get("owner_email").lower() for a in self.actions if a.get("owner_email") is not None
        }


class Cells:
    """Parses one row's cells, recording each bad one as a Problem."""

    def __init__(self, table: Table, row: Row, today: date, problems: list[Problem]) -> None:
        self.table, self.row, self.today, self.problems = table, row, today, problems
        self.record = Record(sheet=table.sheet, row=row.number, headers=table.headers)

    def bad(self, key: str, value: Any, why: str, *, withhold: bool = False) -> None:
        header = self.table.headers.get(key) or self.table.kind.column(key).header
        value = WITHHELD if withhold else shown(value)
        self.problems.append(Problem(self.table.sheet, self.row.number, header, value, why))

    def no_personal_data(self, key: str, value: str) -> bool:
        """True when the text is clean; otherwise a problem that withholds the value."""
        found = personal_data_findings(value)
        if found:
            why = (
                f"looks like it carries personal data ({', '.join(found)}); the tracker is "
                "about services, not children: rewrite it"
            )
            self.bad(key, value, why, withhold=True)
        return not found

    def present(self, key: str) -> bool:
        return key in self.row.values

    def raw(self, key: str) -> Any:
        return self.row.values.get(key)

    def text(self, key: str, *, required: bool = False, single_line: bool = False) -> None:
        if not self.present(key):
            return
        v = self.raw(key)
        if blank(v):
            if required:
                self.bad(key, v, "is empty")
                return
            self.record.given[key] = None
            return
        s = text_of(v)
        if single_line:
            s = " ".join(s.split())
        self.record.given[key] = s

    def day(self, key: str, *, required: bool = False) -> None:
        if not self.present(key):
            return
        v = self.raw(key)
        if blank(v):
            if required:
                self.bad(key, v, "is empty")
            else:
                self.record.given[key] = None
            return
        like = f"{example_day(self.today):%d/%m/%Y}"
        day = None
        try:
            if isinstance(v, datetime):
                day = check_window(v.date())
            elif isinstance(v, date):
                day = check_window(v)
            elif isinstance(v, str):
                day = strict_date(v, self.today)
        except DateOutOfRange:  # 31/12/9999, a common "no date" placeholder
            why = f"is outside {DATE_WINDOW}; leave it empty if there is no date, or write a date like {like}"
            self.bad(key, v, why)
            return
        except UsageError:
            pass
        if day is None:
            self.bad(key, v, f"is not a date; write it day first, e.g. {like}")
        else:
            self.record.given[key] = day


def text_of(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, datetime):
        v = v.date()
    if isinstance(v, date):
        return v.isoformat()
    s = str(v).replace("\r\n", "\n").strip()
    if s[:2] in CSV_GUARDED:
        s = s[1:]  # our own CSV guard against formula injection (see _csv_value)
    return s


def shown(v: Any) -> str:
    if v is None:
        return ""
    s = " ".join(text_of(v).split())
    return s if len(s) <= 80 else s[:77] + "..."


def strict_date(raw: str, today: date) -> date:
    """Day-first dates and written ones ("1 March 2027"); nothing relative in a file."""
    s = raw.strip()
    if re.search(r"\b(today|tomorrow|yesterday|next|last|this|ago|in)\b", s, re.IGNORECASE):
        raise UsageError("relative date")
    return parse_date(s, today=today)


def item_cell(v: Any) -> tuple[ItemKind, int] | None:
    """An item's (kind, number) from a cell: `2`, `R2`, `AFI3`, `Cause of concern 1`."""
    m = REC_NUMBER.match(text_of(v))
    return item_of(m) if m else None


def item_of(m: re.Match) -> tuple[ItemKind, int] | None:
    word = norm(m.group("word")) if m.group("word") else "r"
    kind, n = ITEM_WORDS.get(word), int(m.group("n"))
    return (kind, n) if kind is not None and n > 0 else None


NOT_AN_ITEM = f"is not an item number (e.g. 2 or {EXAMPLES})"
