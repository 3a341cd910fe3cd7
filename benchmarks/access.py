"""What the members-only check costs a command: the cached look-up against the floor without it.

    .venv/bin/python -m benchmarks.access
    .venv/bin/python -m benchmarks.access --n 500

Signed slash commands dispatched in-process (no HTTP in front, so microseconds show), in
interleaved rounds so every case sees the same machine load:

- **floor**: a bare Bolt app acking `/floor` in its response (benchmarks/floor_app.py's
  `/floor`, with the listener run before `dispatch` returns, as below);
- **floor + members-only, cached**: the same app with `bot.members.MembersOnly` added by
  `app.use`, as `create_app` adds it, for a user already looked up (the everyday case);
- **floor + members-only, not cached**: the same, with the cache off, so every command calls
  `users.info` on the Slack stand-in over loopback (a first command, or one after the
  five minutes; real Slack adds its own round trip, about 100 ms from the UK);
- **the cached check alone**: `MembersOnly.refusal` for a known user, 100,000 times;
- **/ncpi summary**: the whole bot (`create_app`: signature, workspace, members-only with
  the look-up cached, router, SQLite sample tracker, the answer posted to the response_url),
  for scale.

Writes benchmarks/results/access.json.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from benchmarks.common import database, print_table, summarise_ms, write_json
from bot.app import Deps, create_app
from bot.members import MembersOnly
from models.clock import Clock
from models.sample import load_sample
from models.settings import Settings
from tests import slack_requests
from tests.slack_standin import APP_ID, TEAM_ID, SlackStandIn

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
SECRET = "bench-signing-secret-0123456789abcdef"
LEAD = "U0SAFELEAD"  # the sample's lead
FORM = slack_requests.FORM
CHECKS = 100_000
CASES = (
    "floor",
    "floor + members-only, cached",
    "floor + members-only, not cached",
    "/ncpi summary",
)


def signed(body: str, timestamp: int) -> BoltRequest:
    headers = slack_requests.signed_headers(SECRET, timestamp, body, FORM)
    return BoltRequest(body=body, headers={k.lower(): [v] for k, v in headers.items()})


def floor_app(standin: SlackStandIn, deps: Deps, *, members: str | None) -> App:
    """A bare Bolt app (Bolt's own signature check) acking `/floor` in its response. As the
    bot in this benchmark, it runs the listener before `dispatch` returns: with Bolt's thread
    runner, the 10 ms ack poll would hide what is being measured."""
    app = App(
        signing_secret=SECRET,
        client=WebClient(token=standin.token, base_url=standin.api_url),
        token_verification_enabled=False,
        process_before_response=True,
    )
    app.command("/floor")(lambda ack: ack("ok"))
    if members is not None:
        gate = MembersOnly.for_app(app, deps)
        if members == "not cached":
            gate.ttl = timedelta(0)
        app.use(gate)
    return app


def run(*, n: int) -> list[dict]:
    with SlackStandIn() as standin, database("sqlite") as db:
        with db.write() as session:
            load_sample(session, now=NOW, today=NOW.date(), tz=TZ)
        settings = Settings(
            slack_api_url=standin.api_url,
            slack_bot_token=standin.token,
            slack_signing_secret=SECRET,
            slack_team_id=TEAM_ID,
            slack_app_id=APP_ID,
        )
        wall = Deps(settings, db, Clock(TZ))  # the floor apps check signatures on the wall clock
        pinned = Deps(settings, db, Clock(TZ, NOW))  # the bot's pinned clock, as in the tests
        floor_body = slack_requests.command_body("", user=LEAD, command="/floor")
        summary_body = slack_requests.command_body(
            "summary", user=LEAD, response_url=standin.response_url("summary")
        )
        apps: dict[str, Callable[[], object]] = {}
        for case, members in zip(CASES[:3], (None, "cached", "not cached"), strict=True):
            app = floor_app(standin, wall, members=members)
            apps[case] = lambda app=app: app.dispatch(signed(floor_body, int(time.time())))
        bot = create_app(pinned, process_before_response=True)
        apps[CASES[3]] = lambda: bot.dispatch(signed(summary_body, int(NOW.timestamp())))

        for dispatch in apps.values():  # warm: imports, the first look-up, Bolt's auth.test
            for _ in range(5):
                check(dispatch())
        samples: dict[str, list[float]] = {case: [] for case in CASES}
        lookups: dict[str, int] = dict.fromkeys(CASES, 0)
        order, shuffle = list(apps), random.Random(13).shuffle
        for _ in range(n):
            shuffle(order)  # no case always follows the slow one
            for case in order:
                dispatch = apps[case]
                calls = len(standin.calls_to("users.info"))
                t0 = time.perf_counter()
                check(dispatch())
                samples[case].append(time.perf_counter() - t0)
                lookups[case] += len(standin.calls_to("users.info")) - calls
            standin.reset()  # keep the stand-in's record small (users come back on demand)

        gate = MembersOnly.for_app(bot, pinned)
        gate.refusal(LEAD, team_id=TEAM_ID)  # looked up once, then cached
        t0 = time.perf_counter()
        for _ in range(CHECKS):
            gate.refusal(LEAD, team_id=TEAM_ID)
        check_alone_us = (time.perf_counter() - t0) / CHECKS * 1e6

    floor = summarise_ms(samples["floor"])
    rows = []
    for case in CASES:
        stats = summarise_ms(samples[case])
        rows.append(
            {
                "case": case,
                **stats,
                "added_p50_ms": round(stats["p50_ms"] - floor["p50_ms"], 3),
                "users_info_calls": lookups[case],
                "load_1m": round(os.getloadavg()[0], 2),
            }
        )
    rows.append(
        {
            "case": "the cached check alone (MembersOnly.refusal)",
            "n": CHECKS,
            "mean_ms": round(check_alone_us / 1000, 4),
            "added_p50_ms": round(check_alone_us / 1000, 4),
            "users_info_calls": 0,
            "load_1m": round(os.getloadavg()[0], 2),
        }
    )
    return rows


def check(resp: object) -> None:
    status = getattr(resp, "status", None)
    body = str(getattr(resp, "body", ""))
    if status != 200 or "open to" in body:
        raise RuntimeError(f"unexpected answer {status}: {body[:200]}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.access", description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="rounds (each times every case)")
    args = parser.parse_args()
    rows = run(n=args.n)
    print_table(
        "A signed command, in-process: the members-only look-up cached, uncached, and the floor",
        rows,
        ["case", "n", "p50_ms", "p99_ms", "mean_ms", "added_p50_ms", "users_info_calls", "load_1m"],
    )
    path = write_json("access", {"rows": rows})
    print(f"\n→ {path}")


if __name__ == "__main__":
    main()
