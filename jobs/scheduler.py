"""APScheduler 3.x wiring: the reminder sweep every minute, and again on the reminder hour.

The database is the schedule, so the scheduler only needs to *wake the sweep up*: a missed,
late or doubled run is harmless (the sweep plans from data and claims each reminder by its
unique key). Hence:

- module-level job functions and fixed ids with `replace_existing=True` (a restart or a
  second `start_scheduler` replaces, never duplicates);
- `coalesce=True` (runs piled up while the process was busy or suspended become one),
  `max_instances=1` (a slow sweep is not overlapped by the next tick);
- a deliberate `misfire_grace_time`: APScheduler's default of one second silently drops a
  run that starts late. The minute tick tolerates 50 s (the next tick is as good); the
  reminder-hour run tolerates an hour, so reminders still go out on time-ish after a pause.
  Runs missed while the process was *down* are not replayed by the scheduler (memory job
  store) — the first sweep, a few seconds after start-up, catches up from the database.

`serve` and `socket` call `start_scheduler(deps, client, render=…)` unless given
`--no-scheduler` (extra replicas that only answer requests); the front end hands in its
reminder renderer (see jobs.render), so this module knows nothing of Slack's views.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from jobs.sweep import reminder_client, sweep

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from jobs.render import JobDeps, ReminderRenderer
    from models.settings import Settings

log = logging.getLogger(__name__)

SWEEP_JOB_ID = "ncpi-reminder-sweep"
HOUR_JOB_ID = "ncpi-reminder-hour"
SWEEP_EVERY_S = 60
FIRST_SWEEP_AFTER_S = 3  # a restart catches up at once, once the front end is listening
SWEEP_GRACE_S = 50
HOUR_GRACE_S = 3600


@dataclass
class _Runtime:
    deps: JobDeps
    client: WebClient
    render: ReminderRenderer


_runtime: _Runtime | None = None


def sweep_job() -> None:
    """The scheduled job: one sweep as of now. Never raises into the scheduler."""
    rt = _runtime
    if rt is None:
        log.warning("reminder sweep: scheduler not configured; skipped")
        return
    try:
        now = rt.deps.clock.now()
        sweep(
            db=rt.deps.db,
            client=rt.client,
            settings=rt.deps.settings,
            now=now,
            render=rt.render,
            clock=rt.deps.clock.now,
        )
    except Exception:  # noqa: BLE001 - logged; the next tick tries again
        log.exception("reminder sweep failed; the next run will retry")


def build_scheduler(settings: Settings) -> BackgroundScheduler:
    """A configured, not yet started scheduler."""
    scheduler = BackgroundScheduler(
        timezone=settings.tz,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": SWEEP_GRACE_S},
    )
    common = {"replace_existing": True, "coalesce": True, "max_instances": 1}
    scheduler.add_job(
        sweep_job,
        IntervalTrigger(seconds=SWEEP_EVERY_S, timezone=settings.tz),
        id=SWEEP_JOB_ID,
        name="reminder sweep (every minute)",
        next_run_time=datetime.now(settings.tz) + timedelta(seconds=FIRST_SWEEP_AFTER_S),
        misfire_grace_time=SWEEP_GRACE_S,
        **common,
    )
    scheduler.add_job(
        sweep_job,
        CronTrigger(
            day_of_week="mon-fri",
            hour=settings.reminder_hour,
            minute=0,
            second=5,
            timezone=settings.tz,
        ),
        id=HOUR_JOB_ID,
        name="reminder sweep (on the reminder hour)",
        misfire_grace_time=HOUR_GRACE_S,
        **common,
    )
    return scheduler


def start_scheduler(
    deps: JobDeps, client: WebClient, *, render: ReminderRenderer
) -> BackgroundScheduler:
    """Start the reminder jobs in a background thread; returns the scheduler (call
    `.shutdown(wait=False)` when the server stops). Delivery uses a client on the same
    token and API URL that retries 429s only (see jobs.sweep.reminder_client), and the
    front end's `render` for each message."""
    global _runtime
    _runtime = _Runtime(deps, reminder_client(deps.settings, token=client.token), render)
    scheduler = build_scheduler(deps.settings)
    scheduler.start()
    log.info(
        "reminder scheduler started: sweep every %ss, and at %02d:00 %s on working days",
        SWEEP_EVERY_S,
        deps.settings.reminder_hour,
        deps.settings.timezone,
    )
    return scheduler
