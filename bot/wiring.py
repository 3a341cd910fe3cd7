"""Start-up, in one place: settings → database (prepared, NCPI_LEADS applied) → clock → deps.

Every entry point (`serve`, `socket`, `shell`, the CLI commands, the sweep) opens the tracker
through here, so a lead added to NCPI_LEADS can act after any restart (and one taken out of
it cannot), and the clock is read from NCPI_CLOCK the same way everywhere.
"""

from __future__ import annotations

import logging
import os

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from models.clock import Clock
from models.db import Database
from models.errors import ConfigError
from models.settings import Settings

log = logging.getLogger(__name__)
# Threads that run Bolt listeners (bot.app). The database keeps a connection for each, and
# for each scheduler job, so no request waits for a connection another one holds.
HANDLER_THREADS = 10
SCHEDULER_JOBS = 2


def open_database(settings: Settings) -> Database:
    """The database, created or checked, with NCPI_LEADS applied; unreachable → one line."""
    db = Database(
        settings.database_url,
        timeout_s=settings.db_timeout_s,
        pool_size=HANDLER_THREADS + SCHEDULER_JOBS,
    )
    try:
        db.prepare()
    except OperationalError as e:
        reason = str(getattr(e, "orig", e)).strip().splitlines()[0][:200]
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        raise ConfigError(f"cannot reach the database at {where}: {reason}") from None
    apply_leads(db, settings)
    return db


def apply_leads(db: Database, settings: Settings) -> None:
    """NCPI_LEADS at start-up (and after loading data): the people it names are leads, and
    those it made and no longer names are not (leads from the People sheet are left alone)."""
    from models.service import sync_leads

    with db.write() as session:
        changes = sync_leads(session, leads=settings.leads, now=make_clock(settings).now())
    if changes.added or changes.removed:
        log.info(
            "NCPI_LEADS: %d made lead (%s), %d no longer lead (%s)",
            len(changes.added),
            ", ".join(changes.added) or "none",
            len(changes.removed),
            ", ".join(changes.removed) or "none",
        )


def make_clock(settings: Settings, *, warn: bool = False) -> Clock:
    """The clock: real time, or pinned by NCPI_CLOCK (tests and demos only; a long-running
    front end says so in its log with `warn`)."""
    clock = Clock.from_env(settings.tz, os.environ.get("NCPI_CLOCK"))
    if warn and clock.fixed is not None:
        log.warning("NCPI_CLOCK pins the clock to %s: tests and demos only", clock.fixed)
    return clock
