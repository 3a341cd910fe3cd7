"""Read models: the shapes views render (actions, recommendations, panels, the
summary). The queries that fill them are `actionviews` (an action as it is) and `overview`
(the summary); `asof` fills the same shapes as the tracker stood on a day."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from models.kinds import item_ref
from models.parsing import qualified
from models.service.milestones import MilestoneView
from models.tables import (
    OPEN_STATUSES,
    RecStatus,
    Status,
)


class Rag:
    COMPLETE = "complete"
    WITHDRAWN = "withdrawn"  # not tracked any more: in no RAG count
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    ORDER = ("red", "amber", "green", "complete")


def rag(status: str, due: date | None, today: date) -> str:
    """Derived RAG: verified → complete; withdrawn → none (it is not tracked); past due
    and not verified → red; blocked → red; at risk → amber; otherwise green."""
    if status == Status.VERIFIED:
        return Rag.COMPLETE
    if status == Status.WITHDRAWN:
        return Rag.WITHDRAWN
    if due is not None and due < today:
        return Rag.RED
    if status == Status.BLOCKED:
        return Rag.RED
    if status == Status.AT_RISK:
        return Rag.AMBER
    return Rag.GREEN


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


@dataclass
class ActionView:
    ref: str
    rec_number: int  # its item's number, whatever the kind (`rec_id` tells them apart)
    number: int
    title: str
    owner: str | None
    owner_name: str | None
    owner_accepted: bool
    due: date | None
    status: str
    rag: str
    evidence: str | None
    last_update: datetime | None
    # Working days past the due date (models.calendar.overdue_working_days): the one unit
    # for lateness, worded by models.wording.overdue_by.
    overdue_working_days: int = 0
    inspection: str = ""  # its inspection's code, e.g. NCPI
    several: bool = False  # more than one inspection is tracked
    rec_id: int = 0
    rec_kind: str = "recommendation"

    @property
    def rec_ref(self) -> str:
        """Its item's ref: `AFI3` for `AFI3.1`."""
        return item_ref(self.rec_kind, self.rec_number)

    @property
    def qualified_ref(self) -> str:
        """`NCPI:R2.1`: what buttons, forms and held changes carry, so a click or a submit
        finds this action whatever else is tracked, then or later."""
        return qualified(self.ref, self.inspection or None)

    @property
    def typed_ref(self) -> str:
        """The ref as the bot shows it and takes it back: `NCPI:R2.1` when several
        inspections are tracked, `R2.1` otherwise."""
        return self.qualified_ref if self.several else self.ref

    @property
    def is_open(self) -> bool:
        return is_open(self.status)

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class RecView:
    number: int
    title: str
    text: str
    timescale: str | None
    status: str
    signed_off_on: date | None
    sub_points: list[str] = field(default_factory=list)
    actions: list[ActionView] = field(default_factory=list)
    # Counts aggregated in SQL, when the actions were not loaded (`summary(actions=False)`).
    tally: Tally | None = None
    # The timescale read into a day (models.timescales), None when it gives none or counts
    # from a publication date the tracker does not know.
    target: date | None = None
    kind: str = "recommendation"
    cause: str | None = None  # the cause of concern it was made under (`C1`), if any

    @property
    def ref(self) -> str:
        """`R2`, `AFI3`, `C1`."""
        return item_ref(self.kind, self.number)

    def past_target(self, today: date) -> bool:
        """Past its target with actions still open: red, and in the lead digest."""
        return self.target is not None and self.target < today and self.open_count > 0

    @property
    def open_actions(self) -> list[ActionView]:
        return [a for a in self.actions if a.is_open or a.status == Status.IMPLEMENTED]

    @property
    def rag_counts(self) -> dict[str, int]:
        if self.tally is not None:
            return dict(self.tally.rag)
        counts: dict[str, int] = defaultdict(int)
        for a in self.open_actions:
            counts[a.rag] += 1
        return {k: counts[k] for k in Rag.ORDER if counts.get(k)}

    @property
    def overdue(self) -> list[ActionView]:
        """Open actions past their due date, longest overdue (earliest due) first: by date,
        as the SQL tally picks the worst, since two dates can be equally many working days
        late (a Friday and the Saturday after it)."""
        late = (a for a in self.open_actions if a.overdue_working_days > 0)
        return sorted(late, key=lambda a: a.due or date.max)

    @property
    def to_verify(self) -> list[ActionView]:
        """Implemented actions waiting for a lead to verify them or return them."""
        return [a for a in self.open_actions if a.status == Status.IMPLEMENTED]

    @property
    def open_count(self) -> int:
        return self.tally.open if self.tally is not None else len(self.open_actions)

    @property
    def overdue_count(self) -> int:
        return self.tally.overdue if self.tally is not None else len(self.overdue)

    @property
    def worst_overdue(self) -> ActionView | None:
        """The open action longest overdue (the first by number among equals)."""
        if self.tally is not None:
            return self.tally.worst_overdue
        late = self.overdue
        return late[0] if late else None

    @property
    def headline(self) -> dict[str, int]:
        """Open actions split so the parts add up to the whole: overdue first, then
        blocked, at risk, awaiting verification (implemented), on track (the rest)."""
        if self.tally is not None:
            return dict(self.tally.headline)
        counts = dict.fromkeys(HEADLINE, 0)
        for a in self.open_actions:
            late = a.overdue_working_days > 0
            counts[headline_part(a.status, late=late)] += 1
        return counts


@dataclass
class Tally:
    """A recommendation's open actions counted in SQL, for summaries of big trackers."""

    open: int
    overdue: int
    rag: dict[str, int]
    headline: dict[str, int]
    worst_overdue: ActionView | None


def headline_part(status: str, *, late: bool) -> str:
    if late:
        return "overdue"
    if status == Status.BLOCKED:
        return "blocked"
    if status == Status.AT_RISK:
        return "at risk"
    if status == Status.IMPLEMENTED:
        return "awaiting verification"
    return "on track"


@dataclass
class PanelView:
    day: date
    starts_at: datetime
    paper_ref: str | None
    title: str
    days_away: int


@dataclass
class Summary:
    inspection_code: str
    inspection_title: str
    today: date
    next_panel: PanelView | None
    recs: list[RecView]
    several: bool = False  # more than one inspection is tracked

    def typed(self, ref: str) -> str:
        """A ref in this inspection as the bot takes it back (`NCPI:R2` when several are
        tracked, `R2` otherwise)."""
        return qualified(ref, self.inspection_code if self.several else None)

    published: date | None = None
    milestones: list[MilestoneView] = field(default_factory=list)

    @property
    def signed_off(self) -> list[RecView]:
        return [r for r in self.recs if r.status == RecStatus.SIGNED_OFF]

    @property
    def outstanding(self) -> list[RecView]:
        return [r for r in self.recs if r.status != RecStatus.SIGNED_OFF]

    @property
    def open_actions(self) -> list[ActionView]:
        """The open actions themselves (empty where only counts were loaded)."""
        return [a for r in self.recs for a in r.open_actions]

    @property
    def to_verify(self) -> list[ActionView]:
        """Implemented actions waiting for a lead to verify them or return them."""
        return [a for a in self.open_actions if a.status == Status.IMPLEMENTED]

    @property
    def open_count(self) -> int:
        return sum(r.open_count for r in self.recs)

    def count(self, rag_value: str) -> int:
        return sum(r.rag_counts.get(rag_value, 0) for r in self.recs)

    @property
    def overdue_count(self) -> int:
        return sum(r.overdue_count for r in self.recs)

    @property
    def headline(self) -> dict[str, int]:
        """Open actions split so the parts add up to the whole: overdue first, then
        blocked, at risk, awaiting verification (implemented), on track (the rest)."""
        counts = dict.fromkeys(HEADLINE, 0)
        for r in self.recs:
            for k, n in r.headline.items():
                counts[k] += n
        return counts


HEADLINE = ("overdue", "blocked", "at risk", "awaiting verification", "on track")
