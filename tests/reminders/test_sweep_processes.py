"""The sweep as real processes (`python -m bot reminders run --at …`) against the Slack
stand-in: SIGKILLed mid fan-out and restarted, and two at once on PostgreSQL. Counted at
the stand-in: every reminder delivered exactly once."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from datetime import date

import pytest
from sqlmodel import select

from models.tables import Reminder
from tests import ROOT
from tests.reminder_fixtures import A, Tracker, build, keys_at

AT = "2026-11-25T09:01:00+00:00"  # Wed 25 Nov 2026, 09:01 London
NEXT = "2026-11-25T09:02:00+00:00"  # the next sweep: the killed runs' claims are past their lease
DUE = date(2026, 11, 30)  # 3 working days later: every owner is owed a due-date DM


def _owners(n: int) -> list[str]:
    return [f"U0OWN{i:04d}" for i in range(n)]


def _sweep_process(db_url: str, slack, at: str = AT) -> subprocess.Popen:
    """`reminders run` as of `at`, on a clock pinned there (claims and leases use it)."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("NCPI_", "SLACK_", "DATABASE_URL"))
    }
    env.update(DATABASE_URL=db_url, NCPI_CLOCK=at, **slack.env())
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "--env-file", os.devnull, "reminders", "run", "--at", at],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(p: subprocess.Popen) -> str:
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, f"sweep failed ({p.returncode}):\n{out}\n{err}"
    return out


def _delivered_once(db, slack, n: int) -> None:
    keys = keys_at(slack)
    assert len(keys) == n, f"{len(keys)} messages for {n} reminders"
    assert len(set(keys)) == n, "a reminder was delivered twice"
    with db.read() as session:
        rows = session.exec(select(Reminder)).all()
    assert len(rows) == n and {r.state for r in rows} == {"sent"}


def test_sigkill_mid_fanout_then_restart_delivers_each_exactly_once(db, slack_standin) -> None:
    n = 200
    with db.write() as session:
        build(session, Tracker([A(o, DUE) for o in _owners(n)]))
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    # Kill just after Slack stored the k-th message (so its ts may never be recorded), or
    # just after the k-th DM was opened (so its claim may be half-written or not yet posted).
    kills = [
        (k, rng.choice(["chat.postMessage", "conversations.open"]))
        for k in sorted(rng.sample(range(5, n - 5), 3))
    ]
    for k, method in kills:  # cumulative: each run gets further before it is killed
        # restarted at once: a dead run's fresh claims are within their lease, left alone
        p = _sweep_process(db.url, slack_standin)
        try:
            slack_standin.wait_for(method, count=k, timeout=90)
        finally:
            p.kill()  # SIGKILL: no cleanup, no rollback handlers, nothing
            p.wait()
    out = _finish(_sweep_process(db.url, slack_standin, NEXT))
    recovered = int(re.search(r"(\d+) recovered", out).group(1))
    print(f"\ncrash test (seed {seed}): killed at (count, call) {kills}; final run: {out.strip()}")
    _delivered_once(db, slack_standin, n)
    # the recovery looked in the DM history before deciding (one lookup per half-done claim)
    assert len(slack_standin.calls_to("conversations.history")) >= recovered


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_sweep_processes_at_once_on_postgresql_send_each_once(db, slack_standin) -> None:
    n = 120
    with db.write() as session:
        build(session, Tracker([A(o, DUE) for o in _owners(n)]))
    first, second = _sweep_process(db.url, slack_standin), _sweep_process(db.url, slack_standin)
    outs = [_finish(first), _finish(second)]
    print("\n" + "\n".join(o.strip() for o in outs))
    _delivered_once(db, slack_standin, n)
    sent = sum(int(m) for o in outs for m in re.findall(r"(\d+) sent", o))
    assert sent == n
