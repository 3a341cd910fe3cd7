"""Engines and transactions.

SQLite: WAL, a busy timeout, foreign keys on, and write transactions opened with
`BEGIN IMMEDIATE` so a read that turns into a write never fails with "database is locked".
PostgreSQL: psycopg 3. Each request is one transaction: `db.write()` or `db.read()`.

Nothing waits for the database for ever (NCPI_DB_TIMEOUT, `timeout_s`): SQLite's busy
timeout; on PostgreSQL `connect_timeout`, `statement_timeout` and `lock_timeout`, and a
watchdog for a server that answers nothing at all (see `Watchdog`). A request that runs out
of time fails with OperationalError, which the front ends turn into "the tracker is not
answering". Migrations run without these limits. The health check has a connection of its
own, so it never queues behind requests.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Engine, create_engine, event, inspect, make_url
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from models.errors import DatabaseUnavailable, SchemaOutOfDate
from models.settings import DB_TIMEOUT_S
from models.tables import Update

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
POOL_SIZE = 12  # connections per engine; `serve` passes its handler threads (bot.wiring)
PING_S = 2.0  # a pooled PostgreSQL connection proves it is alive before each use
HEALTH_S = 1.5  # the health check's own connection gives up after this
# The server's statement_timeout fires first on a working server (a clean error, the
# connection kept); the watchdog only cuts a connection the server has stopped answering.
WATCHDOG_GRACE_S = 1.0


def describe_url(url: str | URL) -> str:
    """The database a URL names, as a person would look for it: for SQLite the file's
    absolute path (a relative one is where SQLite opens it, from the working folder); for
    PostgreSQL `host:port/dbname`, never the user or password."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        name = u.database or ""
        if not name or name == ":memory:" or name.startswith("file:"):
            return name or ":memory:"
        return os.path.abspath(name)
    where = f"{u.host or 'localhost'}{f':{u.port}' if u.port else ''}"
    return f"{where}/{u.database or ''}"


class HistoryIsAppendOnly(RuntimeError):
    """A bug: something tried to change or delete a history row."""


@event.listens_for(OrmSession, "before_flush")
def _history_is_append_only(session, _flush_context, _instances):
    """History is never edited or deleted: refuse the flush (the transaction rolls back)."""
    for obj in session.deleted:
        if isinstance(obj, Update):
            raise HistoryIsAppendOnly(f"history row {obj.id} may not be deleted")
    for obj in session.dirty:
        if isinstance(obj, Update) and session.is_modified(obj):
            raise HistoryIsAppendOnly(f"history row {obj.id} may not be changed")


def _sqlite_engine(url: str, *, immediate: bool, timeout_s: float, pool_size: int) -> Engine:
    engine = create_engine(
        url,
        connect_args={"timeout": timeout_s, "check_same_thread": False},
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=timeout_s,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Watchdog:
    """Cuts a PostgreSQL connection whose server has not answered one call in time.

    `statement_timeout` and `lock_timeout` make a *working* server give up on a slow
    statement. A server that answers nothing at all — frozen, or behind a proxy or network
    that has stopped forwarding while the connection stays open — never sends that answer,
    and psycopg would wait for ever (TCP keepalives do not help: something still
    acknowledges the packets). Each call to the server is armed with a deadline; past it,
    the socket is shut down under the waiting call, which then fails at once with
    OperationalError, and SQLAlchemy discards the broken connection.
    """

    def __init__(self) -> None:
        self._due: dict[int, tuple[float, Any]] = {}  # id(connection) -> (deadline, connection)
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, dbapi_conn: Any, seconds: float) -> None:
        with self._changed:
            self._due[id(dbapi_conn)] = (time.monotonic() + seconds, dbapi_conn)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="ncpi-db-watchdog")
                self._thread.daemon = True
                self._thread.start()
            self._changed.notify()

    def disarm(self, dbapi_conn: Any) -> None:
        if dbapi_conn is None:
            return
        with self._changed:
            self._due.pop(id(dbapi_conn), None)

    def _run(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for key, (deadline, conn) in list(self._due.items()):
                    if deadline <= now:
                        del self._due[key]
                        _cut(conn)
                wait = min((deadline for deadline, _ in self._due.values()), default=None)
                self._changed.wait(None if wait is None else max(0.0, wait - now))


def _cut(dbapi_conn: Any) -> None:
    """Shut the connection's socket down (not close it: psycopg still owns the descriptor)."""
    try:
        if dbapi_conn.closed:
            return
        with socket.socket(fileno=os.dup(dbapi_conn.fileno())) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except Exception:  # noqa: BLE001 - already gone: the waiting call fails by itself
        return
    log.warning("the database did not answer in time: connection cut")


WATCHDOG = Watchdog()


def _postgresql_engine(
    url: str, *, timeout_s: float | None, pool_size: int, ping: bool = True
) -> Engine:
    """`timeout_s=None`: no limits (migrations: an index on a big table may take minutes)."""
    if timeout_s is None:
        return create_engine(url, poolclass=NullPool)
    query = make_url(url).query
    ms = int(timeout_s * 1000)
    # Settings in DATABASE_URL's own `options` come after these, so they win.
    options = " ".join(
        x for x in (f"-c statement_timeout={ms} -c lock_timeout={ms}", query.get("options")) if x
    )
    connect_args: dict[str, Any] = {"options": options}
    if "connect_timeout" not in query:
        connect_args["connect_timeout"] = max(2, math.ceil(timeout_s))  # libpq: whole seconds
    engine = create_engine(
        url,
        connect_args=connect_args,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=timeout_s,
    )
    _watch(engine, statement_s=timeout_s + WATCHDOG_GRACE_S, ping_s=PING_S if ping else None)
    return engine


def _watch(engine: Engine, *, statement_s: float, ping_s: float | None) -> None:
    """Arm the watchdog around every call that waits for the server: statements, COMMIT and
    ROLLBACK (SQLAlchemy has no event after them: the next transaction or the return of
    the connection to the pool disarms), and the liveness ping when a connection leaves
    the pool (done here rather than by `pool_pre_ping`, which nothing can arm)."""
    dog = WATCHDOG

    def dbapi(conn: Any) -> Any:
        try:
            return conn.connection.dbapi_connection
        except Exception:  # noqa: BLE001 - closed or invalidated: nothing to watch
            return None

    def arm(conn: Any, *_: Any) -> None:
        if (raw := dbapi(conn)) is not None:
            dog.arm(raw, statement_s)

    def disarm(conn: Any, *_: Any) -> None:
        dog.disarm(dbapi(conn))

    def failed(context: Any) -> None:
        if context.connection is not None:
            disarm(context.connection)

    for name in ("before_cursor_execute", "commit", "rollback"):
        event.listen(engine, name, arm)
    for name in ("after_cursor_execute", "begin"):
        event.listen(engine, name, disarm)
    event.listen(engine, "handle_error", failed)
    event.listen(engine, "reset", lambda raw, *_: dog.arm(raw, statement_s))  # the rollback
    for name in ("checkin", "close", "close_detached", "invalidate"):
        event.listen(engine, name, lambda raw, *_: dog.disarm(raw))

    if ping_s is None:
        return

    @event.listens_for(engine, "connect")
    def _fresh(_raw: Any, record: Any) -> None:
        record.info["fresh"] = True

    @event.listens_for(engine, "checkout")
    def _ping(raw: Any, record: Any, _proxy: Any) -> None:
        if record.info.pop("fresh", False):
            return  # just connected: alive
        dog.arm(raw, ping_s)
        try:
            engine.dialect.do_ping(raw)
        except engine.dialect.loaded_dbapi.Error as e:
            raise DisconnectionError("the pooled connection did not answer") from e
        finally:
            dog.disarm(raw)


MAKE_WAY_S = 0.15  # longer than SQLite's longest wait between two looks at a busy lock


class Database:
    """One database: a write engine and a read engine (the same one on PostgreSQL), and a
    one-connection engine for the health check."""

    def __init__(
        self, url: str, *, timeout_s: float = DB_TIMEOUT_S, pool_size: int = POOL_SIZE
    ) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = _sqlite_engine(
                url, immediate=True, timeout_s=timeout_s, pool_size=pool_size
            )
            self.read_engine = _sqlite_engine(
                url, immediate=False, timeout_s=timeout_s, pool_size=pool_size
            )
            self.health_engine = _sqlite_engine(
                url, immediate=False, timeout_s=HEALTH_S, pool_size=1
            )
        else:
            self.engine = _postgresql_engine(url, timeout_s=timeout_s, pool_size=pool_size)
            self.read_engine = self.engine
            self.health_engine = _postgresql_engine(
                url, timeout_s=HEALTH_S, pool_size=1, ping=False
            )

    def make_way(self) -> None:
        """Between the transactions of a long job (an import's batches): let a write that is
        waiting go first. SQLite keeps no queue for its write lock; a waiting writer's busy
        handler looks again every 100 ms at most, so a job that commits and begins again at
        once would keep it out until its busy timeout. PostgreSQL locks rows, not the
        database, so nothing waits there."""
        if self.is_sqlite:
            time.sleep(MAKE_WAY_S)

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
        """Whether the database answers, asked on a connection kept for this: never one a
        request holds or waits for. False, not an error, when it does not (within about
        HEALTH_S on a server that has stopped answering)."""
        try:
            with self.health_engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except Exception as e:  # noqa: BLE001 - health check reports, never raises
            reason = str(getattr(e, "orig", None) or e).strip().splitlines()[:1]
            log.warning("database ping failed: %s %s", type(e).__name__, "".join(reason)[:200])
            return False

    # -- schema ---------------------------------------------------------------

    def alembic_config(self, engine: Engine | None = None) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        cfg.attributes["engine"] = engine or self.engine
        return cfg

    def head_revision(self) -> str:
        return ScriptDirectory.from_config(self.alembic_config()).get_current_head()

    def current_revision(self) -> str | None:
        with self.read_engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self) -> None:
        """Migrate to this release's schema, without the statement limits (on PostgreSQL an
        index on a big table may take minutes)."""
        if self.is_sqlite:
            command.upgrade(self.alembic_config(), "head")
            return
        engine = _postgresql_engine(self.url, timeout_s=None, pool_size=1)
        try:
            command.upgrade(self.alembic_config(engine), "head")
        finally:
            engine.dispose()

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
        for engine in {self.engine, self.read_engine, self.health_engine}:
            engine.dispose()
