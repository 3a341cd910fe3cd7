"""Notices: the DMs a change sends (a handover offer, "it is off your list", a due date
moved), delivered once by the reminders' claim-and-key route (jobs.delivery).

`send_notice` claims a row for the notice (kind `notice`, a target of its own, today),
posts it carrying its key, and records the ts. Its client never repeats a post blindly, so
an answer lost on the way back cannot post it twice. If Slack does not take it at once
(down, rate limited, the answer lost), the row is left in `retry` with the message, and
each sweep tries it again, looking for its key in the DM first, for NOTICE_RETRY_DAYS.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import update
from sqlmodel import col, select

from jobs.delivery import OWED, About, Courier, delivery_client
from models.calendar import local_date
from models.db import Database
from models.planner import reminder_key
from models.tables import Reminder, ReminderState

log = logging.getLogger(__name__)

KIND = "notice"
NOTICE_RETRY_DAYS = 2  # a notice Slack has not taken after this many days is left as missed


def notice_courier(db: Database, client: WebClient, clock: Callable[[], datetime]) -> Courier:
    """A courier on `client`'s token and API URL that never repeats a post blindly and does
    not wait out rate limits in the request's thread (the sweep delivers those later)."""
    quiet = delivery_client(client.token, client.base_url, rate_limit_retries=1)
    return Courier(db, quiet, clock, rate_limit_waits=0)


def send_notice(
    courier: Courier,
    *,
    tz: ZoneInfo,
    user: str,
    kind: str,
    text: str,
    blocks: list[dict[str, Any]],
    action_ids: Sequence[int] = (),
) -> str:
    """Deliver one notice to `user` once. Returns sent | retrying (the sweep will) | failed."""
    row = Reminder(
        kind=KIND,
        target=f"{kind}:{uuid4().hex}"[:80],
        local_day=local_date(courier.clock(), tz),
        recipient=user,
        payload=json.dumps(
            {"kind": kind, "text": text, "blocks": blocks, "action_ids": list(action_ids)}
        ),
    )
    courier.claim(row)  # a key of its own: nobody else can hold it
    outcome, _ = courier.attempt(
        row,
        _key(row),
        lambda: {"text": text, "blocks": blocks},
        about=About(kind, tuple(action_ids)),
        look_first=False,
        channel=user,  # Slack posts to a user id in their DM with the bot
    )
    return outcome


def retry_owed(courier: Courier, *, today: date) -> dict[str, int]:
    """One more try at each notice still owed whose back-off has passed. Returns outcome → n."""
    oldest = today - timedelta(days=NOTICE_RETRY_DAYS)
    with courier.db.read() as session:
        rows = session.exec(
            select(Reminder).where(Reminder.kind == KIND, col(Reminder.state).in_(OWED))
        ).all()
    tally: dict[str, int] = {}
    for row in rows:
        if row.local_day < oldest or courier.not_now(row) is not None or not courier.take(row):
            continue
        body = json.loads(row.payload or "{}")
        outcome, _ = courier.attempt(
            row,
            _key(row),
            lambda body=body: {"text": body["text"], "blocks": body["blocks"]},
            about=About(body.get("kind", KIND), tuple(body.get("action_ids", ()))),
            look_first=True,  # it may be there already: an answer lost, a sender killed
        )
        tally[outcome] = tally.get(outcome, 0) + 1
    stale = [row.id for row in rows if row.local_day < oldest]
    if stale:
        with courier.db.write() as session:
            session.execute(
                update(Reminder)
                .where(col(Reminder.id).in_(stale), col(Reminder.state).in_(OWED))
                .values(state=ReminderState.MISSED)
            )
        log.warning(
            "%d notices Slack did not take in %d days are left as missed",
            len(stale),
            NOTICE_RETRY_DAYS,
        )
        tally["missed"] = len(stale)
    return tally


def _key(row: Reminder) -> str:
    return reminder_key(row.kind, row.target, row.local_day)
