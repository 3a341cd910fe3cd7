"""The reminder sweep: plan (models.planner) → claim → send → record. Exactly once.

- **Claim**: each owed reminder is claimed by inserting its `Reminder` row, unique on
  (kind, target, local day), in its own short transaction. A unique violation means another
  sweep has it: skip. A later try takes the row over by a compare-and-set on its state and
  attempt count, so two senders never both hold it.
- **One sweeper at a time**: on PostgreSQL a transaction-level advisory lock
  (`pg_try_advisory_xact_lock`), held for the sweep, keeps other replicas from even planning;
  on SQLite an exclusive `flock` on a file beside the database does the same. The operating
  system releases both if the process dies.
- **Faults**: only a permanent refusal (the recipient or channel is gone or closed to us:
  `user_not_found`, `channel_not_found`, `is_archived`, … see PERMANENT_ERRORS) is final
  (`failed`). Anything else (a 5xx, a 429 that outlasts our waits, a timeout, a refused or
  reset connection, `internal_error`, `service_unavailable`, a code we do not know) leaves
  the row in `retry`, tried again after a back-off (RETRY_BACKOFF) for the rest of its day.
- **Crash recovery**: every message carries its key in Slack message metadata. A retry, or
  a claim with no `ts` older than CLAIM_LEASE (its sender died), may already be in Slack (a
  timeout or a 5xx can follow a post that worked): the DM's history is searched for the key
  and the message is sent only if Slack does not have it.
- **Days end**: before planning, an earlier day's reminder still owed (claimed or retry) is
  settled the same way: in Slack → `sent`; not in Slack → `missed`, which the planner treats
  as never sent, so today's catch-up carries its actions.
- **Slack limits**: 429s are retried after Retry-After (slack_sdk's
  RateLimitErrorRetryHandler, then our own wait if it gives up; a 429 means nothing was
  posted, so nothing repeats); messages to one channel are paced.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.client import HTTPException
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import func, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.views.reminders import reminder_message
from models.calendar import local_date
from models.db import Database
from models.planner import Kind, Owed, Skipped, plan_reminders, reminder_key
from models.settings import Settings
from models.tables import BotMessage, Reminder, ReminderState, Update

log = logging.getLogger(__name__)

EVENT_TYPE = "ncpi_reminder"
LOCK_KEY = 0x4E435049  # "NCPI": the advisory lock every sweeper asks for
# A claim this old with no ts was left by a sender that died. Far longer than one post
# takes, and shorter than the minute between sweeps, so the next sweep resolves it.
CLAIM_LEASE = timedelta(seconds=45)
# The wait after a reminder's n-th failed try (the last repeats): the first tries come
# quickly, after a short outage; a long one costs a try every half hour.
RETRY_BACKOFF = tuple(timedelta(minutes=m) for m in (1, 2, 4, 8, 15, 30))
CHANNEL_PACE_S = 1.0  # Slack allows about one message per second per channel
HISTORY_PAGES = 5  # how far back recovery looks for a key (200 messages a page)
RATE_LIMIT_WAITS = 20  # our own 429 waits for one message, after the SDK's retries

# Slack's answers meaning the message can never be delivered as addressed. Any other
# failure may pass (an outage, a limit, a bug fixed by a deploy): it is retried.
PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "cannot_dm_bot",
        "channel_not_found",
        "is_archived",
        "messages_tab_disabled",
        "not_in_channel",
        "restricted_action",
        "user_disabled",
        "user_is_bot",
        "user_not_found",
        "user_not_visible",
        "users_not_found",
    }
)
OWED = (ReminderState.CLAIMED, ReminderState.RETRY)  # not sent yet, and still may be


def is_permanent(e: Exception) -> bool:
    """True for a Slack refusal no retry can change (see PERMANENT_ERRORS)."""
    if not isinstance(e, SlackApiError):
        return False
    return getattr(e.response, "status_code", 200) == 200 and _code(e) in PERMANENT_ERRORS


def retry_at(row: Reminder) -> datetime:
    """When a reminder whose last try failed for a passing reason may be tried again."""
    n = min(max(row.attempts, 1), len(RETRY_BACKOFF))
    return row.claimed_at + RETRY_BACKOFF[n - 1]


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
    """One sweep as of `now`. `clock` (default: `now`) stamps claims and sends, and is what
    a claim's lease and a retry's back-off are measured against."""
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
        delivery = _Delivery(db, client, settings, pacer or Pacer(), clock, sleep, {})
        earlier = delivery.settle_earlier_days(local_date(now, settings.tz))
        with db.read() as session:
            planned = plan_reminders(session, now=now, settings=settings)
            plan = planned.owed
            existing = _existing(session, plan)
            delivery.last_updates = _last_updates(session, {i for o in plan for i in o.action_ids})
        for s in planned.skipped:
            log.warning("reminder sweep: skipped %s: %s", s.ref, s.reason)
        result = SweepResult(planned=len(plan), skipped=planned.skipped, earlier=earlier)
        for o in plan:
            result.outcomes.append(delivery.one(o, existing.get(o.key)))
        if plan or earlier:
            log.info(
                "reminder sweep at %s: %d owed, %d sent, %d recovered, %d to retry, %d failed;"
                " earlier days settled: %s",
                now.isoformat(),
                len(plan),
                result.count("sent"),
                result.count("recovered"),
                result.count("retrying") + result.count("waiting"),
                result.count("failed"),
                earlier or "none",
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

    def one(self, o: Owed, row: Reminder | None) -> Outcome:
        if row is None:
            return self._first(o)
        if row.state == ReminderState.SENT:
            return Outcome(o, "already", f"sent {row.channel} {row.ts}")
        if row.state == ReminderState.FAILED:
            return Outcome(o, "failed", f"not retried: {row.error}")
        if row.state == ReminderState.CLAIMED and self.clock() < row.claimed_at + CLAIM_LEASE:
            return Outcome(o, "taken", "claimed by a sweep that may still be sending it")
        if row.state != ReminderState.CLAIMED and self.clock() < retry_at(row):
            return Outcome(o, "waiting", f"{row.error}; next try after {retry_at(row):%H:%M} UTC")
        if not self._take(row):
            return Outcome(o, "taken", "taken by another sweep")
        # Left by a dead sender, or after a try whose outcome may be unknown: in Slack?
        channel = row.channel
        try:
            channel = channel or self._channel(o.recipient)
            ts = self._find(channel, o.key)
        except Exception as e:  # noqa: BLE001 - classified: final, or retried later
            return self._failure(o, row, channel, e)
        if ts:
            self._sent(o, row, channel, ts)
            return Outcome(o, "recovered", f"found in {channel} history at {ts}")
        return self._send(o, row, channel)

    def settle_earlier_days(self, today: date) -> dict[str, int]:
        """Reminders of days before `today` never recorded as sent: found in Slack → sent;
        not found → missed (today's catch-up carries them); the recipient gone → failed.
        If Slack does not answer, they stay owed and the next sweep asks again."""
        with self.db.read() as session:
            rows = session.exec(
                select(Reminder).where(Reminder.local_day < today, col(Reminder.state).in_(OWED))
            ).all()
        settled: dict[str, int] = {}
        for row in rows:
            if row.state == ReminderState.CLAIMED and self.clock() < row.claimed_at + CLAIM_LEASE:
                continue  # being sent right now, by a sweep that started before midnight
            key = reminder_key(row.kind, row.target, row.local_day)
            try:
                channel = row.channel or self._channel(row.recipient)
                ts = self._find(channel, key)
            except Exception as e:  # noqa: BLE001 - classified: final, or asked again later
                if is_permanent(e) and self._cas(row, state=ReminderState.FAILED, error=_err(e)):
                    settled["failed"] = settled.get("failed", 0) + 1
                continue
            if ts:
                done = self._cas(
                    row, state=ReminderState.SENT, channel=channel, ts=ts, sent_at=self.clock()
                )
            else:
                done = self._cas(row, state=ReminderState.MISSED)
            if done:
                state = "recovered" if ts else "missed"
                settled[state] = settled.get(state, 0) + 1
        return settled

    # each step its own short transaction

    def _first(self, o: Owed) -> Outcome:
        # Open the DM first (idempotent), so the claim records where it will be sent.
        try:
            channel = self._channel(o.recipient)
        except Exception as e:  # noqa: BLE001 - recorded on the claim, classified there
            row = self._claim(o, None)
            return self._failure(o, row, None, e) if row else _taken(o)
        row = self._claim(o, channel)
        return self._send(o, row, channel) if row else _taken(o)

    def _claim(self, o: Owed, channel: str | None) -> Reminder | None:
        row = Reminder(
            kind=o.kind,
            target=o.target,
            local_day=o.local_day,
            recipient=o.recipient,
            state=ReminderState.CLAIMED,
            attempts=1,
            channel=channel,
            payload=o.reason[:4000],
            claimed_at=self.clock(),
        )
        try:
            with self.db.write() as session:
                session.add(row)
                session.flush()
        except IntegrityError:
            return None
        return row

    def _cas(self, row: Reminder, **values: Any) -> bool:
        """Change `row` only if nobody has since (same state, same attempt count)."""
        with self.db.write() as session:
            changed = session.execute(
                update(Reminder)
                .where(
                    Reminder.id == row.id,
                    Reminder.state == row.state,
                    Reminder.attempts == row.attempts,
                )
                .values(**values)
            ).rowcount
        if changed == 1:
            for name, value in values.items():
                setattr(row, name, value)
        return changed == 1

    def _take(self, row: Reminder) -> bool:
        """Claim an existing row for one more try."""
        return self._cas(
            row, state=ReminderState.CLAIMED, attempts=row.attempts + 1, claimed_at=self.clock()
        )

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

    def _send(self, o: Owed, row: Reminder, channel: str) -> Outcome:
        try:
            message = reminder_message(o, last_updates=self.last_updates, tz=self.settings.tz)
            self.pacer.wait(channel)
            response = self._post(channel, message, o.key)
        except Exception as e:  # noqa: BLE001 - classified: final, or retried later
            return self._failure(o, row, channel, e)
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
                if getattr(e.response, "status_code", None) != 429:
                    raise
                # Still limited after the SDK's own retries. A 429 posted nothing: wait, retry.
                limited = e
                self.sleep(float(e.response.headers.get("Retry-After", "1") or 1))
        assert limited is not None
        raise limited

    def _failure(self, o: Owed, row: Reminder, channel: str | None, e: Exception) -> Outcome:
        """Record a failed try: final for a permanent refusal, otherwise retried later."""
        error = _err(e)
        if not isinstance(e, SlackApiError | OSError | HTTPException):
            log.exception("reminder %s: unexpected error; it will be retried", o.key)
        values: dict[str, Any] = {"error": error}
        if channel:
            values["channel"] = channel
        if is_permanent(e):
            self._cas(row, state=ReminderState.FAILED, **values)
            log.warning("reminder %s: Slack refused it (%s); not retried", o.key, error)
            return Outcome(o, "failed", error)
        self._cas(row, state=ReminderState.RETRY, **values)
        log.info("reminder %s: %s; next try after %s", o.key, error, retry_at(row).isoformat())
        return Outcome(o, "retrying", f"{error}; next try after {retry_at(row):%H:%M} UTC")

    def _sent(self, o: Owed, row: Reminder, channel: str, ts: str) -> None:
        with self.db.write() as session:
            session.execute(
                update(Reminder)
                .where(Reminder.id == row.id)
                .values(
                    state=ReminderState.SENT,
                    channel=channel,
                    ts=ts,
                    sent_at=self.clock(),
                    error=None,
                )
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
        row.state, row.channel, row.ts = ReminderState.SENT, channel, ts


def _taken(o: Owed) -> Outcome:
    return Outcome(o, "taken", "claimed by another sweep")


def _code(e: SlackApiError) -> str:
    try:
        return str(e.response.get("error") or "")
    except Exception:  # noqa: BLE001
        return ""


def _err(e: Exception) -> str:
    """A failure in a few words for the row and the log (never a message's text)."""
    if isinstance(e, SlackApiError):
        status = getattr(e.response, "status_code", 200)
        code = _code(e) or str(e)
        return (code if status == 200 else f"HTTP {status}: {code}")[:200]
    return f"{type(e).__name__}: {e}"[:200]


def list_reminders(db: Database, *, limit: int = 50, day: date | None = None) -> list[Reminder]:
    """Reminder rows, newest claim first (optionally those keyed on one local day)."""
    with db.read() as session:
        q = select(Reminder)
        if day is not None:
            q = q.where(Reminder.local_day == day)
        q = q.order_by(col(Reminder.claimed_at).desc(), col(Reminder.id).desc()).limit(limit)
        return list(session.exec(q).all())
