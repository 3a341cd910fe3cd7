"""An import from start to finish: read, parse, look up owner emails, check, apply.

It runs in phases so a bad file writes nothing and Slack is never called inside a write
transaction:

1. `read_tables` and `parse_tables`: rows → typed records, each bad cell a `Problem`;
2. owner emails not known to the tracker are looked up with the injected resolver
   (bot/lookup.py wraps Slack's users.lookupByEmail; models/ never imports Slack);
3. the cross-checks against the database (unknown recommendation, unknown owner), and only
   when nothing anywhere in the file is wrong, the differences are written, each one an
   `Update` row with source `import`: the inspection, people and recommendations in one
   write transaction, then the actions in batches of `BATCH_ROWS`, each its own transaction,
   then the panel meetings. Between batches `Database.make_way()` lets a waiting write in,
   so on SQLite a Slack update made during a long import waits for one batch, not the whole
   import. Importing the same file twice changes nothing the second time, so an import
   stopped part-way (a crash, a killed process) is finished by running it again.

A dry run, and `apply_plan` (an import from a report's text), apply everything in one
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models.db import Database
from models.errors import NotFound, UsageError
from models.kinds import ORDER, item_ref, noun
from models.service import get_inspection
from models.tables import Inspection, Member, Recommendation
from models.transfer.apply import (
    KnownActions,
    apply_actions,
    apply_inspection,
    apply_panels,
    apply_people,
)
from models.transfer.apply_items import apply_recs
from models.transfer.apply_paper import apply_paragraphs
from models.transfer.cells import Plan, Record
from models.transfer.changes import ImportReport, Writer
from models.transfer.parse import parse_tables
from models.transfer.read import read_tables
from models.transfer.schema import EmailResolver, ImportRejected, Looked, Problem, norm

BATCH_ROWS = 1000  # actions written per transaction (up to 6,000 history rows)


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
    """Read, look up owner emails, check everything, then apply in batches (or report every
    bad row and write nothing)."""
    problems: list[Problem] = []
    tables = read_tables(path, problems)
    plan = parse_tables(tables, today=today, problems=problems)
    check_duplicates(plan)
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
    checks = {"looked_up": looked_up, "can_lookup": resolve is not None, "inspection": inspection}
    if dry_run:
        with db.write() as session:
            report = apply_plan(session, plan, now=now, tz=tz, **checks)
            report.dry_run = True
            session.rollback()
        return report
    with db.write() as session:
        head = apply_head(session, plan, now=now, tz=tz, **checks)
    known: KnownActions | None = None
    for start in range(0, len(plan.actions), BATCH_ROWS):
        db.make_way()
        with db.write() as session:
            known = known or KnownActions(session, [r.id for r in head.recs.values()])
            rows = plan.actions[start : start + BATCH_ROWS]
            w = head.writer(session)
            apply_actions(session, w, plan, head.recs, now, rows=rows, known=known)
    if plan.panels:
        db.make_way()
        with db.write() as session:
            apply_panels(session, head.writer(session), plan, head.inspection, tz)
    return head.report


@dataclass
class Head:
    """What the first transaction of an import wrote and the batches after it need."""

    report: ImportReport
    inspection: Inspection
    recs: dict[tuple[str, int], Recommendation]  # by (kind, number)
    now: datetime

    def writer(self, session: Session) -> Writer:
        w = Writer(session, self.now, self.report)
        w.inspection_id = self.inspection.id
        return w


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
    """Cross-check against the database, then write the differences, all in `session`.
    Raises ImportRejected (before writing anything) when a row names an unknown
    recommendation or owner."""
    head = apply_head(
        session,
        plan,
        now=now,
        tz=tz,
        looked_up=looked_up,
        can_lookup=can_lookup,
        inspection=inspection,
    )
    w = head.writer(session)
    apply_actions(session, w, plan, head.recs, now)
    apply_panels(session, w, plan, head.inspection, tz)
    session.flush()
    return head.report


def apply_head(
    session: Session,
    plan: Plan,
    *,
    now: datetime,
    tz: ZoneInfo,
    looked_up: dict[str, Looked | None] | None = None,
    can_lookup: bool = False,
    inspection: str | None = None,
) -> Head:
    """Check the whole plan against the database (ImportRejected, nothing written, when any
    row is wrong), then write the inspection, the people and the recommendations."""
    looked_up = looked_up or {}
    problems: list[Problem] = list(plan.problems)  # cell problems, then the cross-checks
    try:
        insp = _target_inspection(session, plan, inspection)
    except UsageError:
        if problems:
            raise ImportRejected(problems) from None
        raise
    other = _another_force(plan, insp)
    if other is not None:
        problems.append(other)
    existing_recs = (
        {
            (r.kind, r.number): r
            for r in session.exec(
                select(Recommendation).where(Recommendation.inspection_id == insp.id)
            ).all()
        }
        if insp is not None and insp.id is not None
        else {}
    )
    file_recs = {r.get("number") for r in plan.recs}
    for a in [*plan.actions, *plan.findings]:
        if a.get("rec") not in existing_recs and a.get("rec") not in file_recs:
            have = (
                f"this inspection has {_rec_list(existing_recs)}"
                if existing_recs
                else "no items are set up yet"
            )
            problems.append(
                Problem(
                    a.sheet,
                    a.row,
                    a.header("rec", "Recommendation"),
                    item_ref(*a.get("rec")),
                    f"unknown {noun(a.get('rec')[0])}: {have}",
                )
            )
    for r in plan.recs:
        cause = r.get("cause")
        if cause and cause not in existing_recs and cause not in file_recs:
            problems.append(
                Problem(
                    r.sheet,
                    r.row,
                    r.header("cause", "Cause of concern"),
                    item_ref(*cause),
                    "unknown cause of concern: list it on this sheet too",
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
    w = Writer(session, now, report)
    insp = apply_inspection(session, w, plan, insp, now)
    w.inspection_id = insp.id
    apply_people(session, w, plan, members, names, by_email)
    recs = apply_recs(session, w, plan, insp, existing_recs)
    apply_paragraphs(session, w, plan, insp, recs, now.astimezone(tz).date())
    session.flush()
    return Head(report, insp, recs, now)


def _rec_list(recs: dict[tuple[str, int], Recommendation]) -> str:
    parts = []
    for kind in ORDER:
        ns = sorted(n for k, n in recs if k == kind)
        if not ns:
            continue
        run = ns == list(range(ns[0], ns[-1] + 1)) and len(ns) > 1
        parts.append(
            f"{item_ref(kind, ns[0])} to {item_ref(kind, ns[-1])}"
            if run
            else ", ".join(item_ref(kind, n) for n in ns)
        )
    return "; ".join(parts)


def _another_force(plan: Plan, insp: Inspection | None) -> Problem | None:
    """A workbook for one force never rewrites another force's inspection of the same code."""
    rec = plan.inspection
    if rec is None or insp is None or not rec.get("force") or not insp.force:
        return None
    if norm(rec.get("force")) == norm(insp.force):
        return None
    return Problem(
        rec.sheet,
        rec.row,
        rec.header("force", "Force"),
        rec.get("force"),
        f"inspection {insp.code} in this tracker is {insp.force}'s; give this workbook's "
        "inspection its own code",
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


def check_duplicates(plan: Plan) -> None:
    def dup(rec: Record, column: str, value: str, first: Record, what: str) -> None:
        plan.problems.append(
            Problem(rec.sheet, rec.row, column, value, f"duplicate {what}: same as row {first.row}")
        )

    seen: dict[Any, Record] = {}
    for r in plan.recs:
        k = r.get("number")
        if k in seen:
            dup(r, r.header("number", "Number"), item_ref(*k), seen[k], noun(k[0]))
        seen[k] = seen.get(k, r)
    by_ref: dict[tuple[tuple[str, int], int], Record] = {}
    by_title: dict[tuple[tuple[str, int], str], Record] = {}
    for a in plan.actions:
        if a.has("number"):
            k = (a.get("rec"), a.get("number"))
            if k in by_ref:
                dup(a, a.header("ref", "Ref"), f"{item_ref(*k[0])}.{k[1]}", by_ref[k], "action")
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
