"""A database that stops answering: nothing hangs, the user is told, nothing is lost.

PostgreSQL "frozen" is a loopback proxy that keeps every connection open (and accepts new
ones) but stops forwarding: the server answers nothing, as when it, its disk or the network
to it hangs. A lock held by another session is the other way a database stops answering, on
both databases. No test measures time: each asserts what the user is told and what is
stored, with generous waits so that a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import func, select

from bot.listeners.errors import NOT_ANSWERING
from models.db import Database
from models.errors import ConfigError
from models.sample import LEAD, load_sample
from models.service import update_action
from models.settings import load_settings
from models.tables import Action, Source, Status, Update
from tests.conftest import NOW, TZ, empty_tables
from tests.e2e_server import Server, start_server
from tests.slack_standin import SlackStandIn

GENEROUS_S = 60.0  # a hang fails the test after this; an answer comes long before
TIMEOUT_S = 2  # NCPI_DB_TIMEOUT for these tests (the default is 5)


class FreezableProxy:
    """127.0.0.1:port → PostgreSQL. `freeze()` stops forwarding in both directions while
    every connection stays open and new ones are still accepted; `thaw()` resumes."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._flowing = threading.Event()
        self._flowing.set()
        self._closed = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self) -> None:
        self._flowing.clear()

    def thaw(self) -> None:
        self._flowing.set()

    def close(self) -> None:
        self._closed = True
        self._flowing.set()
        self._listener.close()
        with self._lock:
            for s in self._sockets:
                s.close()

    def _track(self, s: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(s)
        return s

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._connect, args=(self._track(client),), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        self._flowing.wait()  # frozen: the connection is accepted, and nothing happens
        if self._closed:
            return
        try:
            server = self._track(socket.create_connection(self.upstream))
        except OSError:
            client.close()
            return
        threading.Thread(target=self._pump, args=(server, client), daemon=True).start()
        self._pump(client, server)

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                self._flowing.wait()  # frozen: hold what arrived
                if self._closed:
                    return
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                s.close()


def finishes(fn: Callable[[], Any]) -> Any:
    """fn's result, or the exception it raised, as long as it returns at all."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(fn())
        except Exception as e:  # noqa: BLE001 - the caller asserts which
            outcome.append(e)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(GENEROUS_S)
    if not outcome:
        pytest.fail(f"still waiting for the database after {GENEROUS_S:.0f}s")
    return outcome[0]


@pytest.fixture
def frozen_pg(pg_url: str) -> Iterator[tuple[str, FreezableProxy]]:
    """(the test run's PostgreSQL database through the proxy, the proxy), flowing to begin
    with; the database is emptied after, like every PostgreSQL test's."""
    url = make_url(pg_url)
    proxy = FreezableProxy((url.host or "127.0.0.1", url.port or 5432))
    yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), proxy
    proxy.close()
    database = Database(pg_url)
    empty_tables(database)
    database.dispose()


def action_count(db: Database) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(Action)).one()


def history_count(db: Database) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(Update)).one()


def change_r21(db: Database) -> None:
    with db.write() as s:
        update_action(
            s,
            ref="R2.1",
            actor=LEAD,
            status=Status.BLOCKED,
            note="waiting on IT",
            source=Source.COMMAND,
            now=NOW,
        )


# -- the domain's own connections ------------------------------------------------------------


def test_a_postgresql_that_stops_answering_fails_the_request_and_recovers(frozen_pg):
    url, proxy = frozen_pg
    db = Database(url, timeout_s=TIMEOUT_S)
    try:
        with db.write() as s:
            load_sample(s, now=NOW, today=NOW.date(), tz=TZ)
        assert action_count(db) == 10 and db.ping()  # pooled connections, open and answering
        before = history_count(db)

        proxy.freeze()
        assert isinstance(finishes(lambda: action_count(db)), OperationalError)
        assert isinstance(finishes(lambda: change_r21(db)), OperationalError)
        assert finishes(db.ping) is False

        proxy.thaw()
        assert finishes(lambda: action_count(db)) == 10  # broken connections were dropped
        assert history_count(db) == before  # the change refused while frozen left nothing
        assert finishes(lambda: change_r21(db)) is None
        assert history_count(db) == before + 1
    finally:
        db.dispose()


class LockHolder:
    """Another session holding the lock every change needs (a long import, an
    administrator's forgotten transaction): `hold()`, then `release()`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.other: Any = None

    def hold(self) -> None:
        if self.db.is_sqlite:
            self.other = sqlite3.connect(make_url(self.db.url).database, isolation_level=None)
            self.other.execute("BEGIN IMMEDIATE")
        else:
            url = make_url(self.db.url).set(drivername="postgresql")
            self.other = psycopg.connect(url.render_as_string(hide_password=False))
            self.other.execute('LOCK TABLE "action" IN ACCESS EXCLUSIVE MODE')

    def release(self) -> None:
        if self.other is not None:
            self.other.rollback()
            self.other.close()
            self.other = None


@pytest.fixture
def lock(sample: Database) -> Iterator[LockHolder]:
    """For the sample tracker; released at the end whatever happens."""
    holder = LockHolder(sample)
    yield holder
    holder.release()


def test_a_lock_held_elsewhere_fails_a_change_instead_of_waiting_for_ever(sample, lock):
    before = history_count(sample)
    db = Database(sample.url, timeout_s=TIMEOUT_S)
    try:
        lock.hold()
        assert isinstance(finishes(lambda: change_r21(db)), OperationalError)
        lock.release()
        assert finishes(lambda: change_r21(db)) is None
        assert history_count(db) == before + 1
    finally:
        db.dispose()


# -- the real server -------------------------------------------------------------------------


def serve(url: str, standin: SlackStandIn, tmp_path: Path, *, load_sample: bool) -> Server:
    """`ncpi-bot serve` on `url`, with NCPI_DB_TIMEOUT=TIMEOUT_S."""
    return start_server(
        url,
        standin,
        tmp_path / "serve.log",
        load_sample=load_sample,
        extra_env={"NCPI_DB_TIMEOUT": str(TIMEOUT_S)},
    )


def ask(server: Server, text_: str, key: str) -> str:
    """`/ncpi TEXT` as Slack sends it, acked (200); its answer goes to response_url(key)."""
    got = server.command(text_, response_url=server.standin.response_url(key))
    assert got.status == 200, got  # Bolt answers 404 when no ack came in Slack's 3 s
    return key


def answer(server: Server, key: str) -> str:
    """The text the user was shown for the command asked with `key`."""
    return server.standin.wait_for_response(key, timeout=GENEROUS_S).args["text"]


def command(server: Server, text_: str, key: str) -> str:
    return answer(server, ask(server, text_, key))


@pytest.mark.e2e
def test_a_frozen_postgresql_gets_a_clear_answer_and_healthz_503(
    frozen_pg, slack_standin: SlackStandIn, tmp_path: Path
):
    url, proxy = frozen_pg
    server = serve(url, slack_standin, tmp_path, load_sample=True)
    try:
        assert "R2" in command(server, "summary", "warm")  # the pools hold open connections
        proxy.freeze()

        # Five commands waiting on the database; meanwhile help and the health check.
        asked = [ask(server, "summary", f"f{i}") for i in range(5)]
        assert "/ncpi" in command(server, "help", "help")  # needs no database: answered
        health = server.health()
        assert (health.status, health.body) == (503, "database unavailable\n")
        assert [answer(server, key) for key in asked] == [NOT_ANSWERING] * 5
        assert server.proc.poll() is None

        proxy.thaw()
        assert wait_for_health(server) == 200
        assert "R2" in command(server, "summary", "after")
        assert "Traceback" not in server.logs()
    finally:
        server.stop()


def wait_for_health(server: Server) -> int:
    """The first /healthz status that is not 503, asked a bounded number of times (one
    check still waiting on the frozen connection may answer 503 after the thaw)."""
    for _ in range(20):
        status = server.health().status
        if status != 503:
            return status
    return 503


@pytest.mark.e2e
def test_a_locked_database_gets_a_clear_answer_and_the_change_can_be_made_after(
    sample: Database, lock: LockHolder, slack_standin: SlackStandIn, tmp_path: Path
):
    server = serve(sample.url, slack_standin, tmp_path, load_sample=False)
    try:
        before = history_count(sample)  # after start-up, which records NCPI_LEADS
        lock.hold()
        assert command(server, "update R2.1 blocked waiting on IT", "locked") == NOT_ANSWERING
        lock.release()
        assert history_count(sample) == before  # nothing stored
        assert "R2.1" in command(server, "update R2.1 blocked waiting on IT", "free")
        assert history_count(sample) == before + 1  # stored once
        assert "Traceback" not in server.logs()
    finally:
        server.stop()


def test_the_timeout_is_a_setting_with_a_sane_default():
    assert load_settings({}).db_timeout_s == 5
    assert load_settings({"NCPI_DB_TIMEOUT": "2"}).db_timeout_s == 2
    with pytest.raises(ConfigError, match="NCPI_DB_TIMEOUT must be a whole number from 2 to 300"):
        load_settings({"NCPI_DB_TIMEOUT": "0"})
