"""Tracker operations: the one place that changes the tracker.

Every function takes a session and keyword arguments, never commits (the caller's
`db.write()` does, once), takes time as an argument, checks permissions, and writes an
`Update` history row for every change. Refusals raise `NcpiError` subclasses whose
message is what the user sees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, tuple_
from sqlmodel import Session, col, select

from models.calendar import local_to_utc
from models.errors import Forbidden, NeedsConfirmation, NotFound, UsageError
from models.guardrail import confirmation_prompt, personal_data_findings
from models.parsing import Ref, parse_ref
from models.tables import (
    OPEN_STATUSES,
    Action,
    Inspection,
    Member,
    PanelMeeting,
    Recommendation,
    RecStatus,
    Role,
    Source,
    Status,
    SubPoint,
    Update,
)

MAX_TITLE = 300
MAX_NOTE = 3000


class Rag:
    COMPLETE = "complete"
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    ORDER = ("red", "amber", "green", "complete")


def rag(status: str, due: date | None, today: date) -> str:
    """Derived RAG: verified → complete; past due and not verified → red;
    blocked → red; at risk → amber; otherwise green."""
    if status == Status.VERIFIED:
        return Rag.COMPLETE
    if due is not None and due < today:
        return Rag.RED
    if status == Status.BLOCKED:
        return Rag.RED
    if status == Status.AT_RISK:
        return Rag.AMBER
    return Rag.GREEN


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


# -- reading --------------------------------------------------------------------------------


def get_inspection(session: Session, *, code: str | None = None) -> Inspection:
    """The named inspection, or the only one. Several and none named: say which exist."""
    if code:
        found = session.exec(
            select(Inspection).where(func.lower(Inspection.code) == code.lower())
        ).first()
        if found is None:
            raise NotFound(f"There is no inspection {code}. {_inspection_list(session)}")
        return found
    rows = session.exec(select(Inspection).order_by(Inspection.id)).all()
    if not rows:
        raise NotFound(
            "No inspection is set up yet. A lead can run `ncpi-bot import FILE.xlsx`, "
            "or `ncpi-bot load-sample` to try the sample tracker."
        )
    if len(rows) > 1:
        first = rows[0].code
        raise UsageError(
            f"Several inspections are tracked ({', '.join(r.code for r in rows)}); say which "
            f"in the reference, e.g. {first}:R2.1 or {first}:R2."
        )
    return rows[0]


def _inspection_list(session: Session) -> str:
    codes = session.exec(select(Inspection.code).order_by(Inspection.code)).all()
    return f"Inspections: {', '.join(codes)}." if codes else "No inspection is set up yet."


def get_recommendation(
    session: Session, *, ref: str | Ref, inspection: str | None = None
) -> Recommendation:
    r = ref if isinstance(ref, Ref) else parse_ref(ref, want="recommendation")
    insp = get_inspection(session, code=r.inspection or inspection)
    rec = session.exec(
        select(Recommendation).where(
            Recommendation.inspection_id == insp.id, Recommendation.number == r.rec
        )
    ).first()
    if rec is None:
        highest = session.exec(
            select(func.max(Recommendation.number)).where(Recommendation.inspection_id == insp.id)
        ).one()
        has = f"R1 to R{highest}" if highest else "no recommendations yet"
        raise NotFound(f"There is no recommendation R{r.rec}; {insp.code} has {has}.")
    return rec


def get_action(session: Session, *, ref: str | Ref, inspection: str | None = None) -> Action:
    r = ref if isinstance(ref, Ref) else parse_ref(ref, want="action")
    if not r.is_action:
        raise UsageError(f"{r} is a recommendation; name one of its actions, e.g. {r}.1.")
    rec = get_recommendation(
        session, ref=Ref(r.rec, inspection=r.inspection), inspection=inspection
    )
    action = session.exec(
        select(Action).where(Action.recommendation_id == rec.id, Action.number == r.action)
    ).first()
    if action is None:
        numbers = session.exec(
            select(Action.number).where(Action.recommendation_id == rec.id).order_by(Action.number)
        ).all()
        have = ", ".join(f"R{rec.number}.{n}" for n in numbers) or "none yet"
        raise NotFound(f"There is no action {r}. R{rec.number} has: {have}.")
    return action


def action_ref(session: Session, action: Action) -> str:
    rec = session.get(Recommendation, action.recommendation_id)
    return f"R{rec.number}.{action.number}"


def get_member(session: Session, user_id: str) -> Member | None:
    return session.get(Member, user_id)


def is_lead(session: Session, actor: str) -> bool:
    member = session.get(Member, actor)
    return member is not None and member.role == Role.LEAD


def require_lead(session: Session, actor: str, doing: str) -> None:
    if not is_lead(session, actor):
        raise Forbidden(
            f"Only a lead can {doing}. Ask a lead on the Child Protection Delivery Board."
        )


def require_owner_or_lead(session: Session, action: Action, actor: str, ref: str) -> None:
    if action.owner == actor or is_lead(session, actor):
        return
    owner = f"<@{action.owner}>" if action.owner else "nobody yet"
    raise Forbidden(
        f"{ref} belongs to {owner}; only its owner or a lead can change it. "
        "Use `/ncpi mine` to see your own actions."
    )


# -- history --------------------------------------------------------------------------------


def _record(
    session: Session,
    *,
    inspection_id: int,
    actor: str,
    now: datetime,
    source: Source | str,
    field: str,
    before: object = None,
    after: object = None,
    note: str | None = None,
    action: Action | None = None,
    recommendation_id: int | None = None,
    panel_id: int | None = None,
) -> Update:
    row = Update(
        inspection_id=inspection_id,
        recommendation_id=recommendation_id
        if recommendation_id is not None
        else (action.recommendation_id if action else None),
        action_id=action.id if action else None,
        panel_id=panel_id,
        actor=actor,
        at=now,
        field=field,
        before=None if before is None else str(before),
        after=None if after is None else str(after),
        note=note,
        source=str(Source(source)),
    )
    session.add(row)
    return row


def _check_note(note: str | None, *, confirmed: bool, what: str = "note") -> str | None:
    if note is None:
        return None
    note = note.strip()
    if not note:
        return None
    if len(note) > MAX_NOTE:
        raise UsageError(f"That {what} is {len(note)} characters; keep it under {MAX_NOTE}.")
    if not confirmed:
        findings = personal_data_findings(note)
        if findings:
            raise NeedsConfirmation(confirmation_prompt(findings, what=what), findings)
    return note


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise UsageError(
            "The action needs a title, e.g. `add R2 Train CCR staff owner:@jane due:31/03/2027`."
        )
    if len(title) > MAX_TITLE:
        raise UsageError(f"That title is {len(title)} characters; keep it under {MAX_TITLE}.")
    return title


def _inspection_id_for(session: Session, action: Action) -> int:
    return session.get(Recommendation, action.recommendation_id).inspection_id


def _touch(action: Action, now: datetime) -> None:
    action.updated_at = now


def ensure_member(session: Session, user_id: str, *, name: str | None = None) -> Member:
    member = session.get(Member, user_id)
    if member is None:
        member = Member(user_id=user_id, display_name=name or user_id)
        session.add(member)
    elif name and member.display_name == member.user_id:
        member.display_name = name
    return member


# -- actions --------------------------------------------------------------------------------


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
) -> Action:
    require_lead(session, actor, "add actions")
    recommendation = get_recommendation(session, ref=rec, inspection=inspection)
    title = _check_title(title)
    _check_note(title, confirmed=confirmed, what="title")
    number = (
        session.exec(
            select(func.max(Action.number)).where(Action.recommendation_id == recommendation.id)
        ).one()
        or 0
    ) + 1
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
    _record(session, field="created", after=title, **common)
    if owner:
        _record(session, field="owner", after=owner, **common)
    if due:
        _record(session, field="due", after=due.isoformat(), **common)
    return action


@dataclass
class Handover:
    action: Action
    ref: str
    previous_owner: str | None
    new_owner: str


def assign_action(
    session: Session,
    *,
    ref: str,
    owner: str,
    actor: str,
    source: Source,
    now: datetime,
    note: str | None = None,
    inspection: str | None = None,
    confirmed: bool = False,
) -> Handover:
    require_lead(session, actor, "assign actions")
    action = get_action(session, ref=ref, inspection=inspection)
    note = _check_note(note, confirmed=confirmed)
    shown = action_ref(session, action)
    if action.status == Status.VERIFIED:
        raise UsageError(
            f"{shown} is verified and closed; reopen its work with a new action instead."
        )
    if action.owner == owner:
        raise UsageError(f"{shown} already belongs to <@{owner}>.")
    ensure_member(session, owner)
    previous = action.owner
    action.owner = owner
    action.owner_accepted = owner == actor
    _touch(action, now)
    _record(
        session,
        inspection_id=_inspection_id_for(session, action),
        actor=actor,
        now=now,
        source=source,
        field="owner",
        before=previous,
        after=owner,
        note=note,
        action=action,
    )
    return Handover(action=action, ref=shown, previous_owner=previous, new_owner=owner)


def accept_handover(
    session: Session,
    *,
    ref: str,
    actor: str,
    source: Source,
    now: datetime,
    inspection: str | None = None,
) -> Action:
    action = get_action(session, ref=ref, inspection=inspection)
    shown = action_ref(session, action)
    if action.owner != actor:
        raise Forbidden(f"{shown} is not being handed to you.")
    if action.owner_accepted:
        return action
    action.owner_accepted = True
    _touch(action, now)
    _record(
        session,
        inspection_id=_inspection_id_for(session, action),
        actor=actor,
        now=now,
        source=source,
        field="handover",
        before="offered",
        after="accepted",
        action=action,
    )
    return action


def decline_handover(
    session: Session,
    *,
    ref: str,
    actor: str,
    reason: str,
    source: Source,
    now: datetime,
    inspection: str | None = None,
    confirmed: bool = False,
) -> Handover:
    """The offered owner declines: ownership goes back to whoever held it before."""
    action = get_action(session, ref=ref, inspection=inspection)
    shown = action_ref(session, action)
    if action.owner != actor or action.owner_accepted:
        raise Forbidden(f"{shown} is not waiting for you to accept it.")
    reason = _check_note(reason, confirmed=confirmed, what="reason")
    if not reason:
        raise UsageError("Say why you are declining, so the lead can find the right owner.")
    previous = _last_accepted_owner(session, action)
    action.owner = previous
    action.owner_accepted = True
    _touch(action, now)
    _record(
        session,
        inspection_id=_inspection_id_for(session, action),
        actor=actor,
        now=now,
        source=source,
        field="owner",
        before=actor,
        after=previous,
        note=f"declined: {reason}",
        action=action,
    )
    return Handover(action=action, ref=shown, previous_owner=actor, new_owner=previous or "")


def _last_accepted_owner(session: Session, action: Action) -> str | None:
    """Who held the action before the offer now pending, skipping offers nobody accepted
    (A → B offered, then re-offered to C before B answered: C's decline goes back to A)."""
    rows = session.exec(
        select(Update)
        .where(Update.action_id == action.id, col(Update.field).in_(("owner", "handover")))
        .order_by(col(Update.id))
    ).all()
    first_owner_row = next((r for r in rows if r.field == "owner"), None)
    # Owners set without history (sample, import) count as accepted.
    owner = first_owner_row.before if first_owner_row else None
    holder, accepted = owner, True
    for row in rows:
        if row.field == "handover":
            accepted = accepted or row.after == "accepted"
        elif (row.note or "").startswith("declined:"):
            owner, accepted = row.after, True
        else:  # an offer, unless made to oneself or by an import (which sets owners outright)
            owner = row.after
            accepted = owner is None or owner == row.actor or row.source == Source.IMPORT
        if accepted:
            holder = owner
    return holder


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
) -> Action:
    require_lead(session, actor, "change due dates")
    action = get_action(session, ref=ref, inspection=inspection)
    reason = _check_note(reason, confirmed=confirmed, what="reason")
    if action.due == due:
        raise UsageError(f"{action_ref(session, action)} is already due {due:%d %b %Y}.")
    before = action.due
    action.due = due
    _touch(action, now)
    _record(
        session,
        inspection_id=_inspection_id_for(session, action),
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
    action = get_action(session, ref=ref, inspection=inspection)
    shown = action_ref(session, action)
    require_owner_or_lead(session, action, actor, shown)
    note = _check_note(note, confirmed=confirmed)
    evidence = _check_note(evidence, confirmed=confirmed, what="evidence")
    if status == Status.VERIFIED:
        raise UsageError(f"A lead verifies with `verify {shown}`, after checking the evidence.")
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
        inspection_id=_inspection_id_for(session, action),
        actor=actor,
        now=now,
        source=source,
        action=action,
    )
    status_changed = status is not None and status != action.status
    if status_changed:
        _record(session, field="status", before=action.status, after=status, note=note, **common)
        action.status = status
    elif note:
        _record(session, field="note", note=note, **common)
    if evidence:
        _record(session, field="evidence", before=action.evidence, after=evidence, **common)
        action.evidence = _append(action.evidence, evidence)
    if not (status_changed or note or evidence):
        raise UsageError(
            f"{shown} is already {Status(action.status).label}; add a note to say more."
        )
    _touch(action, now)
    return action


def _append(existing: str | None, item: str) -> str:
    return item if not existing else f"{existing}\n{item}"


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
    action = get_action(session, ref=ref, inspection=inspection)
    shown = action_ref(session, action)
    require_owner_or_lead(session, action, actor, shown)
    evidence = _check_note(evidence, confirmed=confirmed, what="evidence")
    note = _check_note(note, confirmed=confirmed)
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
        inspection_id=_inspection_id_for(session, action),
        actor=actor,
        now=now,
        source=source,
        action=action,
    )
    _record(
        session,
        field="status",
        before=action.status,
        after=Status.IMPLEMENTED,
        note=note or evidence,
        **common,
    )
    _record(session, field="evidence", before=action.evidence, after=evidence, **common)
    action.status = Status.IMPLEMENTED
    action.evidence = _append(action.evidence, evidence)
    _touch(action, now)
    return action


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
    require_lead(session, actor, "verify actions")
    action = get_action(session, ref=ref, inspection=inspection)
    shown = action_ref(session, action)
    note = _check_note(note, confirmed=confirmed)
    if action.status == Status.VERIFIED:
        raise UsageError(f"{shown} is already verified.")
    if action.status != Status.IMPLEMENTED:
        raise UsageError(
            f"{shown} is {Status(action.status).label}; its owner marks it implemented with evidence "
            f"(`done {shown} <link or note>`) before a lead verifies it."
        )
    _record(
        session,
        inspection_id=_inspection_id_for(session, action),
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
    _touch(action, now)
    return action


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
    require_lead(session, actor, "return actions")
    action = get_action(session, ref=ref, inspection=inspection)
    shown = action_ref(session, action)
    reason = _check_note(reason, confirmed=confirmed, what="reason")
    if not reason:
        raise UsageError(
            f"Say why it is going back: `return {shown} evidence does not cover nights`."
        )
    if action.status not in (Status.IMPLEMENTED, Status.VERIFIED):
        raise UsageError(f"{shown} is {Status(action.status).label}, not waiting for verification.")
    _record(
        session,
        inspection_id=_inspection_id_for(session, action),
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
    _touch(action, now)
    return action


# -- recommendations --------------------------------------------------------------------------


def sign_off(
    session: Session,
    *,
    rec: str,
    actor: str,
    source: Source,
    now: datetime,
    today: date,
    note: str | None = None,
    inspection: str | None = None,
    confirmed: bool = False,
) -> Recommendation:
    require_lead(session, actor, "sign off recommendations")
    recommendation = get_recommendation(session, ref=rec, inspection=inspection)
    note = _check_note(note, confirmed=confirmed)
    if recommendation.status == RecStatus.SIGNED_OFF:
        raise UsageError(f"R{recommendation.number} is already signed off.")
    _set_rec_status(session, recommendation, RecStatus.SIGNED_OFF, today, actor, now, source, note)
    return recommendation


def reopen(
    session: Session,
    *,
    rec: str,
    actor: str,
    source: Source,
    now: datetime,
    note: str | None = None,
    inspection: str | None = None,
    confirmed: bool = False,
) -> Recommendation:
    require_lead(session, actor, "reopen recommendations")
    recommendation = get_recommendation(session, ref=rec, inspection=inspection)
    note = _check_note(note, confirmed=confirmed)
    if recommendation.status != RecStatus.SIGNED_OFF:
        raise UsageError(
            f"R{recommendation.number} is not signed off, so there is nothing to reopen."
        )
    _set_rec_status(session, recommendation, RecStatus.OUTSTANDING, None, actor, now, source, note)
    return recommendation


def _set_rec_status(
    session: Session,
    recommendation: Recommendation,
    status: RecStatus,
    signed_off_on: date | None,
    actor: str,
    now: datetime,
    source: Source,
    note: str | None,
) -> None:
    _record(
        session,
        inspection_id=recommendation.inspection_id,
        actor=actor,
        now=now,
        source=source,
        field="rec_status",
        before=recommendation.status,
        after=status,
        note=note,
        recommendation_id=recommendation.id,
    )
    recommendation.status = status
    recommendation.signed_off_on = signed_off_on


# -- members ----------------------------------------------------------------------------------


def set_away(
    session: Session,
    *,
    actor: str,
    until: date,
    today: date,
    now: datetime,
    source: Source,
) -> Member:
    if until <= today:
        raise UsageError("`away until` needs a date after today, e.g. `away until 2 January`.")
    member = ensure_member(session, actor)
    before = member.away_until
    member.away_until = until
    _record_member(
        session,
        actor=actor,
        now=now,
        source=source,
        field="away_until",
        before=before,
        after=until.isoformat(),
    )
    return member


def set_back(session: Session, *, actor: str, now: datetime, source: Source) -> Member:
    member = ensure_member(session, actor)
    if member.away_until is None:
        raise UsageError("You are not marked away; reminders are already on.")
    before = member.away_until
    member.away_until = None
    _record_member(
        session,
        actor=actor,
        now=now,
        source=source,
        field="away_until",
        before=before.isoformat(),
        after=None,
    )
    return member


def _record_member(
    session: Session,
    *,
    actor: str,
    now: datetime,
    source: Source,
    field: str,
    before: object,
    after: object,
) -> None:
    """A person's change is recorded under every inspection (history rows need one)."""
    ids = session.exec(select(Inspection.id).order_by(Inspection.id)).all()
    if not ids:
        get_inspection(session)  # raises: no inspection is set up yet, so nothing to pause
    for insp_id in ids:
        _record(
            session,
            inspection_id=insp_id,
            actor=actor,
            now=now,
            source=source,
            field=field,
            before=before,
            after=after,
        )


def snooze(
    session: Session, *, actor: str, until: date, today: date, now: datetime, source: Source
) -> Member:
    """ "Remind me next working day": the actor's reminders pause until `until`."""
    if until <= today:
        raise UsageError("A snooze needs a day after today.")
    member = ensure_member(session, actor)
    before = member.snoozed_until
    member.snoozed_until = until
    _record_member(
        session,
        actor=actor,
        now=now,
        source=source,
        field="snoozed_until",
        before=before.isoformat() if before else None,
        after=until.isoformat(),
    )
    return member


def ensure_leads(session: Session, *, leads: Iterable[str]) -> list[str]:
    """Setup: the people named in NCPI_LEADS are leads. Returns those who were not yet."""
    made = []
    for user_id in leads:
        member = session.get(Member, user_id)
        if member is None or member.role != Role.LEAD:
            set_role(session, user_id=user_id, role=Role.LEAD)
            made.append(user_id)
    return made


def set_role(session: Session, *, user_id: str, role: Role, name: str | None = None) -> Member:
    """Setup only (settings, import, CLI): no Slack front end grants roles."""
    member = ensure_member(session, user_id, name=name)
    member.role = role
    return member


def is_away(member: Member | None, today: date) -> bool:
    return bool(member and member.away_until and member.away_until > today)


# -- panel meetings -----------------------------------------------------------------------------


def add_panel(
    session: Session,
    *,
    day: date,
    at: time | None,
    paper_ref: str | None,
    actor: str,
    now: datetime,
    tz: ZoneInfo,
    source: Source,
    today: date,
    inspection: str | None = None,
) -> PanelMeeting:
    require_lead(session, actor, "add panel meetings")
    insp = get_inspection(session, code=inspection)
    if day < today:
        raise UsageError(f"{day:%d %b %Y} is in the past; give the date of the next meeting.")
    clash = session.exec(
        select(PanelMeeting).where(
            PanelMeeting.inspection_id == insp.id,
            PanelMeeting.day == day,
            PanelMeeting.cancelled == False,  # noqa: E712
        )
    ).first()
    if clash:
        raise UsageError(f"A panel meeting is already set for {day:%a %d %b %Y}.")
    meeting = PanelMeeting(
        inspection_id=insp.id,
        day=day,
        starts_at=local_to_utc(day, at or time(10, 0), tz),
        paper_ref=paper_ref,
    )
    session.add(meeting)
    session.flush()
    _record(
        session,
        inspection_id=insp.id,
        actor=actor,
        now=now,
        source=source,
        field="panel",
        after=f"{day.isoformat()} {paper_ref or ''}".strip(),
        panel_id=meeting.id,
    )
    return meeting


def remove_panel(
    session: Session,
    *,
    day: date,
    actor: str,
    now: datetime,
    source: Source,
    inspection: str | None = None,
) -> PanelMeeting:
    """Cancels (never deletes) the meeting on `day`."""
    require_lead(session, actor, "remove panel meetings")
    insp = get_inspection(session, code=inspection)
    meeting = session.exec(
        select(PanelMeeting).where(
            PanelMeeting.inspection_id == insp.id,
            PanelMeeting.day == day,
            PanelMeeting.cancelled == False,  # noqa: E712
        )
    ).first()
    if meeting is None:
        raise NotFound(f"There is no panel meeting on {day:%a %d %b %Y}. `/ncpi panel` lists them.")
    meeting.cancelled = True
    _record(
        session,
        inspection_id=insp.id,
        actor=actor,
        now=now,
        source=source,
        field="panel",
        before=f"{day.isoformat()} {meeting.paper_ref or ''}".strip(),
        after="cancelled",
        panel_id=meeting.id,
    )
    return meeting


def list_panels(session: Session, *, inspection: str | None = None) -> list[PanelMeeting]:
    insp = get_inspection(session, code=inspection)
    return list(
        session.exec(
            select(PanelMeeting)
            .where(PanelMeeting.inspection_id == insp.id, PanelMeeting.cancelled == False)  # noqa: E712
            .order_by(PanelMeeting.day)
        ).all()
    )


def next_panel(session: Session, *, today: date, inspection_id: int) -> PanelMeeting | None:
    return session.exec(
        select(PanelMeeting)
        .where(
            PanelMeeting.inspection_id == inspection_id,
            PanelMeeting.day >= today,
            PanelMeeting.cancelled == False,  # noqa: E712
        )
        .order_by(PanelMeeting.day)
    ).first()


def last_panel(session: Session, *, today: date, inspection_id: int) -> PanelMeeting | None:
    return session.exec(
        select(PanelMeeting)
        .where(
            PanelMeeting.inspection_id == inspection_id,
            PanelMeeting.day < today,
            PanelMeeting.cancelled == False,  # noqa: E712
        )
        .order_by(col(PanelMeeting.day).desc())
    ).first()


# -- views of the tracker ---------------------------------------------------------------------


@dataclass
class ActionView:
    ref: str
    rec_number: int
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
    days_overdue: int = 0

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
        return sorted(
            (a for a in self.open_actions if a.days_overdue > 0), key=lambda a: -a.days_overdue
        )

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
            late = a.days_overdue > 0
            counts[_headline_part(a.status, late=late)] += 1
        return counts


@dataclass
class Tally:
    """A recommendation's open actions counted in SQL, for summaries of big trackers."""

    open: int
    overdue: int
    rag: dict[str, int]
    headline: dict[str, int]
    worst_overdue: ActionView | None


def _headline_part(status: str, *, late: bool) -> str:
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


def _member_names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = session.exec(select(Member).where(col(Member.user_id).in_(wanted))).all()
    return {m.user_id: m.display_name for m in rows}


def _last_updates(session: Session, action_ids: list[int]) -> dict[int, datetime]:
    if not action_ids:
        return {}
    rows = session.exec(
        select(Update.action_id, func.max(Update.at))
        .where(col(Update.action_id).in_(action_ids))
        .group_by(Update.action_id)
    ).all()
    return {aid: at if at.tzinfo else at.replace(tzinfo=UTC) for aid, at in rows}


def _action_views(
    session: Session, rows: list[tuple[Action, int]], today: date
) -> list[ActionView]:
    names = _member_names(session, (a.owner for a, _ in rows))
    last = _last_updates(session, [a.id for a, _ in rows])
    views = []
    for action, rec_number in rows:
        overdue = (today - action.due).days if action.due and action.due < today else 0
        views.append(
            ActionView(
                ref=f"R{rec_number}.{action.number}",
                rec_number=rec_number,
                number=action.number,
                title=action.title,
                owner=action.owner,
                owner_name=names.get(action.owner or ""),
                owner_accepted=action.owner_accepted,
                due=action.due,
                status=action.status,
                rag=rag(action.status, action.due, today),
                evidence=action.evidence,
                last_update=last.get(action.id),
                days_overdue=overdue if action.status != Status.VERIFIED else 0,
            )
        )
    return views


def summary(
    session: Session,
    *,
    today: date,
    inspection: str | None = None,
    rec: str | None = None,
    actions: bool = True,
) -> Summary:
    """The whole tracker (or one recommendation) in a fixed number of queries.

    `actions=False` loads no actions (and no sub-points), only their counts per
    recommendation (aggregated in SQL) and each recommendation's longest-overdue action:
    what `/ncpi summary` shows, in time that does not grow with the tracker."""
    r = parse_ref(rec, want="recommendation") if rec else None
    insp = get_inspection(session, code=(r.inspection if r else None) or inspection)
    q = select(Recommendation).where(Recommendation.inspection_id == insp.id)
    if r:
        only = get_recommendation(session, ref=r, inspection=insp.code)
        q = q.where(Recommendation.id == only.id)
    recs = session.exec(q.order_by(Recommendation.number)).all()
    rec_ids = [r.id for r in recs]
    subs: dict[int, list[str]] = defaultdict(list)
    for sp in (
        session.exec(
            select(SubPoint)
            .where(col(SubPoint.recommendation_id).in_(rec_ids))
            .order_by(SubPoint.position)
        ).all()
        if actions
        else ()
    ):
        subs[sp.recommendation_id].append(sp.text)
    number_of = {r.id: r.number for r in recs}
    by_rec: dict[int, list[ActionView]] = defaultdict(list)
    tallies: dict[int, Tally] = {}
    if actions:
        rows = session.exec(
            select(Action)
            .where(col(Action.recommendation_id).in_(rec_ids))
            .order_by(Action.recommendation_id, Action.number)
        ).all()
        views = _action_views(session, [(a, number_of[a.recommendation_id]) for a in rows], today)
        for v in views:
            by_rec[v.rec_number].append(v)
    else:
        tallies = _tallies(session, number_of, today)
    panel = next_panel(session, today=today, inspection_id=insp.id)
    return Summary(
        inspection_code=insp.code,
        inspection_title=insp.title,
        today=today,
        next_panel=_panel_view(panel, today) if panel else None,
        recs=[
            RecView(
                number=r.number,
                title=r.title,
                text=r.text,
                timescale=r.timescale,
                status=r.status,
                signed_off_on=r.signed_off_on,
                sub_points=subs[r.id],
                actions=by_rec[r.number],
                tally=tallies.get(r.id),
            )
            for r in recs
        ],
    )


def _tallies(session: Session, number_of: dict[int, int], today: date) -> dict[int, Tally]:
    """Per recommendation: its open (not verified) actions counted by status and lateness,
    and its longest-overdue action. One pass over the actions in SQL, then the few
    longest-overdue actions by (recommendation, due date); never a row per action."""
    rec_ids = list(number_of)
    late = col(Action.due) < today
    counted = session.exec(
        select(
            Action.recommendation_id,
            Action.status,
            func.count(),
            func.sum(case((late, 1), else_=0)),
            func.min(case((late, Action.due), else_=None)),
        )
        .where(col(Action.recommendation_id).in_(rec_ids), Action.status != Status.VERIFIED)
        .group_by(Action.recommendation_id, Action.status)
    ).all()
    oldest: dict[int, date] = {}
    for rec_id, _, _, _, due in counted:
        if due is not None:
            due = due if isinstance(due, date) else date.fromisoformat(due)
            oldest[rec_id] = min(due, oldest.get(rec_id, due))
    worst: dict[int, ActionView] = {}
    if oldest:
        # Among the actions due on the oldest late date, the first by number (ties are
        # common). Asked by date, so the due-date index finds the few rows.
        firsts = [
            (r, n)
            for r, d, n in session.exec(
                select(Action.recommendation_id, Action.due, func.min(Action.number))
                .where(col(Action.due).in_(set(oldest.values())), Action.status != Status.VERIFIED)
                .group_by(Action.recommendation_id, Action.due)
            ).all()
            if r in oldest and oldest[r] == (d if isinstance(d, date) else date.fromisoformat(d))
        ]
        # By (recommendation, number): the unique index, a row each.
        first = session.exec(
            select(Action).where(tuple_(Action.recommendation_id, Action.number).in_(firsts))
        ).all()
        views = _action_views(session, [(a, number_of[a.recommendation_id]) for a in first], today)
        worst = {v.rec_number: v for v in views}
    out: dict[int, Tally] = {}
    for rec_id, number in number_of.items():
        rag_counts: dict[str, int] = defaultdict(int)
        headline = dict.fromkeys(HEADLINE, 0)
        total = overdue = 0
        for rid, status, n, n_late, _ in counted:
            if rid != rec_id:
                continue
            n_late = int(n_late or 0)
            total, overdue = total + n, overdue + n_late
            rag_counts[Rag.RED] += n_late
            headline["overdue"] += n_late
            if n - n_late:
                rag_counts[rag(status, None, today)] += n - n_late
                headline[_headline_part(status, late=False)] += n - n_late
        out[rec_id] = Tally(
            open=total,
            overdue=overdue,
            rag={k: rag_counts[k] for k in Rag.ORDER if rag_counts.get(k)},
            headline=headline,
            worst_overdue=worst.get(number),
        )
    return out


def _panel_view(p: PanelMeeting, today: date) -> PanelView:
    return PanelView(
        day=p.day,
        starts_at=p.starts_at,
        paper_ref=p.paper_ref,
        title=p.title,
        days_away=(p.day - today).days,
    )


def panel_view(p: PanelMeeting, today: date) -> PanelView:
    return _panel_view(p, today)


def my_actions(session: Session, *, actor: str, today: date) -> list[ActionView]:
    """The actor's open actions (and those awaiting verification), soonest due first."""
    rows = session.exec(
        select(Action, Recommendation.number)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(Action.owner == actor, col(Action.status) != Status.VERIFIED)
    ).all()
    views = _action_views(session, list(rows), today)
    return sorted(views, key=lambda v: (v.due or date.max, v.ref))


def action_views(session: Session, *, actions: list[Action], today: date) -> list[ActionView]:
    recs = _rec_numbers(session, {a.recommendation_id for a in actions})
    return _action_views(session, [(a, recs[a.recommendation_id]) for a in actions], today)


def _rec_numbers(session: Session, ids: set[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(
        session.exec(
            select(Recommendation.id, Recommendation.number).where(col(Recommendation.id).in_(ids))
        ).all()
    )


def show_action(
    session: Session, *, ref: str, today: date, inspection: str | None = None
) -> ActionView:
    action = get_action(session, ref=ref, inspection=inspection)
    return action_views(session, actions=[action], today=today)[0]


def history(session: Session, *, ref: str, inspection: str | None = None) -> list[Update]:
    """Every change to an action (or a recommendation and its actions), oldest first."""
    r = parse_ref(ref)
    if r.is_action:
        action = get_action(session, ref=r, inspection=inspection)
        where = Update.action_id == action.id
    else:
        rec = get_recommendation(session, ref=r, inspection=inspection)
        where = Update.recommendation_id == rec.id
    return list(session.exec(select(Update).where(where).order_by(Update.at, Update.id)).all())
