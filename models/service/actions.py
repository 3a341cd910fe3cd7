"""An action's life: added, re-dated, updated, marked implemented, verified, returned."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from models.errors import NeedsConfirmation, UsageError
from models.parsing import check_window
from models.service.access import offered_to, require_owner_or_lead
from models.service.audit import record
from models.service.checks import append_line, check_note, check_title
from models.service.lookup import action_ref, get_action, get_recommendation
from models.service.members import ensure_member
from models.service.opening import open_for_lead
from models.tables import (
    Action,
    Source,
    Status,
)
from models.wording import long_day


def touch(action: Action, now: datetime) -> None:
    action.updated_at = now


def check_due(due: date, *, ref: str, today: date | None, past_ok: bool) -> date:
    """A due date the tracker takes; one before `today` only once its author has confirmed
    it (`past_ok`). Checked after the text guardrail, so confirming this confirms no note.
    Without `today` (no calendar at hand) only the window is checked."""
    check_window(due, today=today)
    if today is not None and due < today and not past_ok:
        raise NeedsConfirmation(
            f"{long_day(due)} is in the past (today is {long_day(today)}), so {ref} "
            "would be overdue at once. Nothing has been saved yet: keep this date if it is "
            "right, or change it to the date you meant.",
            [],
            subject="date",
            confirm_with={"past_ok": True},
        )
    return due


def add_action(
    session: Session,
    *,
    rec: str,
    title: str,
    owner: str | None,
    due: date | None,
    actor: str,
    source: Source,
    now: datetime,
    inspection: str | None = None,
    confirmed: bool = False,
    today: date | None = None,
    past_ok: bool = False,
) -> Action:
    # Locked: the new action's number is the highest so far plus one.
    recommendation, _ = open_for_lead(
        session, get_recommendation, rec, inspection, actor=actor, doing="add actions"
    )
    title = check_title(title)
    check_note(title, confirmed=confirmed, what="title")
    number = (
        session.exec(
            select(func.max(Action.number)).where(Action.recommendation_id == recommendation.id)
        ).one()
        or 0
    ) + 1
    if due is not None:
        check_due(due, ref=f"{recommendation.ref}.{number}", today=today, past_ok=past_ok)
    if owner:
        ensure_member(session, owner)
    action = Action(
        recommendation_id=recommendation.id,
        number=number,
        title=title,
        owner=owner,
        owner_accepted=owner is None or owner == actor,
        due=due,
        status=Status.NOT_STARTED,
        created_at=now,
        updated_at=now,
    )
    session.add(action)
    session.flush()
    common = dict(
        inspection_id=recommendation.inspection_id,
        actor=actor,
        now=now,
        source=source,
        action=action,
    )
    record(session, field="created", after=title, **common)
    if owner:
        record(session, field="owner", after=owner, **common)
    if due:
        record(session, field="due", after=due.isoformat(), **common)
    return action


def set_due(
    session: Session,
    *,
    ref: str,
    due: date,
    actor: str,
    source: Source,
    now: datetime,
    reason: str | None = None,
    inspection: str | None = None,
    confirmed: bool = False,
    today: date | None = None,
    past_ok: bool = False,
) -> Action:
    """A new due date, with an optional reason (kept as the history note, told to the owner,
    quoted in the paper). `today`: a date before it is held for confirmation (`past_ok`)."""
    action, shown = open_for_lead(
        session, get_action, ref, inspection, actor=actor, doing="change due dates", open_only=True
    )
    reason = check_note(reason, confirmed=confirmed, what="reason")
    if action.due == due:
        raise UsageError(f"{shown} is already due {long_day(due)}.")
    check_due(due, ref=shown, today=today, past_ok=past_ok)
    before = action.due
    action.due = due
    touch(action, now)
    record(
        session,
        actor=actor,
        now=now,
        source=source,
        field="due",
        before=before.isoformat() if before else None,
        after=due.isoformat(),
        note=reason,
        action=action,
    )
    return action


def update_action(
    session: Session,
    *,
    ref: str,
    actor: str,
    status: Status | None,
    note: str | None,
    source: Source,
    now: datetime,
    evidence: str | None = None,
    inspection: str | None = None,
    confirmed: bool = False,
) -> Action:
    """Change status and/or add a note. Implemented needs evidence; verified is `verify`."""
    action = get_action(session, ref=ref, inspection=inspection, for_update=True, open_only=True)
    shown = action_ref(session, action)
    require_owner_or_lead(session, action, actor, shown)
    note = check_note(note, confirmed=confirmed)
    evidence = check_note(evidence, confirmed=confirmed, what="evidence")
    take_on(session, action, actor=actor, now=now, source=source)
    if status == Status.VERIFIED:
        raise UsageError(f"A lead verifies with `verify {shown}`, after checking the evidence.")
    if status == Status.WITHDRAWN:
        raise UsageError(f"A lead withdraws an action, saying why: `withdraw {shown} <reason>`.")
    if status == Status.IMPLEMENTED and action.status == Status.IMPLEMENTED and (note or evidence):
        status = None  # more evidence or a note while it waits for a lead: keep it
    if status == Status.IMPLEMENTED:
        return mark_implemented(
            session,
            ref=ref,
            actor=actor,
            evidence=evidence or note,
            note=note if evidence else None,
            source=source,
            now=now,
            inspection=inspection,
            confirmed=True,
        )
    if status is None and not note and not evidence:
        raise UsageError(
            f"Nothing to update. Write `update {shown} on track` or `update {shown} at risk waiting on IT`."
        )
    if action.status == Status.VERIFIED:
        raise UsageError(
            f"{shown} is verified and closed. A lead can add a new action if more work is needed."
        )
    common = dict(
        actor=actor,
        now=now,
        source=source,
        action=action,
    )
    status_changed = status is not None and status != action.status
    if status_changed:
        record(session, field="status", before=action.status, after=status, note=note, **common)
        action.status = status
    elif note:
        record(session, field="note", note=note, **common)
    if evidence:
        record(session, field="evidence", before=action.evidence, after=evidence, **common)
        action.evidence = append_line(action.evidence, evidence)
    if not (status_changed or note or evidence):
        raise UsageError(
            f"{shown} is already {Status(action.status).label}; add a note to say more."
        )
    touch(action, now)
    return action


def mark_implemented(
    session: Session,
    *,
    ref: str,
    actor: str,
    evidence: str | None,
    source: Source,
    now: datetime,
    inspection: str | None = None,
    confirmed: bool = False,
    note: str | None = None,
) -> Action:
    """The owner (or a lead) says it is done, with evidence: a link or a note. `note` is an
    optional remark kept on the status change; without one the evidence is the remark."""
    action = get_action(session, ref=ref, inspection=inspection, for_update=True, open_only=True)
    shown = action_ref(session, action)
    require_owner_or_lead(session, action, actor, shown)
    evidence = check_note(evidence, confirmed=confirmed, what="evidence")
    note = check_note(note, confirmed=confirmed)
    take_on(session, action, actor=actor, now=now, source=source)
    if not evidence:
        raise UsageError(
            f"Add the evidence: `done {shown} https://link.to/evidence` or `done {shown} policy agreed at board`."
        )
    if action.status == Status.VERIFIED:
        raise UsageError(f"{shown} is already verified.")
    if action.status == Status.IMPLEMENTED:
        raise UsageError(
            f"{shown} is already marked implemented and waiting for a lead to verify it."
        )
    common = dict(
        actor=actor,
        now=now,
        source=source,
        action=action,
    )
    record(
        session,
        field="status",
        before=action.status,
        after=Status.IMPLEMENTED,
        note=note or evidence,
        **common,
    )
    record(session, field="evidence", before=action.evidence, after=evidence, **common)
    action.status = Status.IMPLEMENTED
    action.evidence = append_line(action.evidence, evidence)
    touch(action, now)
    return action


def take_on(session: Session, action: Action, *, actor: str, now: datetime, source: Source) -> None:
    """The person an action is being handed to takes it on: by Accept, or by working on it
    (an update, a note, implemented), which says as much. Once; the history keeps it."""
    if not offered_to(action, actor):
        return
    action.owner_accepted = True
    touch(action, now)
    record(
        session,
        actor=actor,
        now=now,
        source=source,
        field="handover",
        before="offered",
        after="accepted",
        action=action,
    )


def verify_action(
    session: Session,
    *,
    ref: str,
    actor: str,
    source: Source,
    now: datetime,
    note: str | None = None,
    inspection: str | None = None,
    confirmed: bool = False,
) -> Action:
    action, shown = open_for_lead(
        session, get_action, ref, inspection, actor=actor, doing="verify actions", open_only=True
    )
    note = check_note(note, confirmed=confirmed)
    if action.status == Status.VERIFIED:
        raise UsageError(f"{shown} is already verified.")
    if action.status != Status.IMPLEMENTED:
        raise UsageError(
            f"{shown} is {Status(action.status).label}; its owner marks it implemented with evidence "
            f"(`done {shown} <link or note>`) before a lead verifies it."
        )
    record(
        session,
        actor=actor,
        now=now,
        source=source,
        field="status",
        before=action.status,
        after=Status.VERIFIED,
        note=note,
        action=action,
    )
    action.status = Status.VERIFIED
    touch(action, now)
    return action


def require_returnable(status: str, shown: str) -> None:
    """Only an action waiting for verification goes back to its owner: a verified one is
    closed (more work is a new action), anything else is not waiting for a lead."""
    if status == Status.VERIFIED:
        raise UsageError(
            f"{shown} is verified and closed. A lead can add a new action if more work is needed."
        )
    if status != Status.IMPLEMENTED:
        raise UsageError(f"{shown} is {Status(status).label}, not waiting for verification.")


def return_action(
    session: Session,
    *,
    ref: str,
    actor: str,
    reason: str,
    source: Source,
    now: datetime,
    inspection: str | None = None,
    confirmed: bool = False,
) -> Action:
    action, shown = open_for_lead(
        session, get_action, ref, inspection, actor=actor, doing="return actions"
    )
    reason = check_note(reason, confirmed=confirmed, what="reason")
    if not reason:
        raise UsageError(
            f"Say why it is going back: `return {shown} evidence does not cover nights`."
        )
    require_returnable(action.status, shown)
    record(
        session,
        actor=actor,
        now=now,
        source=source,
        field="status",
        before=action.status,
        after=Status.ON_TRACK,
        note=f"returned: {reason}",
        action=action,
    )
    action.status = Status.ON_TRACK
    touch(action, now)
    return action
