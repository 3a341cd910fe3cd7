"""The reminder sweep: plan (models.planner) → claim → send → record. Exactly once.

- **Claim, send, record** one reminder at a time through jobs.delivery: a claim is its
  unique `Reminder` row (kind, target, local day); only a permanent Slack refusal is final,
  anything else is retried after a back-off for the rest of the day; a claim left by a
  dead sweep, or a try whose outcome is unknown, is looked up in Slack before it is sent.
- **One sweeper at a time**: on PostgreSQL a transaction-level advisory lock
  (`pg_try_advisory_xact_lock`), held for the sweep, keeps other replicas from even planning;
  on SQLite an exclusive `flock` on a file beside the database does the same. The operating
  system releases both if the process dies.
- **Days end**: before planning, an earlier day's reminder still owed (claimed or retry) is
  settled: in Slack → `sent`; not in Slack → `missed`, which the planner treats as never
  sent, so today's catch-up carries its actions.
- **Notices** (the DMs a change sends) that Slack did not take at once are retried here
  too (jobs.notices).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from slack_sdk import WebClient
from sqlalchemy import text
from sqlmodel import Session, col, select

from jobs import notices
from jobs.delivery import (
    CLAIM_LEASE,
    EVENT_TYPE,
    OWED,
    About,
    Courier,
    Pacer,
    delivery_client,
    describe,
    is_permanent,
)
from jobs.render import ReminderRenderer
from models.calendar import local_date
from models.db import Database
from models.planner import Kind, Owed, Skipped, plan_reminders, reminder_key
from models.service import last_updates
from models.settings import Settings
from models.tables import Reminder, ReminderState

__all__ = [
    "EVENT_TYPE",
    "Outcome",
    "Pacer",
    "SweepResult",
    "list_reminders",
    "reminder_client",
    "sweep",
    "sweep_lock",
]

log = logging.getLogger(__name__)

LOCK_KEY = 0x4E435049  # "NCPI": the advisory lock every sweeper asks for


@dataclass
class Outcome:
    owed: Owed
    # sent | recovered | already | taken | retrying | waiting | failed | would-send
    state: str
    detail: str = ""


@dataclass
class SweepResult:
    planned: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    locked_out: bool = False
    skipped: list[Skipped] = field(default_factory=list)  # actions the planner could not plan
    earlier: dict[str, int] = field(default_factory=dict)  # earlier days settled: state → n
    notices: dict[str, int] = field(default_factory=dict)  # notices retried: outcome → n

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.state == state)


def reminder_client(settings: Settings, *, token: str | None = None) -> WebClient:
    """The delivery client (jobs.delivery.delivery_client) on the bot's token and API URL."""
    return delivery_client(token or settings.slack_bot_token, settings.slack_api_url)


# -- the one-sweeper lock ---------------------------------------------------------------------


@contextmanager
def sweep_lock(db: Database) -> Iterator[bool]:
    """True when this process may sweep; held until the block ends (or the process dies)."""
    if not db.is_sqlite:
        with db.engine.connect() as conn:
            with conn.begin():
                got = conn.execute(
                    text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": LOCK_KEY}
                ).scalar()
                yield bool(got)
        return
    import fcntl

    path = db.url.split("///", 1)[-1]
    if not path or path == ":memory:":
        yield True
        return
    fd = os.open(path + ".sweep-lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the lock


# -- the sweep ---------------------------------------------------------------------------------


def sweep(
    *,
    db: Database,
    client: WebClient | None,
    settings: Settings,
    now: datetime,
    render: ReminderRenderer | None = None,
    dry_run: bool = False,
    pacer: Pacer | None = None,
    clock: Callable[[], datetime] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SweepResult:
    """One sweep as of `now`. `render` turns each owed reminder into the message sent (the
    front end's; a dry run sends nothing and needs none). `clock` (default: `now`) stamps
    claims and sends, and is what a claim's lease and a retry's back-off are measured
    against."""
    clock = clock or (lambda: now)
    if dry_run:
        with db.read() as session:
            planned = plan_reminders(session, now=now, settings=settings)
            plan = planned.owed
            existing = _existing(session, plan)
        result = SweepResult(planned=len(plan), skipped=planned.skipped)
        for o in plan:
            row = existing.get(o.key)
            state = "would-send" if row is None else f"already {row.state}"
            result.outcomes.append(Outcome(o, state))
        return result
    assert client is not None and render is not None, "a client and a renderer send"
    with sweep_lock(db) as mine:
        if not mine:
            log.info("reminder sweep: another sweep holds the lock; nothing to do")
            return SweepResult(locked_out=True)
        courier = Courier(db, client, clock, sleep, pacer or Pacer())
        today = local_date(now, settings.tz)
        delivery = _Delivery(courier, settings, {}, render)
        earlier = delivery.settle_earlier_days(today)
        notes = notices.retry_owed(courier, today=today)
        with db.read() as session:
            planned = plan_reminders(session, now=now, settings=settings)
            plan = planned.owed
            existing = _existing(session, plan)
            delivery.last_updates = last_updates(session, {i for o in plan for i in o.action_ids})
        for s in planned.skipped:
            log.warning("reminder sweep: skipped %s: %s", s.ref, s.reason)
        result = SweepResult(
            planned=len(plan), skipped=planned.skipped, earlier=earlier, notices=notes
        )
        for o in plan:
            result.outcomes.append(delivery.one(o, existing.get(o.key)))
        if plan or earlier or notes:
            log.info(
                "reminder sweep at %s: %d owed, %d sent, %d recovered, %d to retry, %d failed;"
                " earlier days settled: %s; notices retried: %s",
                now.isoformat(),
                len(plan),
                result.count("sent"),
                result.count("recovered"),
                result.count("retrying") + result.count("waiting"),
                result.count("failed"),
                earlier or "none",
                notes or "none",
            )
        return result


def _existing(session: Session, plan: list[Owed]) -> dict[str, Reminder]:
    """The Reminder rows already holding any of the planned keys (one query)."""
    if not plan:
        return {}
    days = {o.local_day for o in plan}
    rows = session.exec(select(Reminder).where(col(Reminder.local_day).in_(days))).all()
    wanted = {o.key for o in plan}
    found = {}
    for r in rows:
        key = reminder_key(r.kind, r.target, r.local_day)
        if key in wanted:
            found[key] = r
    return found


@dataclass
class _Delivery:
    courier: Courier
    settings: Settings
    last_updates: dict[int, datetime]
    render: ReminderRenderer

    def one(self, o: Owed, row: Reminder | None) -> Outcome:
        c = self.courier
        first = row is None
        if row is None:
            row = Reminder(
                kind=o.kind,
                target=o.target,
                local_day=o.local_day,
                recipient=o.recipient,
                payload=o.reason[:4000],
            )
            if not c.claim(row):
                return Outcome(o, "taken", "claimed by another sweep")
        elif (why := c.not_now(row)) is not None:
            return Outcome(o, *why)
        elif not c.take(row):
            return Outcome(o, "taken", "taken by another sweep")
        about = About(f"reminder_{o.kind}", o.action_ids) if o.kind in _THREADED else None
        return Outcome(
            o,
            *c.attempt(
                row,
                o.key,
                lambda: self.render(o, last_updates=self.last_updates, tz=self.settings.tz),
                about=about,
                look_first=not first,  # a dead sender, or an unknown outcome: in Slack?
            ),
        )

    def settle_earlier_days(self, today: date) -> dict[str, int]:
        """Reminders of days before `today` never recorded as sent: found in Slack → sent;
        not found → missed (today's catch-up carries them); the recipient gone → failed.
        If Slack does not answer, they stay owed and the next sweep asks again."""
        c = self.courier
        with c.db.read() as session:
            rows = session.exec(
                select(Reminder).where(
                    Reminder.local_day < today,
                    col(Reminder.state).in_(OWED),
                    col(Reminder.kind).in_([k.value for k in Kind]),
                )
            ).all()
        settled: dict[str, int] = {}
        for row in rows:
            if row.state == ReminderState.CLAIMED and c.clock() < row.claimed_at + CLAIM_LEASE:
                continue  # being sent right now, by a sweep that started before midnight
            key = reminder_key(row.kind, row.target, row.local_day)
            try:
                channel = row.channel or c.conversation(row.recipient)
                ts = c.find(channel, key)
            except Exception as e:  # noqa: BLE001 - classified: final, or asked again later
                if is_permanent(e) and c.cas(row, state=ReminderState.FAILED, error=describe(e)):
                    settled["failed"] = settled.get("failed", 0) + 1
                continue
            if ts:
                done = c.cas(
                    row, state=ReminderState.SENT, channel=channel, ts=ts, sent_at=c.clock()
                )
            else:
                done = c.cas(row, state=ReminderState.MISSED)
            if done:
                state = "recovered" if ts else "missed"
                settled[state] = settled.get(state, 0) + 1
        return settled


_THREADED = (Kind.PANEL, Kind.DUE)  # owner DMs: a reply in the thread is a note on them


def list_reminders(db: Database, *, limit: int = 50, day: date | None = None) -> list[Reminder]:
    """Reminder rows, newest claim first (optionally those keyed on one local day)."""
    with db.read() as session:
        q = select(Reminder)
        if day is not None:
            q = q.where(Reminder.local_day == day)
        q = q.order_by(col(Reminder.claimed_at).desc(), col(Reminder.id).desc()).limit(limit)
        return list(session.exec(q).all())
