"""Engines and transactions.

SQLite: WAL, a busy timeout, foreign keys on, and write transactions opened with
`BEGIN IMMEDIATE` so a read that turns into a write never fails with "database is locked".
PostgreSQL: psycopg 3. Each request is one transaction: `db.write()` or `db.read()`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from models.errors import DatabaseUnavailable, SchemaOutOfDate
from models.tables import Update

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_S = 30


class HistoryIsAppendOnly(RuntimeError):
    """A bug: something tried to change or delete a history row."""


@event.listens_for(OrmSession, "before_flush")
def _history_is_append_only(session, _flush_context, _instances):  # noqa: ANN001
    """History is never edited or deleted: refuse the flush (the transaction rolls back)."""
    for obj in session.deleted:
        if isinstance(obj, Update):
            raise HistoryIsAppendOnly(f"history row {obj.id} may not be deleted")
    for obj in session.dirty:
        if isinstance(obj, Update) and session.is_modified(obj):
            raise HistoryIsAppendOnly(f"history row {obj.id} may not be changed")


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
        pool_size=20,
        max_overflow=10,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """One database: a write engine and a read engine (the same one on PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = _sqlite_engine(url, immediate=True)
            self.read_engine = _sqlite_engine(url, immediate=False)
        else:
            self.engine = create_engine(url, pool_size=20, max_overflow=10, pool_pre_ping=True)
            self.read_engine = self.engine

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits on success, rolls back on error, always closes."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One read transaction. Closing (not rolling back) ends it, so the objects read
        stay usable after the block instead of being expired."""
        with Session(self.read_engine, expire_on_commit=False) as session:
            yield session

    def ping(self) -> bool:
        try:
            with self.read_engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 - health check reports, never raises
            log.warning("database ping failed", exc_info=True)
            return False

    # -- schema ---------------------------------------------------------------

    def alembic_config(self) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        cfg.attributes["engine"] = self.engine
        return cfg

    def head_revision(self) -> str:
        return ScriptDirectory.from_config(self.alembic_config()).get_current_head()

    def current_revision(self) -> str | None:
        with self.read_engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self) -> None:
        command.upgrade(self.alembic_config(), "head")

    def prepare(self) -> None:
        """A fresh database is created; an out-of-date one stops start-up by name; one that
        cannot be opened stops it with DATABASE_URL named (password hidden)."""
        try:
            current = self.current_revision()
        except OperationalError as e:
            shown = make_url(self.url).render_as_string(hide_password=True)
            reason = str(e.orig or e).strip().splitlines()[0]
            raise DatabaseUnavailable(f"DATABASE_URL {shown} cannot be opened: {reason}") from None
        if current is None:
            tables = set(inspect(self.read_engine).get_table_names())
            if tables - {"alembic_version"}:
                raise SchemaOutOfDate(
                    "the database has tables but no migration record: point DATABASE_URL at an "
                    "ncpi-bot database, or an empty one"
                )
            self.upgrade()
            return
        head = self.head_revision()
        if current != head:
            raise SchemaOutOfDate(
                f"the database is at schema revision {current}, this release needs {head}: "
                "run `ncpi-bot db upgrade`"
            )

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()
