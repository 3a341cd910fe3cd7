"""An inspection's milestones: the dates the law and the inspectorate set from publication.

- The chief constable's comments to the PCC: the PCC must invite them before publishing
  (Police Act 1996 s.55). The Act sets no day; the tracker asks for them 28 days after
  publication, half the s.55 period, and a lead moves it to the date the PCC asks for.
- The PCC's published comments: Police Act 1996 s.55 — before the end of the 56-day period
  beginning on the day the report is published, so the last day is publication + 55 days
  (a report published 22 December 2022 is answered by 15 February 2023). Set by law: never
  moved, not even off a weekend.
- The action plan (NCPI only): the force sends HMICFRS its action plan within six weeks of
  publication (publication + 42 days).
- The re-inspection: the inspection's re-inspection date, when known; a lead sets it.

A lead moves a milestone with a reason (`move_milestone`): the new day is kept in the
`Milestone` table and the change, with its reason, in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from models.errors import UsageError
from models.service.access import require_lead
from models.service.audit import record
from models.service.checks import check_note
from models.service.lookup import get_inspection
from models.tables import Inspection, Milestone, Source
from models.wording import long_day, plural


class MilestoneKind(StrEnum):
    CHIEF_CONSTABLE = "chief_constable"
    S55 = "s55"
    ACTION_PLAN = "action_plan"
    REINSPECTION = "reinspection"


@dataclass(frozen=True)
class Rule:
    kind: MilestoneKind
    label: str
    basis: str  # where the date comes from, as the summary and the paper say it
    after_publication: int | None  # days; None: not counted from publication
    movable: bool = True
    ncpi_only: bool = False


RULES = (
    Rule(
        MilestoneKind.CHIEF_CONSTABLE,
        "Chief constable's comments to the PCC",
        "Police Act 1996 s.55: the PCC invites them before publishing; asked for 28 days "
        "after publication",
        28,
    ),
    Rule(
        MilestoneKind.S55,
        "PCC's comments published (s.55)",
        "Police Act 1996 s.55: before the end of the 56-day period beginning on the day "
        "the report was published",
        55,
        movable=False,
    ),
    Rule(
        MilestoneKind.ACTION_PLAN,
        "Action plan to HMICFRS",
        "NCPI: the force's action plan within six weeks of publication",
        42,
        ncpi_only=True,
    ),
    Rule(
        MilestoneKind.REINSPECTION,
        "Re-inspection",
        "HMICFRS returns to check progress on the recommendations",
        None,
    ),
)
RULE = {r.kind: r for r in RULES}
WORDS = {
    "cc": MilestoneKind.CHIEF_CONSTABLE,
    "chief": MilestoneKind.CHIEF_CONSTABLE,
    "chief_constable": MilestoneKind.CHIEF_CONSTABLE,
    "comments": MilestoneKind.CHIEF_CONSTABLE,
    "s55": MilestoneKind.S55,
    "s.55": MilestoneKind.S55,
    "pcc": MilestoneKind.S55,
    "response": MilestoneKind.S55,
    "plan": MilestoneKind.ACTION_PLAN,
    "action_plan": MilestoneKind.ACTION_PLAN,
    "actionplan": MilestoneKind.ACTION_PLAN,
    "reinspection": MilestoneKind.REINSPECTION,
    "re-inspection": MilestoneKind.REINSPECTION,
    "revisit": MilestoneKind.REINSPECTION,
}
MILESTONE_WORDS = "cc (chief constable's comments), plan (action plan), reinspection"


@dataclass(frozen=True)
class MilestoneView:
    inspection_id: int
    inspection_code: str
    kind: str
    label: str
    basis: str
    day: date | None  # None: not known yet (no publication date, no re-inspection date)
    computed: date | None  # the day the rule gives
    moved: bool
    movable: bool

    def when(self, today: date) -> str:
        """`Wed 15 Feb 2023 (passed)`, `… (today)`, `… (in 12 days)`, or why there is none."""
        if self.day is None:
            if self.kind == MilestoneKind.REINSPECTION:
                return "not set yet"
            return "not set: the inspection has no publication date"
        n = (self.day - today).days
        when = "today" if n == 0 else ("passed" if n < 0 else f"in {plural(n, 'day')}")
        moved = f", moved from {long_day(self.computed)}" if self.moved and self.computed else ""
        return f"{long_day(self.day)} ({when}{moved})"


def is_ncpi(insp: Inspection) -> bool:
    return insp.code.upper().startswith("NCPI") or "child protection" in insp.title.lower()


def computed_day(rule: Rule, insp: Inspection) -> date | None:
    if rule.after_publication is None:
        return insp.reinspected
    if insp.published is None:
        return None
    return insp.published + timedelta(days=rule.after_publication)


def views_for(insp: Inspection, moved: dict[str, date]) -> list[MilestoneView]:
    out = []
    for rule in RULES:
        if rule.ncpi_only and not is_ncpi(insp):
            continue
        computed = computed_day(rule, insp)
        day = moved.get(rule.kind, computed) if rule.movable else computed
        out.append(
            MilestoneView(
                inspection_id=insp.id,
                inspection_code=insp.code,
                kind=rule.kind,
                label=rule.label,
                basis=rule.basis,
                day=day,
                computed=computed,
                moved=rule.movable and rule.kind in moved and moved[rule.kind] != computed,
                movable=rule.movable,
            )
        )
    return out


def _moved(session: Session, ids: list[int]) -> dict[int, dict[str, date]]:
    out: dict[int, dict[str, date]] = {i: {} for i in ids}
    if ids:
        rows = session.exec(select(Milestone).where(col(Milestone.inspection_id).in_(ids))).all()
        for m in rows:
            out[m.inspection_id][m.kind] = m.day
    return out


def inspection_milestones(session: Session, *, inspection: Inspection) -> list[MilestoneView]:
    """One inspection's milestones, in the order they fall due."""
    return views_for(inspection, _moved(session, [inspection.id])[inspection.id])


def all_milestones(session: Session) -> list[MilestoneView]:
    """Every inspection's milestones (two queries): what the reminder planner reads."""
    inspections = list(session.exec(select(Inspection).order_by(Inspection.id)).all())
    moved = _moved(session, [i.id for i in inspections])
    return [m for i in inspections for m in views_for(i, moved[i.id])]


def _word(kind: MilestoneKind) -> str:
    """The short word a lead types for a milestone (`cc`, `plan`, `reinspection`)."""
    return {MilestoneKind.CHIEF_CONSTABLE: "cc", MilestoneKind.ACTION_PLAN: "plan"}.get(
        kind, str(kind)
    )


def parse_milestone(word: str) -> MilestoneKind:
    kind = WORDS.get(word.strip().lower())
    if kind is None:
        raise UsageError(f"`{word[:40]}` is not a milestone: say {MILESTONE_WORDS}.")
    return kind


def move_milestone(
    session: Session,
    *,
    kind: str,
    day: date,
    reason: str | None,
    actor: str,
    now: datetime,
    source: Source,
    inspection: str | None = None,
    confirmed: bool = False,
) -> MilestoneView:
    """Set a milestone's day (a lead, with a reason); one history row."""
    require_lead(session, actor, "move milestones")
    insp = get_inspection(session, code=inspection)
    rule = RULE[MilestoneKind(kind)]
    if not rule.movable:
        raise UsageError(
            f"The s.55 deadline is set by law ({rule.basis}), so it cannot be moved. "
            "If the publication date is wrong, import the workbook again with the right one."
        )
    if rule.ncpi_only and not is_ncpi(insp):
        raise UsageError(f"{insp.code} is not an NCPI inspection, so it has no {rule.label}.")
    reason = check_note(reason, confirmed=confirmed, what="reason")
    if not reason:
        raise UsageError(
            f"Say why it moves, after the date: `/ncpi milestone {_word(rule.kind)} "
            f"{day:%d/%m/%Y} <reason>`."
        )
    if insp.published is not None and day < insp.published:
        raise UsageError(
            f"{long_day(day)} is before the report was published ({long_day(insp.published)})."
        )
    before = next(m for m in inspection_milestones(session, inspection=insp) if m.kind == rule.kind)
    row = session.exec(
        select(Milestone).where(Milestone.inspection_id == insp.id, Milestone.kind == rule.kind)
    ).first()
    if row is None:
        session.add(Milestone(inspection_id=insp.id, kind=rule.kind, day=day))
    else:
        row.day = day
    record(
        session,
        inspection_id=insp.id,
        actor=actor,
        now=now,
        source=source,
        field="milestone",
        before=f"{rule.kind} {before.day.isoformat()}" if before.day else f"{rule.kind} not set",
        after=f"{rule.kind} {day.isoformat()}",
        note=reason,
    )
    session.flush()
    return next(m for m in inspection_milestones(session, inspection=insp) if m.kind == rule.kind)
