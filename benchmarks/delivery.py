"""Delivery against Slack's limits: one sweep fans out N reminders to N owners.

The Slack stand-in enforces one message per second per channel (tests/slack_standin.py's
`enforce_channel_rate`) and, across the workspace, a token bucket: WORKSPACE_BURST messages
at once, then WORKSPACE_RATE a second; a post beyond either gets HTTP 429 with Retry-After.
The floor is the least time those limits allow for N messages:
max((N - burst) / rate, 0) for the workspace, and 0 for channels (one DM each).

Reported: the first sweep's wall time over that floor (target ≤ 1.1×), messages lost
(owed, not in Slack) and repeated (in Slack twice), 429s met on the way; then a second
sweep, which must send nothing.
"""

from __future__ import annotations

import math
import os
import time
from datetime import date
from typing import Any

from benchmarks.common import database
from bot.views.reminders import reminder_message
from jobs.sweep import EVENT_TYPE, reminder_client, sweep
from models.settings import Settings
from tests.reminder_fixtures import A, Tracker, build, local
from tests.slack_standin import SlackStandIn

WORKSPACE_RATE = 20.0  # messages a second, sustained, across the workspace
WORKSPACE_BURST = 100  # messages accepted at once before the workspace limit bites
CHANNEL_RATE = 1.0  # Slack's one message per second per channel


class LimitedSlack(SlackStandIn):
    """The stand-in with a workspace-wide token bucket on chat.postMessage as well."""

    def __init__(self, *, rate: float, burst: int) -> None:
        super().__init__()
        self.workspace = (rate, float(burst))
        self._bucket = (float(burst), None)

    def _throttle(self, method: str, args: dict[str, Any]) -> int | None:
        limited = super()._throttle(method, args)
        if limited is not None or method != "chat.postMessage":
            return limited
        rate, burst = self.workspace
        tokens, last = self._bucket
        now = self.clock()
        tokens = burst if last is None else min(burst, tokens + (now - last) * rate)
        if tokens < 1:
            self._bucket = (tokens, now)
            return max(1, math.ceil((1 - tokens) / rate))
        self._bucket = (tokens - 1, now)
        return None


def floor_s(n: int, *, rate: float = WORKSPACE_RATE, burst: int = WORKSPACE_BURST) -> float:
    return max((n - burst) / rate, 0.0)


def run(*, kinds: tuple[str, ...] = ("sqlite", "postgresql"), n: int = 1000) -> list[dict]:
    rows = []
    for kind in kinds:
        with database(kind) as db:
            with db.write() as session:
                build(session, Tracker([A(f"U0OWN{i:05d}", date(2026, 11, 30)) for i in range(n)]))
            with LimitedSlack(rate=WORKSPACE_RATE, burst=WORKSPACE_BURST) as slack:
                slack.enforce_channel_rate(per_second=CHANNEL_RATE, burst=1)
                settings = Settings(slack_api_url=slack.api_url, slack_bot_token=slack.token)
                load = os.getloadavg()[0]
                t0 = time.perf_counter()
                first = sweep(
                    db=db,
                    client=reminder_client(settings),
                    settings=settings,
                    now=local(2026, 11, 25, 9, 1),
                    render=reminder_message,
                )
                took = time.perf_counter() - t0
                load = round((load + os.getloadavg()[0]) / 2, 1)
                second = sweep(
                    db=db,
                    client=reminder_client(settings),
                    settings=settings,
                    now=local(2026, 11, 25, 9, 2),
                    render=reminder_message,
                )
                keys = [
                    m["metadata"]["event_payload"]["key"]
                    for ch in list(slack.channels)
                    for m in slack.messages(ch)
                    if (m.get("metadata") or {}).get("event_type") == EVENT_TYPE
                ]
                limited = sum(1 for c in slack.calls_to("chat.postMessage") if c.status == 429)
            owed = {o.owed.key for o in first.outcomes}
            floor = floor_s(n)
            rows.append(
                {
                    "database": kind,
                    "reminders": n,
                    "limits": f"{CHANNEL_RATE:g}/s per channel; {WORKSPACE_BURST} burst "
                    f"then {WORKSPACE_RATE:g}/s per workspace",
                    "floor_s": round(floor, 1),
                    "took_s": round(took, 1),
                    "x_floor": round(took / floor, 2) if floor else None,
                    "sent": first.count("sent"),
                    "lost": len(owed - set(keys)),
                    "repeated": len(keys) - len(set(keys)),
                    "429s": limited,
                    "second_sweep_sent": second.count("sent"),
                    "load_1m": load,
                    "met": "yes"
                    if floor
                    and took / floor <= 1.1
                    and len(owed - set(keys)) == 0
                    and len(keys) == len(set(keys))
                    else "NO",
                }
            )
    return rows
