"""Reminder fan-out benchmark: N owners each owed a DM, one sweep against the Slack
stand-in with 429 bursts, then a second sweep. Checks none lost and none repeated.

    .venv/bin/python -m benchmarks.reminder_fanout [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date

from jobs.sweep import EVENT_TYPE, reminder_client, sweep
from models.db import Database
from models.settings import Settings
from tests.reminder_fixtures import A, Tracker, build, local
from tests.slack_standin import SlackStandIn


def main(n: int = 1000) -> None:
    db = Database(f"sqlite:///{tempfile.mkdtemp()}/fanout.db")
    db.upgrade()
    with db.write() as session:
        build(session, Tracker([A(f"U0OWN{i:05d}", date(2026, 11, 30)) for i in range(n)]))
    with SlackStandIn() as slack:
        settings = Settings(slack_api_url=slack.api_url, slack_bot_token=slack.token)
        slack.rate_limit_next(5, retry_after=1, methods=("chat.postMessage",))
        t0 = time.perf_counter()
        first = sweep(
            db=db,
            client=reminder_client(settings),
            settings=settings,
            now=local(2026, 11, 25, 9, 1),
        )
        took = time.perf_counter() - t0
        second = sweep(
            db=db,
            client=reminder_client(settings),
            settings=settings,
            now=local(2026, 11, 25, 9, 2),
        )
        keys = [
            m["metadata"]["event_payload"]["key"]
            for ch in list(slack.channels)
            for m in slack.messages(ch)
            if (m.get("metadata") or {}).get("event_type") == EVENT_TYPE
        ]
    print(
        f"{n} reminders: first sweep {first.count('sent')} sent in {took:.1f}s "
        f"({n / took:.0f}/s, 5 × 429 on the way); second sweep {second.count('sent')} sent; "
        f"Slack holds {len(keys)} messages, {len(set(keys))} distinct keys"
    )
    assert first.count("sent") == n and second.count("sent") == 0
    assert len(keys) == len(set(keys)) == n


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
