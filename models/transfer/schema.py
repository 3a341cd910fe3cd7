"""What a tracker file holds: the sheets, their columns and synonyms, and the problems a row can have.

Columns are found by header name, case- and space-insensitive, with the synonyms forces' own
trackers use ("Rec No", "Action owner", "Target date", "RAG" ...). Export writes the same
sheets and columns, so export → import reproduces the tracker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from models.errors import UsageError
from models.parsing import STATUS_WORDS
from models.people import USER_ID
from models.tables import ItemKind, RecStatus
from models.wording import plural

ACTOR = "import"
# An id as a cell may hold it: bare, @-prefixed, or pasted from Slack with its brackets.
SLACK_ID = re.compile(rf"^<?@?({USER_ID.pattern})(?:\|[^>]*)?>?$")
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
# An item's number as a cell may hold it: `2`, `R2`, `Rec 2`, `AFI3`, `Area for improvement
# 3`, `C1`, `Cause of concern 1` (a number typed into Excel may come back as `2.0`).
ITEM_WORDS = {  # by norm(): also what a Kind cell may say
    "r": ItemKind.RECOMMENDATION,
    "rec": ItemKind.RECOMMENDATION,
    "recommendation": ItemKind.RECOMMENDATION,
    "afi": ItemKind.AFI,
    "areaforimprovement": ItemKind.AFI,
    "c": ItemKind.CAUSE,
    "coc": ItemKind.CAUSE,
    "cause": ItemKind.CAUSE,
    "causeofconcern": ItemKind.CAUSE,
}
_ITEM_WORD = r"(?P<word>[a-z][a-z ]{0,24}?)?\s*\.?\s*"
REC_NUMBER = re.compile(rf"^{_ITEM_WORD}(?P<n>\d{{1,3}})(?:\.0+)?$", re.IGNORECASE)
ACTION_REF = re.compile(rf"^{_ITEM_WORD}(?P<n>\d{{1,3}})\s*\.\s*(?P<a>\d{{1,3}})$", re.IGNORECASE)
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
        Column("kind", "Kind", ("type", "item type", "category")),
        Column("cause", "Cause of concern", ("under cause", "cause", "coc", "parent")),
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
_SECTION = Column("section", "Section", ("heading", "part", "section heading"), required=True)
_PARA_TEXT = Column(
    "text",
    "Text",
    ("paragraph", "paragraph text", "wording", "narrative", "finding", "content"),
    required=True,
)
_WRITTEN = Column("date", "Date", ("date written", "written", "written on", "as at", "dated"))
_AUTHOR = Column("author", "Author", ("written by", "by", "who", "attributed to"))
FINDINGS = Kind(
    "findings",
    "Findings",
    ("findings", "finding", "narrative", "findings and improvement"),
    (
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
                "number",
                "ref",
            ),
            required=True,
        ),
        _SECTION,
        _PARA_TEXT,
        _WRITTEN,
        _AUTHOR,
    ),
)
PAPER = Kind(
    "paper",
    "Paper",
    ("paper", "closing sections", "paper sections", "paper text"),
    (_SECTION, _PARA_TEXT, _WRITTEN, _AUTHOR),
)
KINDS = (INSPECTION, RECOMMENDATIONS, ACTIONS, PANELS, PEOPLE, FINDINGS, PAPER)
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
CSV_GUARDED = {"'=", "'+", "'-", "'@", "'\t", "'\r"}  # export's formula guard
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
        lines = "\n".join(f"  {p}" for p in problems[:SHOWN_PROBLEMS])
        n = len(problems)
        if n > SHOWN_PROBLEMS:
            lines += f"\n  … and {n - SHOWN_PROBLEMS:,} more"
        super().__init__(f"nothing was imported: {plural(n, 'problem')} to fix first\n{lines}")


WITHHELD = "(withheld)"
SHOWN_PROBLEMS = 50  # listed one by one; the rest are counted
MAX_ROWS = 25_000  # rows a sheet; the HMICFRS benchmark imports 10,000 actions
MAX_CELL = 10_000  # characters a cell; notes are capped lower, at MAX_NOTE


def blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())
