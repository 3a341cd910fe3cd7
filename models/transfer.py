"""The tracker's way in and out: Excel/CSV import, export, the blank template, the audit trail.

A workbook has a sheet per kind (inspection, recommendations, actions, panel meetings, and
optionally people); a CSV holds actions for recommendations already known. Columns are
found by header name, case- and space-insensitive, with the synonyms forces' own trackers
use ("Rec No", "Action owner", "Target date", "RAG" ...).

Import runs in three phases so a bad file writes nothing and Slack is never called inside a
write transaction:

1. `read_file`: rows → typed records, each bad cell a `Problem` (sheet, row, column, value, why);
2. owner emails not known to the tracker are looked up with the injected resolver
   (bot/lookup.py wraps Slack's users.lookupByEmail; models/ never imports Slack);
3. `apply_plan` in one write transaction: cross-checks against the database (unknown
   recommendation, unknown owner), and only when nothing is wrong, writes the differences,
   each one an `Update` row with source `import`. Importing the same file twice changes
   nothing the second time.

Export writes the same sheets and columns, so export → import into an empty database
reproduces the tracker. Notes are user text: they go to files, never to logs.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models.calendar import local_to_utc
from models.db import Database
from models.errors import NotFound, UsageError
from models.guardrail import personal_data_findings
from models.parsing import STATUS_WORDS, parse_date, parse_time
from models.service import MAX_NOTE, MAX_TITLE, _record, get_inspection
from models.tables import (
    Action,
    Inspection,
    Member,
    PanelMeeting,
    Recommendation,
    RecStatus,
    Role,
    Source,
    Status,
    SubPoint,
    Update,
)
from models.wording import plural

ACTOR = "import"
SLACK_ID = re.compile(r"^<?@?([UW][A-Z0-9]{6,})(?:\|[^>]*)?>?$")
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
REC_NUMBER = re.compile(r"^(?:r|rec|recommendation)?\s*\.?\s*(\d{1,3})(?:\.0+)?$", re.IGNORECASE)
ACTION_REF = re.compile(r"^(?:r)?\s*(\d{1,3})\s*\.\s*(\d{1,3})$", re.IGNORECASE)
ACTION_NUMBER = re.compile(r"^(?:a|action)?\s*(\d{1,3})(?:\.0+)?$", re.IGNORECASE)

# A resolver answers an email with (Slack user id, display name), or None when no such user.
Looked = tuple[str, str | None]
EmailResolver = Callable[[str], Looked | None]


def norm(text: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


# -- the sheets and their columns ----------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def names(self) -> set[str]:
        return {norm(self.header), *(norm(s) for s in self.synonyms)}


@dataclass(frozen=True)
class Kind:
    key: str
    sheet: str
    names: tuple[str, ...]
    columns: tuple[Column, ...]
    ignored: tuple[str, ...] = ()  # columns export writes for readers; import skips them

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


INSPECTION = Kind(
    "inspection",
    "Inspection",
    ("inspection", "inspections"),
    (
        Column("code", "Code", ("inspection code", "short code"), required=True),
        Column("title", "Title", ("inspection", "inspection title", "name"), required=True),
        Column("inspectorate", "Inspectorate", ("inspected by",)),
        Column("force", "Force", ("constabulary", "police force")),
        Column("fieldwork_start", "Fieldwork start", ("inspection start", "start date", "from")),
        Column("fieldwork_end", "Fieldwork end", ("inspection end", "end date", "to")),
        Column(
            "published", "Published", ("publication date", "report published", "date published")
        ),
        Column("reinspected", "Re-inspected", ("reinspection", "re-inspection date", "revisited")),
    ),
)
RECOMMENDATIONS = Kind(
    "recommendations",
    "Recommendations",
    ("recommendations", "recommendation", "recs"),
    (
        Column(
            "number",
            "Number",
            ("no", "rec no", "rec number", "recommendation number", "recommendation no", "ref"),
            required=True,
        ),
        Column("title", "Title", ("short title", "theme", "area", "subject")),
        Column(
            "text",
            "Text",
            ("recommendation", "recommendation text", "wording", "description"),
            required=True,
        ),
        Column("timescale", "Timescale", ("timeframe", "time scale")),
        Column("status", "Status", ("rec status", "state", "outcome")),
        Column(
            "signed_off_on", "Signed off on", ("signed off", "date signed off", "sign off date")
        ),
        Column("sub_points", "Sub-points", ("sub points", "points", "includes", "elements")),
    ),
)
ACTIONS = Kind(
    "actions",
    "Actions",
    ("actions", "action", "action tracker", "tracker", "action plan"),
    (
        Column("ref", "Ref", ("action ref", "action no", "action number", "action id", "no", "#")),
        Column(
            "rec",
            "Recommendation",
            (
                "rec",
                "rec no",
                "rec number",
                "recommendation number",
                "recommendation no",
                "rec ref",
            ),
        ),
        Column(
            "title",
            "Action",
            ("title", "action title", "description", "action description", "task"),
            required=True,
        ),
        Column(
            "owner",
            "Owner",
            (
                "action owner",
                "responsible",
                "responsible officer",
                "assigned to",
                "owner email",
                "owner slack id",
            ),
        ),
        Column(
            "due",
            "Due date",
            ("due", "target date", "target", "deadline", "completion date", "complete by"),
        ),
        Column("status", "Status", ("rag", "rag status", "progress", "state", "action status")),
        Column("evidence", "Evidence", ("evidence link", "evidence links")),
        Column(
            "notes",
            "Notes",
            ("note", "update", "latest update", "comments", "comment", "progress update"),
        ),
    ),
    ignored=("ownername",),
)
PANELS = Kind(
    "panels",
    "Panel meetings",
    ("panel meetings", "panel meeting", "panels", "panel", "meetings"),
    (
        Column("day", "Date", ("meeting date", "panel date", "day"), required=True),
        Column("time", "Time", ("start", "start time", "starts")),
        Column("title", "Title", ("meeting", "panel", "name")),
        Column("paper_ref", "Paper ref", ("paper", "paper no", "paper number", "reference", "ref")),
        Column("cancelled", "Cancelled", ("canceled",)),
    ),
)
PEOPLE = Kind(
    "people",
    "People",
    ("people", "members", "owners", "staff", "contacts"),
    (
        Column("user_id", "Slack ID", ("slack user id", "user id", "id", "user"), required=True),
        Column("name", "Name", ("display name", "full name")),
        Column("email", "Email", ("email address", "e-mail")),
        Column("role", "Role", ()),
        Column("manager", "Manager", ("line manager", "manager slack id")),
    ),
)
KINDS = (INSPECTION, RECOMMENDATIONS, ACTIONS, PANELS, PEOPLE)
HISTORY_HEADERS = ["When (UTC)", "Who", "Name", "Ref", "What", "Before", "After", "Note", "Source"]
EXPORT_ACTION_HEADERS = [
    "Ref",
    "Recommendation",
    "Action",
    "Owner",
    "Owner name",
    "Due date",
    "Status",
    "Evidence",
    "Notes",
]

REC_STATUS_WORDS = {
    "open": RecStatus.OPEN,
    "notassessed": RecStatus.OPEN,
    "outstanding": RecStatus.OUTSTANDING,
    "remainsoutstanding": RecStatus.OUTSTANDING,
    "inprogress": RecStatus.OUTSTANDING,
    "ongoing": RecStatus.OUTSTANDING,
    "signedoff": RecStatus.SIGNED_OFF,
    "closed": RecStatus.SIGNED_OFF,
    "discharged": RecStatus.SIGNED_OFF,
}
ACTION_STATUS_WORDS = {norm(k): v for k, v in STATUS_WORDS.items()}
CSV_GUARDED = {"'=", "'+", "'-", "'@"}
YES = {"yes", "y", "true", "1", "x", "cancelled", "canceled"}
NO = {"", "no", "n", "false", "0"}


# -- problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    value: str
    why: str

    def __str__(self) -> str:
        shown = f" {self.value!r}" if self.value else ""
        return f"{self.sheet} row {self.row}, {self.column}{shown}: {self.why}"


class ImportRejected(UsageError):
    """Some rows are bad: every one is listed, and nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        n = len(problems)
        super().__init__(f"nothing was imported: {plural(n, 'problem')} to fix first\n{lines}")


WITHHELD = "(withheld)"


# -- reading files into rows --------------------------------------------------------------------


@dataclass
class Row:
    number: int  # the row number a spreadsheet shows (header is row 1)
    values: dict[str, Any]  # column key → raw cell value (only columns the sheet has)


@dataclass
class Table:
    kind: Kind
    sheet: str
    headers: dict[str, str]  # column key → the header as the file spells it
    rows: list[Row]


def _match_kind(name: str) -> Kind | None:
    n = norm(name)
    for kind in KINDS:
        if n in {norm(x) for x in kind.names}:
            return kind
    return None


def _table(kind: Kind, sheet: str, grid: list[list[Any]], problems: list[Problem]) -> Table:
    """Header row → column keys; later rows → Row. Missing required columns are problems."""
    header_row = 0
    while header_row < len(grid) and not any(_blank(v) is False for v in grid[header_row]):
        header_row += 1
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    if header_row < len(grid):
        for i, h in enumerate(grid[header_row]):
            if _blank(h):
                continue
            n = norm(h)
            if n in kind.ignored:
                continue
            for c in kind.columns:
                if n in c.names() and c.key not in positions:
                    positions[c.key] = i
                    headers[c.key] = str(h).strip()
                    break
    # "RAG" is a synonym of Status: when a sheet has both, Status wins (already first).
    for c in kind.columns:
        if c.required and c.key not in positions:
            problems.append(Problem(sheet, header_row + 1, c.header, "", "this column is missing"))
    rows = []
    for r_index in range(header_row + 1, len(grid)):
        cells = grid[r_index]
        values = {k: cells[i] if i < len(cells) else None for k, i in positions.items()}
        if all(_blank(v) for v in values.values()):
            continue
        rows.append(Row(number=r_index + 1, values=values))
    return Table(kind=kind, sheet=sheet, headers=headers, rows=rows)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def read_tables(path: Path, problems: list[Problem]) -> list[Table]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as f:
            grid = [list(r) for r in csv.reader(f)]
        return [_table(ACTIONS, path.name, grid, problems)]
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # noqa: BLE001 - any unreadable workbook is one user error
            raise UsageError(
                f"{path.name} is not a workbook I can read ({type(e).__name__})."
            ) from None
        try:
            tables = []
            for ws in wb.worksheets:
                kind = _match_kind(ws.title)
                if kind is None:
                    continue
                grid = [list(r) for r in ws.iter_rows(values_only=True)]
                tables.append(_table(kind, ws.title, grid, problems))
        finally:
            wb.close()
        if not tables:
            names = ", ".join(k.sheet for k in KINDS)
            raise UsageError(f"{path.name} has none of the sheets I know: {names}.")
        return tables
    raise UsageError(f"Import an .xlsx workbook or a .csv of actions, not {path.name}.")


# -- typed records ---------------------------------------------------------------------------------


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
    problems: list[Problem] = field(default_factory=list)

    def owner_emails(self) -> set[str]:
        return {
            a.get("owner_email").lower() for a in self.actions if a.get("owner_email") is not None
        }


class _Cells:
    """Parses one row's cells, recording each bad one as a Problem."""

    def __init__(self, table: Table, row: Row, today: date, problems: list[Problem]) -> None:
        self.table, self.row, self.today, self.problems = table, row, today, problems
        self.record = Record(sheet=table.sheet, row=row.number, headers=table.headers)

    def bad(self, key: str, value: Any, why: str, *, withhold: bool = False) -> None:
        header = self.table.headers.get(key) or self.table.kind.column(key).header
        shown = WITHHELD if withhold else _show(value)
        self.problems.append(Problem(self.table.sheet, self.row.number, header, shown, why))

    def present(self, key: str) -> bool:
        return key in self.row.values

    def raw(self, key: str) -> Any:
        return self.row.values.get(key)

    def text(self, key: str, *, required: bool = False, single_line: bool = False) -> None:
        if not self.present(key):
            return
        v = self.raw(key)
        if _blank(v):
            if required:
                self.bad(key, v, "is empty")
                return
            self.record.given[key] = None
            return
        s = _text(v)
        if single_line:
            s = " ".join(s.split())
        self.record.given[key] = s

    def day(self, key: str, *, required: bool = False) -> None:
        if not self.present(key):
            return
        v = self.raw(key)
        if _blank(v):
            if required:
                self.bad(key, v, "is empty")
            else:
                self.record.given[key] = None
            return
        if isinstance(v, datetime):
            self.record.given[key] = v.date()
        elif isinstance(v, date):
            self.record.given[key] = v
        elif isinstance(v, str):
            try:
                self.record.given[key] = _strict_date(v, self.today)
            except UsageError:
                self.bad(key, v, "is not a date; write it day first, e.g. 31/03/2027")
        else:
            self.bad(key, v, "is not a date; write it day first, e.g. 31/03/2027")


def _text(v: Any) -> str:
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


def _show(v: Any) -> str:
    if v is None:
        return ""
    s = " ".join(_text(v).split())
    return s if len(s) <= 80 else s[:77] + "..."


def _strict_date(raw: str, today: date) -> date:
    """Day-first dates and written ones ("1 March 2027"); nothing relative in a file."""
    s = raw.strip()
    if re.search(r"\b(today|tomorrow|yesterday|next|last|this|ago|in)\b", s, re.IGNORECASE):
        raise UsageError("relative date")
    return parse_date(s, today=today)


def _rec_number(v: Any) -> int | None:
    m = REC_NUMBER.match(_text(v))
    return int(m.group(1)) if m and int(m.group(1)) > 0 else None


def parse_tables(tables: list[Table], *, today: date, problems: list[Problem]) -> Plan:
    plan = Plan(problems=problems)
    for t in tables:
        parse = {
            "inspection": _parse_inspection,
            "recommendations": _parse_rec,
            "actions": _parse_action,
            "panels": _parse_panel,
            "people": _parse_person,
        }[t.kind.key]
        if t.kind is INSPECTION and len(t.rows) > 1:
            for r in t.rows[1:]:
                problems.append(
                    Problem(t.sheet, r.number, "Code", "", "a workbook holds one inspection")
                )
        for row in t.rows[: 1 if t.kind is INSPECTION else None]:
            c = _Cells(t, row, today, problems)
            before = len(problems)
            parse(c)
            if len(problems) == before:
                _file(plan, t.kind, c.record)
    _check_duplicates(plan)
    return plan


def _file(plan: Plan, kind: Kind, record: Record) -> None:
    if kind is INSPECTION:
        plan.inspection = record
    else:
        {
            "recommendations": plan.recs,
            "actions": plan.actions,
            "panels": plan.panels,
            "people": plan.people,
        }[kind.key].append(record)


def _parse_inspection(c: _Cells) -> None:
    c.text("code", required=True, single_line=True)
    c.text("title", required=True, single_line=True)
    c.text("inspectorate", single_line=True)
    c.text("force", single_line=True)
    for key in ("fieldwork_start", "fieldwork_end", "published", "reinspected"):
        c.day(key)
    code = c.record.get("code")
    if code and len(code) > 40:
        c.bad("code", code, "is longer than 40 characters")


def _parse_rec(c: _Cells) -> None:
    v = c.raw("number")
    n = _rec_number(v) if not _blank(v) else None
    if n is None:
        c.bad("number", v, "is not a recommendation number (e.g. 2 or R2)")
    else:
        c.record.given["number"] = n
    c.text("title", single_line=True)
    c.text("text", required=True)
    c.text("timescale", single_line=True)
    if c.present("status"):
        s = c.raw("status")
        status = REC_STATUS_WORDS.get(norm(s)) if not _blank(s) else RecStatus.OPEN
        if status is None:
            c.bad("status", s, "is not a status: write signed off, outstanding or open")
        else:
            c.record.given["status"] = status
    c.day("signed_off_on")
    if c.present("sub_points"):
        raw = c.raw("sub_points")
        lines = [] if _blank(raw) else _text(raw).split("\n")
        c.record.given["sub_points"] = [
            s for s in (re.sub(r"^\s*(?:[-•*·]|\d+[.)])\s+", "", x).strip() for x in lines) if s
        ]


def _parse_action(c: _Cells) -> None:
    rec = number = None
    raw_ref = c.raw("ref")
    if not _blank(raw_ref):
        text = _text(raw_ref)
        m = ACTION_REF.match(text)
        m2 = ACTION_NUMBER.match(text)
        if m:
            rec, number = int(m.group(1)), int(m.group(2))
        elif m2:
            number = int(m2.group(1))
        if not number:
            c.bad("ref", raw_ref, "is not an action reference (e.g. R2.1)")
            return
    raw_rec = c.raw("rec")
    if not _blank(raw_rec):
        n = _rec_number(raw_rec)
        if n is None:
            c.bad("rec", raw_rec, "is not a recommendation number (e.g. 2 or R2)")
            return
        if rec is not None and n != rec:
            c.bad("rec", raw_rec, f"does not match the action reference R{rec}.{number}")
            return
        rec = n
    if rec is None:
        key = "rec" if c.present("rec") or not c.present("ref") else "ref"
        c.bad(key, raw_rec, "says which recommendation this action is for (e.g. R2)")
        return
    c.record.given["rec"] = rec
    if number is not None:
        c.record.given["number"] = number
    raw_title = c.raw("title")
    title = " ".join(_text(raw_title).split()) if not _blank(raw_title) else ""
    if not title:
        c.bad("title", raw_title, "is empty: every action needs a title")
    elif len(title) > MAX_TITLE:
        c.bad("title", raw_title, f"is {len(title)} characters; keep it under {MAX_TITLE}")
    elif personal_data_findings(title):
        found = ", ".join(personal_data_findings(title))
        c.bad(
            "title",
            raw_title,
            f"looks like it carries personal data ({found}); the tracker is about services, "
            "not children: rewrite it",
            withhold=True,
        )
    else:
        c.record.given["title"] = title
    if c.present("owner"):
        raw = c.raw("owner")
        if _blank(raw):
            c.record.given["owner"] = None
        else:
            s = _text(raw)
            m = SLACK_ID.match(s)
            if m:
                c.record.given["owner"] = m.group(1)
            elif EMAIL.match(s):
                c.record.given["owner_email"] = s.lower()
            else:
                c.bad("owner", raw, "is not a Slack user id (U012AB3CD) or an email address")
    c.day("due")
    if c.present("status"):
        raw = c.raw("status")
        if _blank(raw):
            pass  # no status given: a new action starts not started; an existing one keeps its own
        else:
            status = ACTION_STATUS_WORDS.get(norm(raw))
            if status is None:
                c.bad(
                    "status",
                    raw,
                    "is not a status: not started, on track, at risk, blocked, implemented "
                    "or verified (or red, amber, green)",
                )
            else:
                c.record.given["status"] = status
    for key in ("evidence", "notes"):
        if not c.present(key) or _blank(c.raw(key)):
            continue
        value = _text(c.raw(key))
        if len(value) > MAX_NOTE:
            c.bad(key, "", f"is {len(value)} characters; keep it under {MAX_NOTE}")
        elif personal_data_findings(value):
            found = ", ".join(personal_data_findings(value))
            c.bad(
                key,
                value,
                f"looks like it carries personal data ({found}); the tracker is about "
                "services, not children: rewrite it",
                withhold=True,
            )
        else:
            c.record.given[key] = value


def _parse_panel(c: _Cells) -> None:
    c.day("day", required=True)
    if c.present("time"):
        raw = c.raw("time")
        if _blank(raw):
            c.record.given["time"] = None
        elif isinstance(raw, time):
            c.record.given["time"] = raw
        elif isinstance(raw, datetime):
            c.record.given["time"] = raw.time()
        else:
            try:
                c.record.given["time"] = parse_time(_text(raw))
            except UsageError:
                c.bad("time", raw, "is not a time; write it as 10:00")
    c.text("title", single_line=True)
    c.text("paper_ref", single_line=True)
    if c.present("cancelled"):
        raw = norm(c.raw("cancelled"))
        if raw in YES:
            c.record.given["cancelled"] = True
        elif raw in NO:
            c.record.given["cancelled"] = False
        else:
            c.bad("cancelled", c.raw("cancelled"), "write yes or no")


def _parse_person(c: _Cells) -> None:
    raw = c.raw("user_id")
    m = SLACK_ID.match(_text(raw)) if not _blank(raw) else None
    if not m:
        c.bad("user_id", raw, "is not a Slack user id (e.g. U012AB3CD)")
    else:
        c.record.given["user_id"] = m.group(1)
    c.text("name", single_line=True)
    if c.present("email") and not _blank(c.raw("email")):
        e = _text(c.raw("email")).lower()
        if EMAIL.match(e):
            c.record.given["email"] = e
        else:
            c.bad("email", c.raw("email"), "is not an email address")
    elif c.present("email"):
        c.record.given["email"] = None
    if c.present("role"):
        r = norm(c.raw("role")) or "member"
        if r in ("lead", "member"):
            c.record.given["role"] = Role(r)
        else:
            c.bad("role", c.raw("role"), "write lead or member")
    if c.present("manager"):
        raw = c.raw("manager")
        if _blank(raw):
            c.record.given["manager"] = None
        else:
            m = SLACK_ID.match(_text(raw))
            if m:
                c.record.given["manager"] = m.group(1)
            else:
                c.bad("manager", raw, "is not a Slack user id (e.g. U012AB3CD)")


def _check_duplicates(plan: Plan) -> None:
    def dup(rec: Record, column: str, value: str, first: Record, what: str) -> None:
        plan.problems.append(
            Problem(rec.sheet, rec.row, column, value, f"duplicate {what}: same as row {first.row}")
        )

    seen: dict[Any, Record] = {}
    for r in plan.recs:
        k = r.get("number")
        if k in seen:
            dup(r, r.header("number", "Number"), f"R{k}", seen[k], "recommendation")
        seen[k] = seen.get(k, r)
    by_ref: dict[tuple[int, int], Record] = {}
    by_title: dict[tuple[int, str], Record] = {}
    for a in plan.actions:
        if a.has("number"):
            k = (a.get("rec"), a.get("number"))
            if k in by_ref:
                dup(a, a.header("ref", "Ref"), f"R{k[0]}.{k[1]}", by_ref[k], "action")
                continue
            by_ref[k] = a
        t = (a.get("rec"), a.get("title", "").lower())
        if t in by_title:
            dup(a, a.header("title", "Action"), a.get("title"), by_title[t], "action")
            continue
        by_title[t] = a
    days: dict[date, Record] = {}
    for p in plan.panels:
        d = p.get("day")
        if d in days:
            dup(p, p.header("day", "Date"), f"{d:%d/%m/%Y}", days[d], "panel meeting")
        days.setdefault(d, p)
    people: dict[str, Record] = {}
    for p in plan.people:
        u = p.get("user_id")
        if u in people:
            dup(p, p.header("user_id", "Slack ID"), u, people[u], "person")
        people.setdefault(u, p)


# -- applying a plan ----------------------------------------------------------------------------


@dataclass
class ImportReport:
    inspection: str
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    changed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    history_rows: int = 0
    dry_run: bool = False

    @property
    def nothing_changed(self) -> bool:
        return not any(self.created.values()) and not any(self.changed.values())

    def text(self) -> str:
        if self.nothing_changed:
            return f"{self.inspection}: the tracker already matches the file; nothing changed"
        parts = []
        for kind in ("inspection", "recommendations", "actions", "panel meetings", "people"):
            new, upd = self.created.get(kind, 0), self.changed.get(kind, 0)
            if new or upd:
                parts.append(f"{kind}: {new} new, {upd} changed")
        if self.dry_run:
            return f"dry run, nothing written; {self.inspection} would change — " + "; ".join(parts)
        return f"imported into {self.inspection} — " + "; ".join(parts)


class _Writer:
    """Applies differences and writes one history row per changed field (source `import`)."""

    def __init__(self, session: Session, now: datetime, report: ImportReport) -> None:
        self.session, self.now, self.report = session, now, report
        self.inspection_id: int | None = None

    def record(self, **kw: Any) -> None:
        _record(
            self.session,
            inspection_id=self.inspection_id,
            actor=ACTOR,
            now=self.now,
            source=Source.IMPORT,
            **kw,
        )
        self.report.history_rows += 1

    def set(self, obj: Any, attr: str, value: Any, *, field: str, **kw: Any) -> bool:
        before = getattr(obj, attr)
        if before == value:
            return False
        setattr(obj, attr, value)
        self.record(field=field, before=_hist(before), after=_hist(value), **kw)
        return True


def _hist(v: Any) -> Any:
    if isinstance(v, date | datetime):
        return v.isoformat()
    if isinstance(v, bool):
        return "yes" if v else "no"
    return v


def import_file(
    db: Database,
    path: Path,
    *,
    now: datetime,
    today: date,
    tz: ZoneInfo,
    resolve: EmailResolver | None = None,
    inspection: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Read, look up owner emails, then apply in one transaction (or report every bad row)."""
    problems: list[Problem] = []
    tables = read_tables(path, problems)
    plan = parse_tables(tables, today=today, problems=problems)
    looked_up: dict[str, Looked | None] = {}
    emails = plan.owner_emails() - {(p.get("email") or "") for p in plan.people if p.get("email")}
    if emails:
        with db.read() as session:
            known = {
                m.email.lower()
                for m in session.exec(select(Member).where(col(Member.email).is_not(None))).all()
            }
        if resolve is not None:
            for email in sorted(emails - known):
                looked_up[email] = resolve(email)  # outside any transaction
    with db.write() as session:
        report = apply_plan(
            session,
            plan,
            now=now,
            tz=tz,
            looked_up=looked_up,
            can_lookup=resolve is not None,
            inspection=inspection,
        )
        report.dry_run = dry_run
        if dry_run:
            session.rollback()
    return report


def apply_plan(
    session: Session,
    plan: Plan,
    *,
    now: datetime,
    tz: ZoneInfo,
    looked_up: dict[str, Looked | None] | None = None,
    can_lookup: bool = False,
    inspection: str | None = None,
) -> ImportReport:
    """Cross-check against the database, then write the differences. Raises ImportRejected
    (before writing anything) when a row names an unknown recommendation or owner."""
    looked_up = looked_up or {}
    problems: list[Problem] = list(plan.problems)  # cell problems, then the cross-checks
    try:
        insp = _target_inspection(session, plan, inspection)
    except UsageError:
        if problems:
            raise ImportRejected(problems) from None
        raise
    existing_recs = (
        {
            r.number: r
            for r in session.exec(
                select(Recommendation).where(Recommendation.inspection_id == insp.id)
            ).all()
        }
        if insp is not None and insp.id is not None
        else {}
    )
    file_recs = {r.get("number") for r in plan.recs}
    for a in plan.actions:
        if a.get("rec") not in existing_recs and a.get("rec") not in file_recs:
            have = (
                f"this inspection has {_rec_list(existing_recs)}"
                if existing_recs
                else "no recommendations are set up yet"
            )
            problems.append(
                Problem(
                    a.sheet,
                    a.row,
                    a.header("rec", "Recommendation"),
                    f"R{a.get('rec')}",
                    f"unknown recommendation: {have}",
                )
            )
    # owners: Slack ids as given; emails via the People sheet, members, or Slack
    members = {m.user_id: m for m in session.exec(select(Member)).all()}
    by_email = {m.email.lower(): m.user_id for m in members.values() if m.email}
    by_email.update({p.get("email"): p.get("user_id") for p in plan.people if p.get("email")})
    names: dict[str, str | None] = {}
    for a in plan.actions:
        email = a.get("owner_email")
        if email is None:
            continue
        if email in by_email:
            a.given["owner"] = by_email[email]
            continue
        found = looked_up.get(email)
        if found:
            a.given["owner"] = found[0]
            names[found[0]] = found[1]
            by_email[email] = found[0]
            continue
        why = (
            "no Slack user has this email"
            if can_lookup
            else "no member has this email; give the Slack user id, add them on the People "
            "sheet, or set SLACK_BOT_TOKEN so emails are looked up in Slack"
        )
        problems.append(Problem(a.sheet, a.row, a.header("owner", "Owner"), email, why))
    if problems:
        raise ImportRejected(problems)

    code = plan.inspection.get("code") if plan.inspection else insp.code
    report = ImportReport(inspection=code)
    w = _Writer(session, now, report)
    insp = _apply_inspection(session, w, plan, insp, now)
    w.inspection_id = insp.id
    _apply_people(session, w, plan, members, names, by_email)
    recs = _apply_recs(session, w, plan, insp, existing_recs)
    _apply_actions(session, w, plan, recs, now)
    _apply_panels(session, w, plan, insp, tz)
    session.flush()
    return report


def _rec_list(recs: dict[int, Recommendation]) -> str:
    ns = sorted(recs)
    return (
        f"R{ns[0]} to R{ns[-1]}"
        if ns == list(range(ns[0], ns[-1] + 1))
        else ", ".join(f"R{n}" for n in ns)
    )


def _target_inspection(session: Session, plan: Plan, code: str | None) -> Inspection | None:
    if plan.inspection is not None:
        want = plan.inspection.get("code")
        if code and code.lower() != want.lower():
            raise UsageError(f"The workbook is for inspection {want}, not {code}.")
        return session.exec(select(Inspection).where(Inspection.code == want)).first()
    try:
        return get_inspection(session, code=code)
    except NotFound as e:
        raise UsageError(
            f"{e.message} A CSV (or a workbook without an Inspection sheet) adds actions to an "
            "inspection that is already set up."
        ) from None


def _apply_inspection(
    session: Session, w: _Writer, plan: Plan, insp: Inspection | None, now: datetime
) -> Inspection:
    rec = plan.inspection
    if insp is None:
        insp = Inspection(
            code=rec.get("code"),
            title=rec.get("title"),
            inspectorate=rec.get("inspectorate") or "HMICFRS",
            force=rec.get("force"),
            fieldwork_start=rec.get("fieldwork_start"),
            fieldwork_end=rec.get("fieldwork_end"),
            published=rec.get("published"),
            reinspected=rec.get("reinspected"),
            created_at=now,
        )
        session.add(insp)
        session.flush()
        w.inspection_id = insp.id
        w.record(field="inspection", after=f"{insp.code} {insp.title}")
        w.report.created["inspection"] += 1
        return insp
    w.inspection_id = insp.id
    if rec is None:
        return insp
    changed = False
    for key in (
        "title",
        "inspectorate",
        "force",
        "fieldwork_start",
        "fieldwork_end",
        "published",
        "reinspected",
    ):
        if rec.has(key):
            value = rec.get(key)
            if key == "inspectorate" and value is None:
                value = "HMICFRS"
            changed |= w.set(insp, key, value, field=f"inspection_{key}"[:40])
    if changed:
        w.report.changed["inspection"] += 1
    return insp


def _apply_people(
    session: Session,
    w: _Writer,
    plan: Plan,
    members: dict[str, Member],
    names: dict[str, str | None],
    by_email: dict[str, str],
) -> None:
    for p in plan.people:
        uid = p.get("user_id")
        m = members.get(uid)
        if m is None:
            m = Member(
                user_id=uid,
                display_name=p.get("name") or uid,
                email=p.get("email"),
                role=p.get("role") or Role.MEMBER,
                manager=p.get("manager"),
            )
            session.add(m)
            members[uid] = m
            w.record(field="member", after=f"{uid} {m.display_name} ({m.role})")
            w.report.created["people"] += 1
            continue
        changed = False
        for key, attr in (
            ("name", "display_name"),
            ("email", "email"),
            ("role", "role"),
            ("manager", "manager"),
        ):
            if not p.has(key):
                continue
            value = p.get(key)
            if key == "name" and not value:
                value = uid
            if key == "role" and value is None:
                value = Role.MEMBER
            if getattr(m, attr) != value:
                w.record(
                    field=f"member_{attr}",
                    before=f"{uid}: {getattr(m, attr)}",
                    after=f"{uid}: {value}",
                )
                setattr(m, attr, value)
                changed = True
        if changed:
            w.report.changed["people"] += 1
    # owners named by Slack id or looked up by email: make sure each is a member
    emails = {uid: e for e, uid in by_email.items()}
    for a in plan.actions:
        uid = a.get("owner")
        if not uid or uid in members:
            continue
        m = Member(user_id=uid, display_name=names.get(uid) or uid, email=emails.get(uid))
        session.add(m)
        members[uid] = m
        w.record(field="member", after=f"{uid} {m.display_name} ({m.role})")
        w.report.created["people"] += 1
    session.flush()


def _title_from_text(text: str) -> str:
    words = text.split()
    title = " ".join(words[:8])
    return title if len(words) <= 8 else title + "…"


def _apply_recs(
    session: Session,
    w: _Writer,
    plan: Plan,
    insp: Inspection,
    existing: dict[int, Recommendation],
) -> dict[int, Recommendation]:
    recs = dict(existing)
    subs: dict[int, list[SubPoint]] = defaultdict(list)
    if existing:
        for sp in session.exec(
            select(SubPoint)
            .where(col(SubPoint.recommendation_id).in_([r.id for r in existing.values()]))
            .order_by(SubPoint.position)
        ).all():
            subs[sp.recommendation_id].append(sp)
    for r in plan.recs:
        n = r.get("number")
        rec = recs.get(n)
        if rec is None:
            status = r.get("status") or RecStatus.OPEN
            rec = Recommendation(
                inspection_id=insp.id,
                number=n,
                title=r.get("title") or _title_from_text(r.get("text")),
                text=r.get("text"),
                timescale=r.get("timescale"),
                status=status,
                signed_off_on=r.get("signed_off_on"),
            )
            session.add(rec)
            session.flush()
            recs[n] = rec
            w.record(field="created", after=rec.title, recommendation_id=rec.id)
            if status != RecStatus.OPEN:
                w.record(
                    field="rec_status",
                    before=RecStatus.OPEN,
                    after=status,
                    recommendation_id=rec.id,
                )
            for i, text in enumerate(r.get("sub_points") or [], start=1):
                session.add(SubPoint(recommendation_id=rec.id, position=i, text=text))
            w.report.created["recommendations"] += 1
            continue
        kw = {"recommendation_id": rec.id}
        changed = False
        if r.has("title") and r.get("title"):
            changed |= w.set(rec, "title", r.get("title"), field="rec_title", **kw)
        for column in ("text", "timescale", "status", "signed_off_on"):
            if r.has(column):
                changed |= w.set(rec, column, r.get(column), field=f"rec_{column}", **kw)
        if r.has("sub_points"):
            old = subs[rec.id]
            new = r.get("sub_points")
            if [s.text for s in old] != new:
                w.record(
                    field="sub_points",
                    before="\n".join(s.text for s in old) or None,
                    after="\n".join(new) or None,
                    **kw,
                )
                for s in old:
                    session.delete(s)
                session.flush()
                for i, text in enumerate(new, start=1):
                    session.add(SubPoint(recommendation_id=rec.id, position=i, text=text))
                changed = True
        if changed:
            w.report.changed["recommendations"] += 1
    session.flush()
    return recs


def latest_notes(session: Session, action_ids: list[int]) -> dict[int, str]:
    """Each action's most recent note (from any history row that carries one)."""
    if not action_ids:
        return {}
    out: dict[int, str] = {}
    for aid, note in session.exec(
        select(Update.action_id, Update.note)
        .where(col(Update.action_id).in_(action_ids), col(Update.note).is_not(None))
        .order_by(Update.at, Update.id)
    ).all():
        out[aid] = note
    return out


def _apply_actions(
    session: Session, w: _Writer, plan: Plan, recs: dict[int, Recommendation], now: datetime
) -> None:
    if not plan.actions:
        return
    rec_ids = [r.id for r in recs.values()]
    existing = session.exec(select(Action).where(col(Action.recommendation_id).in_(rec_ids))).all()
    by_ref = {(a.recommendation_id, a.number): a for a in existing}
    by_title = {(a.recommendation_id, a.title.lower()): a for a in existing}
    notes = latest_notes(session, [a.id for a in existing])
    next_number: dict[int, int] = defaultdict(int)
    for a in existing:
        next_number[a.recommendation_id] = max(next_number[a.recommendation_id], a.number)
    for r in plan.actions:
        if r.has("number"):
            rid = recs[r.get("rec")].id
            next_number[rid] = max(next_number[rid], r.get("number"))
    for r in plan.actions:
        rec = recs[r.get("rec")]
        if r.has("number"):
            action = by_ref.get((rec.id, r.get("number")))
        else:
            action = by_title.get((rec.id, r.get("title").lower()))
        if action is None:
            if r.has("number"):
                number = r.get("number")
            else:
                next_number[rec.id] += 1
                number = next_number[rec.id]
            status = r.get("status") or Status.NOT_STARTED
            action = Action(
                recommendation_id=rec.id,
                number=number,
                title=r.get("title"),
                owner=r.get("owner"),
                due=r.get("due"),
                status=status,
                evidence=r.get("evidence"),
                created_at=now,
                updated_at=now,
            )
            session.add(action)
            session.flush()
            by_ref[(rec.id, number)] = action
            kw = {"action": action}
            w.record(field="created", after=action.title, **kw)
            if action.owner:
                w.record(field="owner", after=action.owner, **kw)
            if action.due:
                w.record(field="due", after=action.due.isoformat(), **kw)
            if status != Status.NOT_STARTED:
                w.record(field="status", before=Status.NOT_STARTED, after=status, **kw)
            if action.evidence:
                w.record(field="evidence", after=action.evidence, **kw)
            if r.get("notes"):
                w.record(field="note", note=r.get("notes"), **kw)
            w.report.created["actions"] += 1
            continue
        kw = {"action": action}
        changed = False
        changed |= w.set(action, "title", r.get("title"), field="title", **kw)
        for column in ("owner", "due", "status", "evidence"):
            if r.has(column):
                changed |= w.set(action, column, r.get(column), field=column, **kw)
        if r.get("notes") and notes.get(action.id) != r.get("notes"):
            w.record(field="note", note=r.get("notes"), **kw)
            changed = True
        if changed:
            action.updated_at = now
            w.report.changed["actions"] += 1


def _apply_panels(session: Session, w: _Writer, plan: Plan, insp: Inspection, tz: ZoneInfo) -> None:
    if not plan.panels:
        return
    existing = {
        p.day: p
        for p in session.exec(
            select(PanelMeeting).where(PanelMeeting.inspection_id == insp.id)
        ).all()
    }
    for r in plan.panels:
        day = r.get("day")
        p = existing.get(day)
        at = r.get("time") or time(10, 0)
        if p is None:
            p = PanelMeeting(
                inspection_id=insp.id,
                day=day,
                starts_at=local_to_utc(day, at, tz),
                title=r.get("title") or "Accountability and Performance Panel",
                paper_ref=r.get("paper_ref"),
                cancelled=bool(r.get("cancelled")),
            )
            session.add(p)
            session.flush()
            w.record(
                field="panel",
                after=f"{day.isoformat()} {p.paper_ref or ''}".strip(),
                panel_id=p.id,
            )
            w.report.created["panel meetings"] += 1
            continue
        changed = False
        kw = {"panel_id": p.id}
        if r.has("time"):
            changed |= w.set(
                p, "starts_at", local_to_utc(day, at, tz), field="panel_starts_at", **kw
            )
        if r.has("title"):
            changed |= w.set(
                p,
                "title",
                r.get("title") or "Accountability and Performance Panel",
                field="panel_title",
                **kw,
            )
        if r.has("paper_ref"):
            changed |= w.set(p, "paper_ref", r.get("paper_ref"), field="panel_paper_ref", **kw)
        if r.has("cancelled"):
            changed |= w.set(p, "cancelled", r.get("cancelled"), field="panel_cancelled", **kw)
        if changed:
            w.report.changed["panel meetings"] += 1


# -- export -----------------------------------------------------------------------------------


def _headers(kind: Kind) -> list[str]:
    return EXPORT_ACTION_HEADERS if kind is ACTIONS else [c.header for c in kind.columns]


def _status_word(status: str) -> str:
    return Status(status).label


def _rec_status_word(status: str) -> str:
    return {"signed_off": "signed off"}.get(status, status)


def tracker_rows(
    session: Session, *, tz: ZoneInfo, inspection: str | None = None
) -> dict[str, list[list[Any]]]:
    """The whole tracker as rows per sheet (dates as `date`), in a fixed number of queries."""
    insp = get_inspection(session, code=inspection)
    recs = session.exec(
        select(Recommendation)
        .where(Recommendation.inspection_id == insp.id)
        .order_by(Recommendation.number)
    ).all()
    rec_ids = [r.id for r in recs]
    number_of = {r.id: r.number for r in recs}
    subs: dict[int, list[str]] = defaultdict(list)
    for sp in session.exec(
        select(SubPoint)
        .where(col(SubPoint.recommendation_id).in_(rec_ids))
        .order_by(SubPoint.position)
    ).all():
        subs[sp.recommendation_id].append(sp.text)
    actions = sorted(
        session.exec(select(Action).where(col(Action.recommendation_id).in_(rec_ids))).all(),
        key=lambda a: (number_of[a.recommendation_id], a.number),
    )
    notes = latest_notes(session, [a.id for a in actions])
    members = session.exec(select(Member).order_by(Member.user_id)).all()
    names = {m.user_id: m.display_name for m in members}
    panels = session.exec(
        select(PanelMeeting).where(PanelMeeting.inspection_id == insp.id).order_by(PanelMeeting.day)
    ).all()
    return {
        "inspection": [
            [
                insp.code,
                insp.title,
                insp.inspectorate,
                insp.force,
                insp.fieldwork_start,
                insp.fieldwork_end,
                insp.published,
                insp.reinspected,
            ]
        ],
        "recommendations": [
            [
                r.number,
                r.title,
                r.text,
                r.timescale,
                _rec_status_word(r.status),
                r.signed_off_on,
                "\n".join(subs[r.id]) or None,
            ]
            for r in recs
        ],
        "actions": [
            [
                f"R{number_of[a.recommendation_id]}.{a.number}",
                f"R{number_of[a.recommendation_id]}",
                a.title,
                a.owner,
                names.get(a.owner) if a.owner else None,
                a.due,
                _status_word(a.status),
                a.evidence,
                notes.get(a.id),
            ]
            for a in actions
        ],
        "panels": [
            [
                p.day,
                p.starts_at.astimezone(tz).strftime("%H:%M"),
                p.title,
                p.paper_ref,
                "yes" if p.cancelled else "no",
            ]
            for p in panels
        ],
        "people": [[m.user_id, m.display_name, m.email, m.role, m.manager] for m in members],
    }


TEMPLATE_ROWS: dict[str, list[list[Any]]] = {
    "inspection": [
        [
            "NCPI",
            "National Child Protection Inspection (re-inspection), Example Constabulary",
            "HMICFRS",
            "Example Constabulary",
            date(2026, 7, 6),
            date(2026, 7, 17),
            date(2026, 12, 18),
            None,
        ]
    ],
    "recommendations": [
        [
            1,
            "Missing children",
            "That Example Constabulary immediately improves its arrangements and practices for "
            "responding to incidents of missing children. This should include:",
            "Immediately",
            "outstanding",
            None,
            "Improving risk assessment for missing children\nImproving the way it supervises responses",
        ]
    ],
    "actions": [
        [
            "R1.1",
            "R1",
            "Prompt risk assessment and supervision for children missing overnight",
            "U012AB3CD",
            "Jane Smith (example)",
            date(2027, 3, 31),
            "on track",
            None,
            "Training plan agreed at the Child Protection Delivery Board",
        ]
    ],
    "panels": [
        [date(2027, 1, 22), "10:00", "Accountability and Performance Panel", "AP27/01", "no"]
    ],
    "people": [["U012AB3CD", "Jane Smith (example)", "jane.smith@example.police.uk", "lead", None]],
}


def _sheet_rows(kind: Kind, rows: dict[str, list[list[Any]]]) -> list[list[Any]]:
    return rows[kind.key]


def write_workbook(rows: dict[str, list[list[Any]]], out: Path | io.BytesIO) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for kind in KINDS:
        ws = wb.create_sheet(kind.sheet)
        ws.append(_headers(kind))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in _sheet_rows(kind, rows):
            ws.append(row)
        for r in ws.iter_rows(min_row=2):
            for cell in r:
                _as_text(cell)
                if isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
                if isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for i, h in enumerate(_headers(kind), start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, min(60, len(h) + 8))
        ws.freeze_panes = "A2"
    wb.save(out)


def _as_text(cell: Any) -> None:
    """User text that starts with `=` is stored as text, never as a formula."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"


def _csv_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, date):
        return f"{v:%d/%m/%Y}"
    s = str(v)
    return "'" + s if s[:1] in ("=", "+", "-", "@") and not re.match(r"^-?\d", s) else s


def write_csv(headers: list[str], rows: Iterable[list[Any]], out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(headers)
        for row in rows:
            w.writerow([_csv_value(v) for v in row])


def export_tracker(
    session: Session, out: Path, *, tz: ZoneInfo, inspection: str | None = None
) -> int:
    """Writes the tracker (xlsx: every sheet; csv: the actions). Returns the rows written."""
    rows = tracker_rows(session, tz=tz, inspection=inspection)
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        write_workbook(rows, out)
        return sum(len(v) for v in rows.values())
    if suffix == ".csv":
        write_csv(EXPORT_ACTION_HEADERS, rows["actions"], out)
        return len(rows["actions"])
    raise UsageError(f"Export to an .xlsx workbook or a .csv file, not {out.name}.")


def write_template(out: Path) -> None:
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"The template is a workbook: give a .xlsx file name, not {out.name}.")
    write_workbook(TEMPLATE_ROWS, out)


def history_rows(session: Session, *, inspection: str | None = None) -> list[list[Any]]:
    """The full audit trail, oldest first: who, when, what, before, after."""
    insp = get_inspection(session, code=inspection)
    rows = session.exec(
        select(Update, Recommendation.number, Action.number, PanelMeeting.day)
        .outerjoin(Recommendation, Recommendation.id == Update.recommendation_id)
        .outerjoin(Action, Action.id == Update.action_id)
        .outerjoin(PanelMeeting, PanelMeeting.id == Update.panel_id)
        .where(Update.inspection_id == insp.id)
        .order_by(Update.at, Update.id)
    ).all()
    names = {m.user_id: m.display_name for m in session.exec(select(Member)).all()}
    out = []
    for u, rec_no, action_no, panel_day in rows:
        if action_no is not None:
            ref = f"R{rec_no}.{action_no}"
        elif rec_no is not None:
            ref = f"R{rec_no}"
        elif panel_day is not None:
            ref = f"panel {panel_day:%d/%m/%Y}"
        else:
            ref = insp.code
        out.append(
            [
                u.at.strftime("%Y-%m-%d %H:%M:%S"),
                u.actor,
                names.get(u.actor),
                ref,
                u.field,
                u.before,
                u.after,
                u.note,
                u.source,
            ]
        )
    return out


def export_history(session: Session, out: Path, *, inspection: str | None = None) -> int:
    rows = history_rows(session, inspection=inspection)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        write_csv(HISTORY_HEADERS, rows, out)
    elif suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = "History"
        ws.append(HISTORY_HEADERS)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        for r in ws.iter_rows(min_row=2):
            for cell in r:
                _as_text(cell)
        ws.freeze_panes = "A2"
        wb.save(out)
    else:
        raise UsageError(f"Export to an .xlsx workbook or a .csv file, not {out.name}.")
    return len(rows)
