"""Claim → send → record for one keyed message: at most once, and never given up on a
failure that may pass. Reminders (jobs.sweep) and notices (jobs.notices) both go this way.

- **Claim**: a message is claimed by inserting its `Reminder` row, unique on (kind, target,
  local day). A later try takes the row over by a compare-and-set on its state and attempt
  count, so two senders never both hold it.
- **Faults**: only a permanent refusal (the recipient or channel is gone or closed to us:
  `user_not_found`, `channel_not_found`, `is_archived`, … see PERMANENT_ERRORS) is final
  (`failed`). Anything else (a 5xx, a 429 that outlasts our waits, a timeout, a refused or
  reset connection, `internal_error`, `service_unavailable`, a code we do not know) leaves
  the row in `retry`, tried again after a back-off (RETRY_BACKOFF).
- **Unknown outcomes**: every message carries its key in Slack message metadata. A retry,
  or a claim with no `ts` older than CLAIM_LEASE (its sender died), may already be in Slack
  (a timeout, a 5xx or a dropped answer can follow a post that worked): the DM's history is
  searched for the key and the message is posted only if Slack does not have it. So the
  client never repeats a post blindly: it retries 429s (which post nothing) and nothing else.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.client import HTTPException
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from models.db import Database
from models.service.threads import record_dm
from models.tables import Reminder, ReminderState

log = logging.getLogger(__name__)

EVENT_TYPE = "ncpi_reminder"  # the metadata event type every keyed message carries
# A claim this old with no ts was left by a sender that died. Far longer than one post
# takes, and shorter than the minute between sweeps, so the next sweep resolves it.
CLAIM_LEASE = timedelta(seconds=45)
# The wait after a message's n-th failed try (the last repeats): the first tries come
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
    """When a message whose last try failed for a passing reason may be tried again."""
    n = min(max(row.attempts, 1), len(RETRY_BACKOFF))
    return row.claimed_at + RETRY_BACKOFF[n - 1]


def delivery_client(token: str | None, base_url: str, *, rate_limit_retries: int = 5) -> WebClient:
    """A client that retries 429 after Retry-After, and nothing else, so a post whose
    outcome is unknown is never blindly repeated (the next try looks in history first)."""
    client = WebClient(token=token, base_url=base_url, timeout=15)
    client.retry_handlers = [RateLimitErrorRetryHandler(max_retry_count=rate_limit_retries)]
    return client


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


@dataclass(frozen=True)
class About:
    """What a reply in the message's thread is about: recorded (service.record_dm) once sent."""

    kind: str
    action_ids: tuple[int, ...]


@dataclass
class Courier:
    """Delivers keyed messages, each at most once. Every step is its own short transaction."""

    db: Database
    client: WebClient
    clock: Callable[[], datetime]
    sleep: Callable[[float], None] = time.sleep
    pacer: Pacer = field(default_factory=Pacer)
    rate_limit_waits: int = RATE_LIMIT_WAITS

    def claim(self, row: Reminder) -> bool:
        """Insert the claim; False when its key is already claimed (someone else has it)."""
        row.state, row.attempts, row.claimed_at = ReminderState.CLAIMED, 1, self.clock()
        try:
            with self.db.write() as session:
                session.add(row)
                session.flush()
        except IntegrityError:
            return False
        return True

    def not_now(self, row: Reminder) -> tuple[str, str] | None:
        """Why an existing row is not to be tried now, as (outcome, detail), or None."""
        if row.state == ReminderState.SENT:
            return "already", f"sent {row.channel} {row.ts}"
        if row.state == ReminderState.FAILED:
            return "failed", f"not retried: {row.error}"
        if row.state == ReminderState.CLAIMED and self.clock() < row.claimed_at + CLAIM_LEASE:
            return "taken", "claimed by a sender that may still be sending it"
        if row.state != ReminderState.CLAIMED and self.clock() < retry_at(row):
            return "waiting", f"{row.error}; next try after {retry_at(row):%H:%M} UTC"
        return None

    def cas(self, row: Reminder, **values: Any) -> bool:
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

    def take(self, row: Reminder) -> bool:
        """Claim an existing row for one more try."""
        return self.cas(
            row, state=ReminderState.CLAIMED, attempts=row.attempts + 1, claimed_at=self.clock()
        )

    def attempt(
        self,
        row: Reminder,
        key: str,
        message: Callable[[], dict[str, Any]],
        *,
        about: About | None = None,
        look_first: bool,
        channel: str | None = None,
    ) -> tuple[str, str]:
        """One try at a claimed row: (look in the DM's history for the key, then) post.
        Returns (outcome, detail): sent | recovered | retrying | failed."""
        channel = channel or row.channel
        try:
            channel = channel or self.conversation(row.recipient)
            if look_first:
                ts = self.find(channel, key)
                if ts:
                    self.sent(row, channel, ts, about)
                    return "recovered", f"found in {channel} history at {ts}"
            body = message()
            self.pacer.wait(channel)
            response = self._post(channel, body, key)
        except Exception as e:  # noqa: BLE001 - classified: final, or retried later
            return self._failure(row, key, channel, e)
        self.sent(row, response["channel"], response["ts"], about)
        return "sent", f"{response['channel']} {response['ts']}"

    def conversation(self, recipient: str) -> str:
        """The channel to post in: a user's DM (opened, idempotently) or the channel itself."""
        if recipient[:1] in ("U", "W"):
            return self.client.conversations_open(users=recipient)["channel"]["id"]
        return recipient

    def find(self, channel: str, key: str) -> str | None:
        """The ts of the message carrying `key` in `channel`'s recent history, if any."""
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

    def sent(self, row: Reminder, channel: str, ts: str, about: About | None) -> None:
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
            if about:
                record_dm(
                    session,
                    channel=channel,
                    ts=ts,
                    recipient=row.recipient,
                    kind=about.kind,
                    action_ids=about.action_ids,
                    now=self.clock(),
                )
        row.state, row.channel, row.ts = ReminderState.SENT, channel, ts

    def _post(self, channel: str, message: dict[str, Any], key: str) -> Any:
        for n in range(self.rate_limit_waits + 1):
            try:
                return self.client.chat_postMessage(
                    channel=channel,
                    text=message["text"],
                    blocks=message["blocks"],
                    unfurl_links=False,
                    metadata={"event_type": EVENT_TYPE, "event_payload": {"key": key}},
                )
            except SlackApiError as e:
                if getattr(e.response, "status_code", None) != 429 or n == self.rate_limit_waits:
                    raise
                # Still limited after the SDK's own retries. A 429 posted nothing: wait, retry.
                self.sleep(float(e.response.headers.get("Retry-After", "1") or 1))
        raise AssertionError("unreachable")

    def _failure(
        self, row: Reminder, key: str, channel: str | None, e: Exception
    ) -> tuple[str, str]:
        """Record a failed try: final for a permanent refusal, otherwise retried later."""
        error = describe(e)
        if not isinstance(e, SlackApiError | OSError | HTTPException):
            log.exception("%s: unexpected error; it will be retried", key)
        values: dict[str, Any] = {"error": error}
        if channel and channel[:1] not in ("U", "W"):  # a conversation, not a user id
            values["channel"] = channel
        if is_permanent(e):
            self.cas(row, state=ReminderState.FAILED, **values)
            log.warning("%s: Slack refused it (%s); not retried", key, error)
            return "failed", error
        self.cas(row, state=ReminderState.RETRY, **values)
        log.info("%s: %s; next try after %s", key, error, retry_at(row).isoformat())
        return "retrying", f"{error}; next try after {retry_at(row):%H:%M} UTC"


def _code(e: SlackApiError) -> str:
    try:
        return str(e.response.get("error") or "")
    except Exception:  # noqa: BLE001
        return ""


def describe(e: Exception) -> str:
    """A failure in a few words for the row and the log (never a message's text)."""
    if isinstance(e, SlackApiError):
        status = getattr(e.response, "status_code", 200)
        code = _code(e) or str(e)
        return (code if status == 200 else f"HTTP {status}: {code}")[:200]
    return f"{type(e).__name__}: {e}"[:200]
