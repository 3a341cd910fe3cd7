"""The reminder sweep: plan (models.planner) → claim → send → record. Exactly once.

- **Claim**: each owed reminder is claimed by inserting its `Reminder` row, unique on
  (kind, target, local day), in its own short transaction. A unique violation means another
  sweep has it: skip.
- **One sweeper at a time**: on PostgreSQL a transaction-level advisory lock
  (`pg_try_advisory_xact_lock`), held for the sweep, keeps other replicas from even planning;
  on SQLite an exclusive `flock` on a file beside the database does the same. The operating
  system releases both if the process dies.
- **Crash recovery**: every message carries its key in Slack message metadata. A claim left
  half-done (state `claimed` or `failed`, no `ts`) is only touched while holding the lock, so
  its sender is gone; the DM's history is searched for the key and the message is sent only
  if Slack does not have it.
- **Slack limits**: 429s are retried after Retry-After (slack_sdk's
  RateLimitErrorRetryHandler, then our own wait if it gives up; a 429 means nothing was
  posted, so nothing repeats); messages to one channel are paced. Errors that leave the
  outcome unknown (timeouts, 5xx) are *not* retried blindly: the row is left for the next
  sweep, which looks in the history first.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import func, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.views.reminders import reminder_message
from models.db import Database
from models.planner import Kind, Owed, Skipped, plan_reminders
from models.settings import Settings
from models.tables import BotMessage, Reminder, Update

log = logging.getLogger(__name__)

EVENT_TYPE = "ncpi_reminder"
LOCK_KEY = 0x4E435049  # "NCPI": the advisory lock every sweeper asks for
MAX_ATTEMPTS = 5  # sends of one reminder before it is left as failed
CHANNEL_PACE_S = 1.0  # Slack allows about one message per second per channel
HISTORY_PAGES = 5  # how far back recovery looks for a key (200 messages a page)
RATE_LIMIT_WAITS = 20  # our own 429 waits for one message, after the SDK's retries


class State:
    CLAIMED = "claimed"  # claimed, not (known to be) sent
    SENT = "sent"
    FAILED = "failed"  # last attempt failed; retried (after a history check) next sweep


@dataclass
class Outcome:
    owed: Owed
    state: str  # sent | recovered | already | taken | failed | would-send | dry-run
    detail: str = ""


@dataclass
class SweepResult:
    planned: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    locked_out: bool = False
    skipped: list[Skipped] = field(default_factory=list)  # actions the planner could not plan

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.state == state)


class Pacer:
    """At most one message per `interval` seconds per channel. Clock and sleep injectable."""

    def __init__(
        self,
        interval: float = CHANNEL_PACE_S,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval, self.monotonic, self.sleep = interval, monotonic, sleep
        self.last: dict[str, float] = {}

    def wait(self, channel: str) -> None:
        if channel in self.last:
            gap = self.last[channel] + self.interval - self.monotonic()
            if gap > 0:
                self.sleep(gap)
        self.last[channel] = self.monotonic()


def reminder_client(settings: Settings, *, token: str | None = None) -> WebClient:
    """A client for delivery: retries 429 after Retry-After, and nothing else, so a post
    whose outcome is unknown is never blindly repeated (recovery checks history first)."""
    client = WebClient(
        token=token or settings.slack_bot_token, base_url=settings.slack_api_url, timeout=15
    )
    client.retry_handlers = [RateLimitErrorRetryHandler(max_retry_count=5)]
    return client


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
    dry_run: bool = False,
    pacer: Pacer | None = None,
    clock: Callable[[], datetime] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SweepResult:
    """One sweep as of `now`. `clock` stamps sent_at (defaults to `now`)."""
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
    assert client is not None, "a Slack client is needed to send"
    with sweep_lock(db) as mine:
        if not mine:
            log.info("reminder sweep: another sweep holds the lock; nothing to do")
            return SweepResult(locked_out=True)
        with db.read() as session:
            planned = plan_reminders(session, now=now, settings=settings)
            plan = planned.owed
            existing = _existing(session, plan)
            last_updates = _last_updates(session, {i for o in plan for i in o.action_ids})
        for s in planned.skipped:
            log.warning("reminder sweep: skipped %s: %s", s.ref, s.reason)
        result = SweepResult(planned=len(plan), skipped=planned.skipped)
        delivery = _Delivery(db, client, settings, pacer or Pacer(), clock, sleep, last_updates)
        for o in plan:
            result.outcomes.append(delivery.one(o, existing.get(o.key), now))
        if plan:
            log.info(
                "reminder sweep at %s: %d owed, %d sent, %d recovered, %d failed",
                now.isoformat(),
                len(plan),
                result.count("sent"),
                result.count("recovered"),
                result.count("failed"),
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
        key = f"{r.kind}|{r.target}|{r.local_day.isoformat()}"
        if key in wanted:
            found[key] = r
    return found


def _last_updates(session: Session, action_ids: set[int]) -> dict[int, datetime]:
    out: dict[int, datetime] = {}
    ids = sorted(action_ids)
    for k in range(0, len(ids), 5000):
        chunk = ids[k : k + 5000]
        q = (
            select(Update.action_id, func.max(Update.at))
            .where(col(Update.action_id).in_(chunk))
            .group_by(Update.action_id)
        )
        for aid, at in session.exec(q).all():
            out[aid] = at if at.tzinfo else at.replace(tzinfo=UTC)
    return out


@dataclass
class _Delivery:
    db: Database
    client: WebClient
    settings: Settings
    pacer: Pacer
    clock: Callable[[], datetime]
    sleep: Callable[[float], None]
    last_updates: dict[int, datetime]

    def one(self, o: Owed, row: Reminder | None, now: datetime) -> Outcome:
        if row is None:
            # Open the DM first (idempotent), so the claim records where it will be sent and
            # counts the attempt: one transaction before the post, one after.
            try:
                channel = self._channel(o.recipient)
            except SlackApiError as e:
                # Claimed as failed, so a deleted user costs MAX_ATTEMPTS tries, not one a minute
                row = self._claim(o, now, None)
                if row is None:
                    return Outcome(o, "taken", "claimed by another sweep")
                self._failed(row, None, _err(e))
                return Outcome(o, "failed", _err(e))
            row = self._claim(o, now, channel)
            if row is None:
                return Outcome(o, "taken", "claimed by another sweep")
            return self._send(o, row, counted=True)
        elif row.state == State.SENT:
            return Outcome(o, "already", f"sent {row.channel} {row.ts}")
        elif row.attempts >= MAX_ATTEMPTS:
            return Outcome(o, "failed", f"gave up after {row.attempts} attempts: {row.error}")
        else:
            # Half-done by a crash, or a send that failed: does Slack already have it?
            try:
                channel = row.channel = row.channel or self._channel(o.recipient)
                ts = self._find(channel, o.key)
            except SlackApiError as e:
                self._failed(row, None, _err(e), bump=True)
                return Outcome(o, "failed", _err(e))
            if ts:
                self._sent(o, row, channel, ts)
                return Outcome(o, "recovered", f"found in {channel} history at {ts}")
        return self._send(o, row)

    # each step its own short transaction

    def _claim(self, o: Owed, now: datetime, channel: str | None) -> Reminder | None:
        row = Reminder(
            kind=o.kind,
            target=o.target,
            local_day=o.local_day,
            recipient=o.recipient,
            state=State.CLAIMED,
            attempts=1,
            channel=channel,
            payload=o.reason[:4000],
            claimed_at=now,
        )
        try:
            with self.db.write() as session:
                session.add(row)
                session.flush()
        except IntegrityError:
            return None
        return row

    def _channel(self, recipient: str) -> str:
        if recipient[:1] in ("U", "W"):
            return self.client.conversations_open(users=recipient)["channel"]["id"]
        return recipient

    def _find(self, channel: str, key: str) -> str | None:
        cursor = None
        for _ in range(HISTORY_PAGES):
            page = self.client.conversations_history(
                channel=channel, limit=200, include_all_metadata=True, cursor=cursor
            )
            for m in page.get("messages", []):
                meta = m.get("metadata") or {}
                if (
                    meta.get("event_type") == EVENT_TYPE
                    and (meta.get("event_payload") or {}).get("key") == key
                ):
                    return m["ts"]
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def _send(self, o: Owed, row: Reminder, *, counted: bool = False) -> Outcome:
        channel = row.channel
        try:
            if not counted:
                try:
                    channel = channel or self._channel(o.recipient)
                except SlackApiError as e:
                    self._failed(row, None, _err(e), bump=True)
                    return Outcome(o, "failed", _err(e))
                with self.db.write() as session:
                    session.execute(
                        update(Reminder)
                        .where(Reminder.id == row.id)
                        .values(channel=channel, attempts=Reminder.attempts + 1)
                    )
            message = reminder_message(o, last_updates=self.last_updates, tz=self.settings.tz)
            self.pacer.wait(channel)
            response = self._post(channel, message, o.key)
        except SlackApiError as e:
            self._failed(row, channel, _err(e))
            return Outcome(o, "failed", _err(e))
        except Exception as e:  # noqa: BLE001 - outcome unknown: leave for a history check
            log.warning("reminder %s: send outcome unknown (%s)", o.key, e)
            self._failed(row, channel, f"unknown: {type(e).__name__}: {e}"[:200])
            return Outcome(o, "failed", str(e))
        self._sent(o, row, response["channel"], response["ts"])
        return Outcome(o, "sent", f"{response['channel']} {response['ts']}")

    def _post(self, channel: str, message: dict[str, Any], key: str) -> Any:
        limited: SlackApiError | None = None
        for _ in range(RATE_LIMIT_WAITS):
            try:
                return self.client.chat_postMessage(
                    channel=channel,
                    text=message["text"],
                    blocks=message["blocks"],
                    unfurl_links=False,
                    metadata={"event_type": EVENT_TYPE, "event_payload": {"key": key}},
                )
            except SlackApiError as e:
                if e.response.status_code != 429:
                    raise
                # Still limited after the SDK's own retries. A 429 posted nothing: wait, retry.
                limited = e
                self.sleep(float(e.response.headers.get("Retry-After", "1") or 1))
        assert limited is not None
        raise limited

    def _sent(self, o: Owed, row: Reminder, channel: str, ts: str) -> None:
        with self.db.write() as session:
            session.execute(
                update(Reminder)
                .where(Reminder.id == row.id)
                .values(state=State.SENT, channel=channel, ts=ts, sent_at=self.clock(), error=None)
            )
            if o.kind in (Kind.PANEL, Kind.DUE) and o.action_ids:
                exists = session.exec(
                    select(BotMessage.id).where(BotMessage.channel == channel, BotMessage.ts == ts)
                ).first()
                if exists is None:
                    session.add(
                        BotMessage(
                            channel=channel,
                            ts=ts,
                            recipient=o.recipient,
                            kind=f"reminder_{o.kind}",
                            action_ids=",".join(map(str, o.action_ids)),
                            at=self.clock(),
                        )
                    )
        row.state, row.channel, row.ts = State.SENT, channel, ts

    def _failed(self, row: Reminder, channel: str | None, error: str, bump: bool = False) -> None:
        with self.db.write() as session:
            values: dict[str, Any] = {"state": State.FAILED, "error": error[:200]}
            if bump:
                values["attempts"] = Reminder.attempts + 1
            if channel:
                values["channel"] = channel
            session.execute(update(Reminder).where(Reminder.id == row.id).values(**values))


def _err(e: SlackApiError) -> str:
    try:
        return str(e.response.get("error") or e)[:200]
    except Exception:  # noqa: BLE001
        return str(e)[:200]


def list_reminders(db: Database, *, limit: int = 50, day: date | None = None) -> list[Reminder]:
    """Reminder rows, newest claim first (optionally those keyed on one local day)."""
    with db.read() as session:
        q = select(Reminder)
        if day is not None:
            q = q.where(Reminder.local_day == day)
        q = q.order_by(col(Reminder.claimed_at).desc(), col(Reminder.id).desc()).limit(limit)
        return list(session.exec(q).all())
