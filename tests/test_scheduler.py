"""The APScheduler wiring: fixed ids, coalescing, deliberate grace, DST-correct hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.app import Deps
from bot.views.reminders import reminder_message
from jobs import scheduler as sched_mod
from jobs.scheduler import HOUR_JOB_ID, SWEEP_JOB_ID, build_scheduler, start_scheduler, sweep_job
from jobs.sweep import reminder_client
from models.clock import Clock
from models.settings import Settings
from tests.reminder_fixtures import TZ, A, Tracker, build, local


def test_jobs_have_fixed_ids_coalesce_and_a_deliberate_grace() -> None:
    scheduler = build_scheduler(Settings())
    jobs = {j.id: j for j in scheduler.get_jobs()}
    assert set(jobs) == {SWEEP_JOB_ID, HOUR_JOB_ID}
    for job in jobs.values():
        assert job.func is sweep_job  # a module-level function
        assert job.coalesce and job.max_instances == 1
        assert job.misfire_grace_time and job.misfire_grace_time > 1
    assert jobs[HOUR_JOB_ID].misfire_grace_time >= 3600


def test_reminder_hour_job_fires_at_local_nine_across_dst() -> None:
    trigger = build_scheduler(Settings()).get_job(HOUR_JOB_ID).trigger
    assert isinstance(trigger, CronTrigger)
    # Friday 26 Mar 2027 (GMT) then, after the weekend and spring forward, Monday 29 (BST)
    first = trigger.get_next_fire_time(None, datetime(2027, 3, 26, 6, tzinfo=UTC))
    assert first.astimezone(UTC) == datetime(2027, 3, 26, 9, 0, 5, tzinfo=UTC)
    second = trigger.get_next_fire_time(first, first.replace(second=6))
    assert second.astimezone(UTC) == datetime(2027, 3, 29, 8, 0, 5, tzinfo=UTC)


def test_the_job_runs_one_sweep_with_the_injected_clock(db, slack_standin) -> None:
    with db.write() as session:
        build(session, Tracker([A("U1", datetime(2026, 11, 30).date())]))
    settings = Settings(slack_api_url=slack_standin.api_url, slack_bot_token=slack_standin.token)
    deps = Deps(settings=settings, db=db, clock=Clock(TZ, local(2026, 11, 25, 9, 1)))
    sched_mod._runtime = sched_mod._Runtime(deps, reminder_client(settings), reminder_message)
    try:
        sweep_job()
        sweep_job()  # a doubled tick sends nothing new
    finally:
        sched_mod._runtime = None
    assert len(slack_standin.calls_to("chat.postMessage")) == 1


def test_start_scheduler_runs_in_the_background_and_shuts_down(db, slack_standin) -> None:
    settings = Settings(slack_api_url=slack_standin.api_url, slack_bot_token=slack_standin.token)
    deps = Deps(settings=settings, db=db, clock=Clock(TZ, local(2026, 11, 28, 9)))
    scheduler = start_scheduler(deps, reminder_client(settings), render=reminder_message)
    try:
        assert scheduler.running
        assert {j.id for j in scheduler.get_jobs()} == {SWEEP_JOB_ID, HOUR_JOB_ID}
        # the first sweep comes seconds after start-up (catch-up), not a minute later
        first = scheduler.get_job(SWEEP_JOB_ID).next_run_time
        assert first - datetime.now(UTC) < timedelta(seconds=10)
        # adding again under a fixed id replaces the job rather than duplicating it
        scheduler.add_job(sweep_job, "interval", minutes=5, id=SWEEP_JOB_ID, replace_existing=True)
        assert len(scheduler.get_jobs()) == 2
    finally:
        scheduler.shutdown(wait=False)
        sched_mod._runtime = None
