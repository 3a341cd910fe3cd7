"""The reminder scheduler, through what it does: a started scheduler sweeps seconds after
start-up as of the injected clock, a doubled tick sends nothing new, and the reminder hour
is local nine across the clocks changing.

APScheduler's own job options (coalesce, max_instances, misfire grace, replacing a job by
id) are the library's to test: nothing a user sees depends on them, since the database is
the schedule and every sweep claims each reminder once (tests/reminders/test_sweep.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import Deps
from bot.views.reminders import reminder_message
from jobs.scheduler import HOUR_JOB_ID, build_scheduler, start_scheduler, sweep_job
from jobs.sweep import reminder_client
from models.clock import Clock
from models.settings import Settings
from tests.reminder_fixtures import TZ, A, Tracker, build, local


def test_reminder_hour_job_fires_at_local_nine_across_dst() -> None:
    trigger = build_scheduler(Settings()).get_job(HOUR_JOB_ID).trigger
    # Friday 26 Mar 2027 (GMT) then, after the weekend and spring forward, Monday 29 (BST)
    first = trigger.get_next_fire_time(None, datetime(2027, 3, 26, 6, tzinfo=UTC))
    assert first.astimezone(UTC) == datetime(2027, 3, 26, 9, 0, 5, tzinfo=UTC)
    second = trigger.get_next_fire_time(first, first.replace(second=6))
    assert second.astimezone(UTC) == datetime(2027, 3, 29, 8, 0, 5, tzinfo=UTC)


def test_a_started_scheduler_sends_whats_owed_at_once_and_a_doubled_tick_nothing(
    db, slack_standin
) -> None:
    """Start-up catches up within seconds (not a minute later), as of the injected clock:
    the owner of an action due in three working days hears of it, once."""
    with db.write() as session:
        build(session, Tracker([A("U1", datetime(2026, 11, 30).date())]))
    settings = Settings(slack_api_url=slack_standin.api_url, slack_bot_token=slack_standin.token)
    deps = Deps(settings=settings, db=db, clock=Clock(TZ, local(2026, 11, 25, 9, 1)))
    scheduler = start_scheduler(deps, reminder_client(settings), render=reminder_message)
    try:
        sent = slack_standin.wait_for("chat.postMessage", timeout=20)
        assert "R1.1" in str(sent.args)
        assert slack_standin.last("conversations.open").args["users"] == "U1"
        sweep_job()  # the next tick, or the hour's run on top of the minute's
    finally:
        scheduler.shutdown(wait=True)
    assert len(slack_standin.calls_to("chat.postMessage")) == 1
