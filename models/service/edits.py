"""A lead's corrections: withdrawing an action (with a reason) and reinstating it, renaming
an action, editing a recommendation's title or text. Nothing is deleted: every version,
and why, stays in the history."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from models.errors import UsageError
from models.service.actions import touch
from models.service.audit import record
from models.service.checks import MAX_TITLE, check_note, check_title
from models.service.lookup import get_action, get_recommendation
from models.service.opening import open_for_lead
from models.tables import Action, Recommendation, Source, Status, Update

MAX_REC_TEXT = 10_000
REC_FIELDS = {"title": "rec_title", "text": "rec_text"}  # what a lead edits → its history field


def withdraw_action(
    session: Session,
    *,
    ref: str,
    actor: str,
    reason: str | None,
    source: Source,
    now: datetime,
    inspection: str | None = None,
    confirmed: bool = False,
) -> tuple[Action, str]:
    """A lead takes an action off the tracker, saying why: it is kept, with status
    withdrawn, and no longer chased or counted as open. Returns it and the status it had."""
    action, shown = open_for_lead(
        session, get_action, ref, inspection, actor=actor, doing="withdraw actions"
    )
    reason = check_note(reason, confirmed=confirmed, what="reason")
    if not reason:
        raise UsageError(
            f"Say why it is withdrawn: `withdraw {shown} superseded by the new MASH process`."
        )
    if action.status == Status.WITHDRAWN:
        raise UsageError(f"{shown} is already withdrawn; `reinstate {shown}` brings it back.")
    if action.status == Status.VERIFIED:
        raise UsageError(f"{shown} is verified and closed, so there is nothing to withdraw.")
    before = action.status
    record(
        session,
        actor=actor,
        now=now,
        source=source,
        field="status",
        before=before,
        after=Status.WITHDRAWN,
        note=reason,
        action=action,
    )
    action.status = Status.WITHDRAWN
    touch(action, now)
    return action, before


def withdrawal(session: Session, action: Action) -> Update | None:
    """The history row that withdrew `action` most recently (who, when, why)."""
    return session.exec(
        select(Update)
        .where(
            Update.action_id == action.id,
            Update.field == "status",
            Update.after == Status.WITHDRAWN,
        )
        .order_by(col(Update.id).desc())
        .limit(1)
    ).first()


def reinstate_action(
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
    """Undo a withdrawal: the action goes back to the status it had before it."""
    action, shown = open_for_lead(
        session, get_action, ref, inspection, actor=actor, doing="reinstate actions"
    )
    note = check_note(note, confirmed=confirmed)
    if action.status != Status.WITHDRAWN:
        raise UsageError(f"{shown} is not withdrawn, so there is nothing to reinstate.")
    row = withdrawal(session, action)
    back = Status(row.before) if row and row.before else Status.NOT_STARTED
    if back == Status.WITHDRAWN:
        back = Status.NOT_STARTED
    record(
        session,
        actor=actor,
        now=now,
        source=source,
        field="status",
        before=Status.WITHDRAWN,
        after=back,
        note=f"reinstated: {note}" if note else "reinstated",
        action=action,
    )
    action.status = back
    touch(action, now)
    return action


def rename_action(
    session: Session,
    *,
    ref: str,
    title: str,
    actor: str,
    source: Source,
    now: datetime,
    inspection: str | None = None,
    confirmed: bool = False,
) -> tuple[Action, str]:
    """A new title for an action; the old one stays in the history. Returns the old one."""
    action, shown = open_for_lead(
        session, get_action, ref, inspection, actor=actor, doing="rename actions"
    )
    if not " ".join((title or "").split()):
        raise UsageError(f"Give the new title: `rename {shown} Train all CCR staff`.")
    title = check_title(title)
    check_note(title, confirmed=confirmed, what="title")
    before = action.title
    if title == before:
        raise UsageError(f"{shown} is already called that.")
    record(
        session,
        actor=actor,
        now=now,
        source=source,
        field="title",
        before=before,
        after=title,
        action=action,
    )
    action.title = title
    touch(action, now)
    return action, before


def edit_recommendation(
    session: Session,
    *,
    rec: str,
    part: str,
    value: str,
    actor: str,
    source: Source,
    now: datetime,
    inspection: str | None = None,
    confirmed: bool = False,
) -> Recommendation:
    """A recommendation's title or text (`part`), as the inspectorate worded it or as the
    board agreed; every earlier version stays in the history."""
    recommendation, shown = open_for_lead(
        session, get_recommendation, rec, inspection, actor=actor, doing="edit recommendations"
    )
    if part not in REC_FIELDS:
        raise UsageError(f"`{part}` is not something to edit: say `title` or `text`.")
    if part == "title":
        value = " ".join((value or "").split())
        limit = MAX_TITLE
    else:
        value = "\n".join(line.rstrip() for line in (value or "").strip().splitlines())
        limit = MAX_REC_TEXT
    if not value:
        raise UsageError(f"Give the new {part}: `edit {shown} {part} …`.")
    check_note(value, confirmed=confirmed, what=f"recommendation {part}", limit=limit)
    before = getattr(recommendation, part)
    if value == before:
        raise UsageError(f"{shown}'s {part} already reads like that.")
    record(
        session,
        inspection_id=recommendation.inspection_id,
        actor=actor,
        now=now,
        source=source,
        field=REC_FIELDS[part],
        before=before,
        after=value,
        recommendation_id=recommendation.id,
    )
    setattr(recommendation, part, value)
    return recommendation
