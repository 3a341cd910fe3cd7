"""Panel meetings: added, cancelled (never deleted), listed, next and last."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models.calendar import local_to_utc
from models.errors import NotFound, UsageError
from models.service.access import require_lead
from models.service.audit import record
from models.service.lookup import get_inspection
from models.tables import (
    PanelMeeting,
    Source,
)
from models.wording import long_day


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
        raise UsageError(f"{long_day(day)} is in the past; give the date of the next meeting.")
    clash = session.exec(
        select(PanelMeeting).where(
            PanelMeeting.inspection_id == insp.id,
            PanelMeeting.day == day,
            PanelMeeting.cancelled == False,  # noqa: E712
        )
    ).first()
    if clash:
        raise UsageError(f"A panel meeting is already set for {long_day(day)}.")
    meeting = PanelMeeting(
        inspection_id=insp.id,
        day=day,
        starts_at=local_to_utc(day, at or time(10, 0), tz),
        paper_ref=paper_ref,
    )
    session.add(meeting)
    session.flush()
    record(
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
        raise NotFound(f"There is no panel meeting on {long_day(day)}. `/ncpi panel` lists them.")
    meeting.cancelled = True
    record(
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
