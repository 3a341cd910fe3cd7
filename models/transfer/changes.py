"""What an import changes: counted for the reply, and one history row per changed field."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from models.service import _record
from models.tables import Source
from models.transfer.schema import ACTOR


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


class Writer:
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
        self.record(field=field, before=hist(before), after=hist(value), **kw)
        return True


def hist(v: Any) -> Any:
    if isinstance(v, date | datetime):
        return v.isoformat()
    if isinstance(v, bool):
        return "yes" if v else "no"
    return v
