"""Signing a recommendation off, and reopening it; the recommendations an action can be
added to."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlmodel import Session, select

from models.errors import UsageError
from models.kinds import in_order, item_ref
from models.parsing import qualified
from models.service.access import require_lead
from models.service.audit import record
from models.service.checks import check_note
from models.service.lookup import get_inspection, get_recommendation, several_inspections
from models.service.opening import open_for_lead
from models.tables import (
    Inspection,
    Recommendation,
    RecStatus,
    Source,
)


class RecChoice(NamedTuple):
    value: str  # its ref with its inspection's code, NCPI:R2: what comes back
    label: str  # as people write it: R2 (NCPI:R2 when several inspections are tracked)
    title: str


def recs_to_add_to(session: Session, *, actor: str, inspection: str | None) -> list[RecChoice]:
    """What a lead may add an action to: the recommendations of the inspection named, or of
    the only one, or of every one tracked; in each inspection's order, kind then number."""
    require_lead(session, actor, "add actions")
    several = several_inspections(session)
    q = select(
        Recommendation.kind, Recommendation.number, Recommendation.title, Inspection.code
    ).join(Inspection, Inspection.id == Recommendation.inspection_id)
    if inspection or not several:
        q = q.where(Inspection.id == get_inspection(session, code=inspection).id)
    return [
        RecChoice(
            qualified(item_ref(r.kind, r.number), r.code),
            qualified(item_ref(r.kind, r.number), r.code if several else None),
            r.title,
        )
        for r in session.exec(q.order_by(Inspection.id, *in_order())).all()
    ]


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
    recommendation, _ = open_for_lead(
        session, get_recommendation, rec, inspection, actor=actor, doing="sign off recommendations"
    )
    note = check_note(note, confirmed=confirmed)
    if recommendation.status == RecStatus.SIGNED_OFF:
        raise UsageError(f"{recommendation.ref} is already signed off.")
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
    recommendation, _ = open_for_lead(
        session, get_recommendation, rec, inspection, actor=actor, doing="reopen recommendations"
    )
    note = check_note(note, confirmed=confirmed)
    if recommendation.status != RecStatus.SIGNED_OFF:
        raise UsageError(f"{recommendation.ref} is not signed off, so there is nothing to reopen.")
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
    record(
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
