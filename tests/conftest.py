"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL: one database per test run (created here, dropped at the end), tables emptied
between tests. Under CI (`CI=true`) an unreachable PostgreSQL fails the run instead of
skipping half of it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from models.clock import Clock
from models.db import Database
from models.sample import load_sample

PG_ADMIN = os.environ.get("NCPI_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TZ = ZoneInfo("Europe/London")
# Wednesday 25 November 2026, 10:00 in London (GMT).
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)  # the clock fixture's day


def _pg_admin_conn() -> psycopg.Connection:
    return psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    try:
        conn = _pg_admin_conn()
    except psycopg.OperationalError as e:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required under CI and is not reachable: {e}")
        pytest.skip(f"PostgreSQL not reachable: {e}")
    name = f"ncpi_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    url = f"{base}/{name}"
    database = Database(url)
    database.upgrade()
    database.dispose()
    yield url
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    database.dispose()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A migrated, empty database URL of each kind, private to this test."""
    if request.param == "sqlite":
        path = tmp_path / "ncpi.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("pg_url")
    yield url
    database = Database(url)
    empty_tables(database)
    database.dispose()


def empty_tables(database: Database) -> None:
    """Empty every table (not the migration record), history included: the history
    triggers (migration 0005) refuse that to anyone, so they are set aside for this one
    transaction and are back when it ends, whether it commits or fails."""
    tables = [t.name for t in SQLModel.metadata.sorted_tables]
    with database.engine.begin() as conn:
        if database.is_sqlite:  # no way to disable a trigger: drop, empty, create again
            triggers = conn.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            ).all()
            for name, _sql in triggers:
                conn.execute(text(f'DROP TRIGGER "{name}"'))
            for name in reversed(tables):
                conn.execute(text(f'DELETE FROM "{name}"'))
            for _name, sql in triggers:
                conn.exec_driver_sql(sql)
            return
        quoted = ", ".join(f'"{name}"' for name in tables)
        conn.execute(text('ALTER TABLE "update" DISABLE TRIGGER USER'))
        conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        conn.execute(text('ALTER TABLE "update" ENABLE TRIGGER USER'))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock(TZ, NOW)


@pytest.fixture
def sample(db: Database, clock: Clock) -> Database:
    """The sample tracker, loaded as of the fixed clock."""
    with db.write() as session:
        load_sample(session, now=clock.now(), today=clock.today(), tz=TZ)
    return db


# The Slack Web API stand-in, for any test module (and the benchmarks via SlackStandIn).
from tests.e2e_server import e2e_database_url, e2e_server  # noqa: E402, F401
from tests.slack_standin import slack_standin, slack_standin_server  # noqa: E402, F401
