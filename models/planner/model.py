"""What the planner answers: the reminder kinds, an owed reminder and its lines, the
actions it could not plan; and the in-memory rows and people it plans from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

from models.kinds import RANK, action_ref
from models.parsing import qualified
from models.service.milestones import MilestoneView


class Kind(StrEnum):
    PANEL = "panel"
    DUE = "due"
    ESCALATION = "escalation"
    DIGEST = "digest"
    READINESS = "readiness"
    MILESTONE = "milestone"
    REVIEW = "review"  # leads: review the draft paper before a panel


class OwedItem(NamedTuple):
    """One action line in a reminder, as it stands at planning time."""

    action_id: int
    ref: str  # as people type it back: `R2.1`, or `NCPI:R2.1` when several inspections are tracked
    title: str
    owner: str | None
    due: date | None
    status: str
    note: str  # why it is listed, e.g. "overdue by 4 working days"
    group: str = ""  # digest section
    inspection: str = ""  # its inspection's code, for what buttons carry


@dataclass(frozen=True)
class PanelInfo:
    id: int
    day: date
    starts_at: datetime
    paper_ref: str | None
    title: str
    previous_day: date | None
    stale_since: date  # an update since this day counts: the last panel, or four weeks back


@dataclass(frozen=True)
class Owed:
    kind: str
    target: str
    local_day: date
    recipient: str  # Slack user id (DM) or channel id
    reason: str
    items: tuple[OwedItem, ...] = ()
    panel: PanelInfo | None = None
    today: date | None = None
    caught_up: tuple[date, ...] = field(default=())  # missed days folded into this one
    milestone: MilestoneView | None = None

    @property
    def key(self) -> str:
        return reminder_key(self.kind, self.target, self.local_day)

    @property
    def action_refs(self) -> tuple[str, ...]:
        return tuple(i.ref for i in self.items)

    @property
    def action_ids(self) -> tuple[int, ...]:
        return tuple(i.action_id for i in self.items)


@dataclass(frozen=True)
class Skipped:
    """An action the planner could not plan, and why (no note text: safe to log)."""

    action_id: int
    ref: str  # "NCPI:R4.1"
    reason: str  # "due date 9999-12-31 is outside 2000-2100"


@dataclass(frozen=True)
class Plan:
    owed: list[Owed]
    skipped: list[Skipped] = field(default_factory=list)


def reminder_key(kind: str, target: str, local_day: date) -> str:
    return f"{kind}|{target}|{local_day.isoformat()}"


class _Person(NamedTuple):
    user_id: str
    role: str
    manager: str | None
    away_until: date | None
    snoozed_until: date | None


@dataclass(slots=True)
class _Row:
    id: int
    rec: int  # its item's number
    kind: str  # its item's kind
    number: int
    title: str
    owner: str | None
    due: date | None
    status: str
    inspection_id: int
    code: str  # the inspection's
    several: bool  # more than one inspection is tracked

    @property
    def ref(self) -> str:
        """As people type it back (see OwedItem.ref)."""
        return qualified(self.plain_ref, self.code if self.several else None)

    @property
    def plain_ref(self) -> str:
        return action_ref(self.kind, self.rec, self.number)

    def item(self, note: str, group: str = "") -> OwedItem:
        return OwedItem(
            self.id, self.ref, self.title, self.owner, self.due, self.status, note, group, self.code
        )


def _sort_key(r: _Row) -> tuple:
    return (r.due or date.max, RANK[r.kind], r.rec, r.number)
