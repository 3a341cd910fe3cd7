"""What an import changes: counted for the reply, and one history row per changed field."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from models.kinds import NOUNS, ORDER
from models.service import record
from models.tables import Source
from models.transfer.cells import Record
from models.transfer.schema import ACTOR


@dataclass(frozen=True)
class Change:
    """One field an import sets: where in the file, and the value before and after."""

    sheet: str
    row: int
    field: str
    before: object
    after: object

    def __str__(self) -> str:
        name = re.sub(r"^(rec|inspection|panel|member|paper)_", "", self.field).replace("_", " ")
        return f"{self.sheet} row {self.row}, {name}: {_shown(self.before)} → {_shown(self.after)}"


def _shown(v: object) -> str:
    if v is None or v == "":
        return "(none)"
    s = " ".join(str(v).split())
    return repr(s if len(s) <= 200 else s[:197] + "...")


@dataclass
class ImportReport:
    inspection: str
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    changed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    history_rows: int = 0
    dry_run: bool = False
    changes: list[Change] = field(default_factory=list)  # every field, in file order
    empty_database: bool = False  # a dry run against a database not yet set up

    @property
    def nothing_changed(self) -> bool:
        return not any(self.created.values()) and not any(self.changed.values())

    def text(self) -> str:
        if self.nothing_changed:
            return f"{self.inspection}: the tracker already matches the file; nothing changed"
        parts = []
        for kind in (
            "inspection",
            *(NOUNS[k] for k in ORDER),  # causes of concern, recommendations, areas for …
            "actions",
            "panel meetings",
            "people",
            "findings",
            "paper",
        ):
            new, upd = self.created.get(kind, 0), self.changed.get(kind, 0)
            if new or upd:
                parts.append(f"{kind}: {new} new, {upd} changed")
        if self.dry_run:
            head = "dry run, nothing written"
            if self.empty_database:
                head += " (the database is not set up yet: checked against an empty tracker)"
            lines = "".join(f"\n  {c}" for c in self.changes)
            return f"{head}; {self.inspection} would change — " + "; ".join(parts) + lines
        return f"imported into {self.inspection} — " + "; ".join(parts)


class Writer:
    """Applies differences and writes one history row per changed field (source `import`)."""

    def __init__(self, session: Session, now: datetime, report: ImportReport) -> None:
        self.session, self.now, self.report = session, now, report
        self.inspection_id: int | None = None
        self.at: Record | None = None  # the file row being applied

    def record(self, **kw: Any) -> None:
        if self.at is not None:
            before, after = kw.get("before"), kw.get("note") or kw.get("after")
            change = Change(self.at.sheet, self.at.row, kw["field"], before, after)
            self.report.changes.append(change)
        record(
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
        self.record(field=field, before=hist(before), after=hist(value), **kw)
        return True


def hist(v: Any) -> Any:
    if isinstance(v, date | datetime):
        return v.isoformat()
    if isinstance(v, bool):
        return "yes" if v else "no"
    return v
