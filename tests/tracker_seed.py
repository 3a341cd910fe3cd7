"""Synthetic trackers for the benchmarks and the scale tests: N actions over 10
recommendations, 100 owners, 3 panel meetings and a history of 5 updates per action, written in bulk."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from models.calendar import local_to_utc
from models.db import Database
from models.tables import (
    Action,
    Inspection,
    Member,
    PanelMeeting,
    Recommendation,
    RecStatus,
    Role,
    Status,
    Update,
)

LEAD = "U0BENCHLEAD"
STATUSES = [Status.ON_TRACK, Status.AT_RISK, Status.NOT_STARTED, Status.BLOCKED, Status.IMPLEMENTED]


def owner_id(i: int) -> str:
    return f"U0BENCH{i:04d}"


def build_tracker(
    db: Database,
    *,
    actions: int,
    today: date,
    tz: ZoneInfo,
    owners: int = 100,
    panels: int = 3,
    updates_per_action: int = 5,
    chunk: int = 5000,
) -> None:
    now = datetime.combine(today, time(9), tzinfo=tz).astimezone(UTC)
    with db.write() as s:
        s.add(Member(user_id=LEAD, display_name="Bench lead", role=Role.LEAD))
        for i in range(owners):
            s.add(Member(user_id=owner_id(i), display_name=f"Owner {i}", manager=LEAD))
        insp = Inspection(code="BENCH", title="Benchmark inspection", created_at=now)
        s.add(insp)
        s.flush()
        rec_ids = []
        for n in range(1, 11):
            rec = Recommendation(
                inspection_id=insp.id,
                number=n,
                title=f"Recommendation {n}",
                text=f"Recommendation {n} text.",
                status=RecStatus.SIGNED_OFF if n % 3 == 0 else RecStatus.OUTSTANDING,
            )
            s.add(rec)
            s.flush()
            rec_ids.append(rec.id)
        for k, offset in enumerate((-60, 20, 80)[:panels]):
            day = today + timedelta(days=offset)
            s.add(
                PanelMeeting(
                    inspection_id=insp.id,
                    day=day,
                    starts_at=local_to_utc(day, time(10), tz),
                    paper_ref=f"AP{k}",
                )
            )
        insp_id = insp.id
    per_rec: dict[int, int] = {}
    rows = []
    for i in range(actions):
        rec_id = rec_ids[i % len(rec_ids)]
        per_rec[rec_id] = per_rec.get(rec_id, 0) + 1
        rows.append(
            dict(
                recommendation_id=rec_id,
                number=per_rec[rec_id],
                title=f"Benchmark action {i}",
                owner=owner_id(i % owners),
                owner_accepted=True,
                due=today + timedelta(days=(i % 120) - 30),
                status=STATUSES[i % len(STATUSES)],
                created_at=now,
                updated_at=now,
            )
        )
    with db.write() as s:
        conn = s.connection()
        for start in range(0, len(rows), chunk):
            conn.execute(insert(Action), rows[start : start + chunk])
    with db.read() as s:
        ids = (
            s.connection()
            .execute(
                Action.__table__.select().with_only_columns(
                    Action.id, Action.recommendation_id, Action.owner
                )
            )
            .all()
        )
    history = []
    for aid, rec_id, owner in ids:
        for u in range(updates_per_action):
            history.append(
                dict(
                    inspection_id=insp_id,
                    recommendation_id=rec_id,
                    action_id=aid,
                    actor=owner,
                    at=now - timedelta(days=5 * (updates_per_action - u)),
                    field="note",
                    note=f"progress update {u}",
                    source="command",
                )
            )
    with db.write() as s:
        conn = s.connection()
        for start in range(0, len(history), chunk):
            conn.execute(insert(Update), history[start : start + chunk])
