"""Signing a recommendation off, and reopening it."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from models.errors import UsageError
from models.service.audit import record
from models.service.checks import check_note
from models.service.lookup import get_recommendation
from models.service.opening import open_for_lead
from models.tables import (
    Recommendation,
    RecStatus,
    Source,
)


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
