"""Small trackers for reminder tests: one inspection, one recommendation, chosen actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import Session

from bot.views.reminders import reminder_message
from jobs.sweep import EVENT_TYPE, reminder_client, sweep
from models.calendar import local_to_utc
from models.settings import Settings
from models.tables import (
    Action,
    Inspection,
    Member,
    PanelMeeting,
    Recommendation,
    Reminder,
    Role,
    Status,
    Update,
)

TZ = ZoneInfo("Europe/London")
CREATED = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def local(y: int, m: int, d: int, h: int = 9, minute: int = 0) -> datetime:
    """A London wall-clock time as a UTC instant."""
    return local_to_utc(date(y, m, d), time(h, minute), TZ)


def utc(y: int, m: int, d: int, h: int, minute: int = 0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=UTC)


@dataclass
class A:
    owner: str | None
    due: date | None
    status: str = Status.ON_TRACK
    updated: datetime | None = None  # an Update row at this instant


@dataclass
class M:
    user_id: str
    manager: str | None = None
    away_until: date | None = None
    snoozed_until: date | None = None
    role: str = Role.MEMBER


@dataclass
class Sent:
    kind: str
    target: str
    local_day: date
    recipient: str


@dataclass
class Tracker:
    actions: list[A] = field(default_factory=list)
    members: list[M] = field(default_factory=list)
    panels: list[datetime] = field(default_factory=list)  # starts_at (UTC)
    sent: list[Sent] = field(default_factory=list)


def settings(**kw) -> Settings:
    return Settings(**kw)


def build(session: Session, t: Tracker) -> list[int]:
    """Write the tracker; returns the action ids (refs R1.1, R1.2, … in order)."""
    insp = Inspection(code="NCPI", title="Test inspection", created_at=CREATED)
    session.add(insp)
    session.flush()
    rec = Recommendation(inspection_id=insp.id, number=1, title="Rec", text="Rec text")
    session.add(rec)
    session.flush()
    for m in t.members:
        session.add(
            Member(
                user_id=m.user_id,
                display_name=m.user_id,
                role=m.role,
                manager=m.manager,
                away_until=m.away_until,
                snoozed_until=m.snoozed_until,
            )
        )
    ids = []
    for n, a in enumerate(t.actions, start=1):
        row = Action(
            recommendation_id=rec.id,
            number=n,
            title=f"Action {n}",
            owner=a.owner,
            due=a.due,
            status=a.status,
            created_at=CREATED,
            updated_at=a.updated or CREATED,
        )
        session.add(row)
        session.flush()
        ids.append(row.id)
        if a.updated:
            session.add(
                Update(
                    inspection_id=insp.id,
                    recommendation_id=rec.id,
                    action_id=row.id,
                    actor=a.owner or "U0LEAD",
                    at=a.updated,
                    field="status",
                    after=a.status,
                    source="command",
                )
            )
    for starts in t.panels:
        session.add(
            PanelMeeting(
                inspection_id=insp.id,
                day=starts.astimezone(TZ).date(),
                starts_at=starts,
                paper_ref=f"AP{starts:%y/%m}",
            )
        )
    for s in t.sent:
        session.add(
            Reminder(
                kind=s.kind,
                target=s.target,
                local_day=s.local_day,
                recipient=s.recipient,
                state="sent",
                claimed_at=CREATED,
                sent_at=CREATED,
                channel="D0X",
                ts="1.1",
            )
        )
    return ids


def bulk_tracker(session: Session, *, actions: int, owners: int, today: date) -> None:
    """A large tracker for timing: `actions` actions over 50 recommendations and `owners`
    owners, due dates spread over a year either side of `today`."""
    insp = Inspection(code="BIG", title="Big inspection", created_at=CREATED)
    session.add(insp)
    session.flush()
    recs = []
    for n in range(1, 51):
        r = Recommendation(inspection_id=insp.id, number=n, title=f"R{n}", text="x")
        session.add(r)
        recs.append(r)
    session.flush()
    session.execute(
        insert(Member),
        [
            {"user_id": f"U{i:06d}", "display_name": f"Owner {i}", "role": "member"}
            for i in range(owners)
        ],
    )
    statuses = ["not_started", "on_track", "at_risk", "blocked", "implemented", "verified"]
    from datetime import timedelta

    rows = [
        {
            "recommendation_id": recs[i % 50].id,
            "number": i // 50 + 1,
            "title": f"Action {i}",
            "owner": f"U{i % owners:06d}",
            "owner_accepted": True,
            "due": today + timedelta(days=(i * 7919) % 730 - 365),
            "status": statuses[i % len(statuses)],
            "created_at": CREATED,
            "updated_at": CREATED,
        }
        for i in range(actions)
    ]
    for k in range(0, len(rows), 20000):
        session.execute(insert(Action), rows[k : k + 20000])
    session.add(
        PanelMeeting(
            inspection_id=insp.id,
            day=today + timedelta(days=7),
            starts_at=local_to_utc(today + timedelta(days=7), time(10), TZ),
        )
    )


def sweep_settings(slack, **kw) -> Settings:
    return Settings(slack_api_url=slack.api_url, slack_bot_token=slack.token, **kw)


def keys_at(slack) -> list[str]:
    """Every reminder key Slack holds, one entry per message."""
    keys = []
    for channel in list(slack.channels):
        for m in slack.messages(channel):
            meta = m.get("metadata") or {}
            if meta.get("event_type") == EVENT_TYPE:
                keys.append(meta["event_payload"]["key"])
    return keys


def run_sweep(db, slack, now, **kw):
    settings = sweep_settings(slack, **kw)
    return sweep(
        db=db, client=reminder_client(settings), settings=settings, now=now, render=reminder_message
    )
