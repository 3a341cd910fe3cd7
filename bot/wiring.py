"""Start-up, in one place: settings → database (prepared, NCPI_LEADS applied) → clock → deps.

Every entry point (`serve`, `socket`, `shell`, the CLI commands, the sweep) opens the tracker
through here, so a lead added to NCPI_LEADS can act after any restart (and one taken out of
it cannot), and the clock is read from NCPI_CLOCK the same way everywhere.

A relative SQLite path (`DATABASE_URL=sqlite:///ncpi.db`) is taken from the folder of the
`.env` file when that file sets DATABASE_URL, and from the working folder otherwise (the
environment, or the default); `serve`, `socket` and `shell` say at start-up which file that is.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from pathlib import Path

from dotenv import dotenv_values, load_dotenv
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from models.clock import Clock
from models.db import Database, describe_url
from models.errors import ConfigError
from models.settings import Settings, load_settings

log = logging.getLogger(__name__)
# Threads that run Bolt listeners (bot.app). The database keeps a connection for each, and
# for each scheduler job, so no request waits for a connection another one holds.
HANDLER_THREADS = 10
SCHEDULER_JOBS = 2


def settings_from(env_file: str | Path = ".env") -> Settings:
    """Settings from the environment and `env_file` (the environment wins), with a relative
    SQLite path made absolute: from the env file's folder when the file set DATABASE_URL,
    else from the working folder."""
    path = Path(env_file)
    from_file = (
        not os.environ.get("DATABASE_URL", "").strip()
        and path.is_file()
        and bool((dotenv_values(path).get("DATABASE_URL") or "").strip())
    )
    load_dotenv(path, override=False)
    settings = load_settings()
    base = path.resolve().parent if from_file else Path.cwd()
    url = resolve_sqlite_url(settings.database_url, base=base)
    return dataclasses.replace(settings, database_url=url)


def resolve_sqlite_url(url: str, *, base: Path) -> str:
    """`sqlite:///ncpi.db` → `sqlite:////BASE/ncpi.db`; absolute, in-memory and non-SQLite
    URLs are left as they are."""
    u = make_url(url)
    name = u.database or ""
    if (
        u.get_backend_name() != "sqlite"
        or not name
        or name == ":memory:"
        or name.startswith("file:")
        or Path(name).is_absolute()
    ):
        return url
    return u.set(database=str((base / name).absolute())).render_as_string(hide_password=False)


def open_database(settings: Settings, *, announce: bool = False) -> Database:
    """The database, created or checked, with NCPI_LEADS applied; unreachable → one line.
    A long-running front end (`announce`) logs which database it opened."""
    db = Database(
        settings.database_url,
        timeout_s=settings.db_timeout_s,
        pool_size=HANDLER_THREADS + SCHEDULER_JOBS,
    )
    try:
        db.prepare()
    except OperationalError as e:
        reason = str(getattr(e, "orig", e)).strip().splitlines()[0][:200]
        raise ConfigError(
            f"cannot reach the database at {describe_url(settings.database_url)}: {reason}"
        ) from None
    apply_leads(db, settings)
    if announce:
        log.info("database: %s", describe_url(settings.database_url))
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
