"""Writing a checked plan's differences, sheet by sheet; the caller holds the transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from models.calendar import local_to_utc
from models.tables import (
    Action,
    Inspection,
    Member,
    PanelMeeting,
    Recommendation,
    Role,
    Status,
    Update,
)
from models.transfer.cells import Plan, Record
from models.transfer.changes import Writer


def apply_inspection(
    session: Session, w: Writer, plan: Plan, insp: Inspection | None, now: datetime
) -> Inspection:
    rec = plan.inspection
    w.at = rec
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


def apply_people(
    session: Session,
    w: Writer,
    plan: Plan,
    members: dict[str, Member],
    names: dict[str, str | None],
    by_email: dict[str, str],
) -> None:
    for p in plan.people:
        w.at = p
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
        if p.has("role"):
            m.lead_by_setting = False  # the sheet says what their role is, not NCPI_LEADS
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
        w.at = a
        uid = a.get("owner")
        if not uid or uid in members:
            continue
        m = Member(user_id=uid, display_name=names.get(uid) or uid, email=emails.get(uid))
        session.add(m)
        members[uid] = m
        w.record(field="member", after=f"{uid} {m.display_name} ({m.role})")
        w.report.created["people"] += 1
    session.flush()


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


class KnownActions:
    """The tracker's actions under the file's recommendations, by ref and by title (ids
    only), read once per import and kept up to date as batches add to them."""

    def __init__(self, session: Session, rec_ids: list[int]) -> None:
        self.by_ref: dict[tuple[int, int], int] = {}
        self.by_title: dict[tuple[int, str], int] = {}
        rows = session.exec(
            select(Action.id, Action.recommendation_id, Action.number, Action.title).where(
                col(Action.recommendation_id).in_(rec_ids)
            )
        ).all()
        for aid, rid, number, title in rows:
            self.add(aid, rid, number, title)

    def add(self, aid: int, rid: int, number: int, title: str) -> None:
        self.by_ref[(rid, number)] = aid
        self.by_title.setdefault((rid, title.lower()), aid)

    def find(self, rid: int, r: Record) -> int | None:
        if r.has("number"):
            return self.by_ref.get((rid, r.get("number")))
        return self.by_title.get((rid, r.get("title").lower()))


def apply_actions(
    session: Session,
    w: Writer,
    plan: Plan,
    recs: dict[tuple[str, int], Recommendation],
    now: datetime,
    *,
    rows: list[Record] | None = None,
    known: KnownActions | None = None,
) -> None:
    """Write the plan's actions (or `rows` of them, one batch; `known` carried from batch to
    batch). New actions without a ref are numbered after every ref the whole file gives and
    every number already taken, so batches (and a Slack `add` between them) never take one
    another's numbers; an action already written, by an earlier batch or an earlier run, is
    matched by its ref or title and only its differences are written."""
    rows = plan.actions if rows is None else rows
    if not rows:
        return
    rec_ids = [r.id for r in recs.values()]
    known = known or KnownActions(session, rec_ids)
    ids = {aid for r in rows if (aid := known.find(recs[r.get("rec")].id, r)) is not None}
    loaded = {a.id: a for a in session.exec(select(Action).where(col(Action.id).in_(ids))).all()}
    notes = latest_notes(session, list(ids))
    next_number: dict[int, int] = defaultdict(int)
    for rid, top in session.exec(
        select(Action.recommendation_id, func.max(Action.number))
        .where(col(Action.recommendation_id).in_(rec_ids))
        .group_by(Action.recommendation_id)
    ).all():
        next_number[rid] = top or 0
    for r in plan.actions:
        if r.has("number"):
            rid = recs[r.get("rec")].id
            next_number[rid] = max(next_number[rid], r.get("number"))
    for r in rows:
        w.at = r
        rec = recs[r.get("rec")]
        found = known.find(rec.id, r)
        action = loaded.get(found) if found is not None else None
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
            known.add(action.id, rec.id, number, action.title)
            loaded[action.id] = action
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


def apply_panels(session: Session, w: Writer, plan: Plan, insp: Inspection, tz: ZoneInfo) -> None:
    if not plan.panels:
        return
    existing = {
        p.day: p
        for p in session.exec(
            select(PanelMeeting).where(PanelMeeting.inspection_id == insp.id)
        ).all()
    }
    for r in plan.panels:
        w.at = r
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
