"""`ncpi-bot serve` as a real subprocess, for end-to-end tests (and benchmarks).

    server = start_server(database_url, standin, log_path)   # waits for /healthz
    answer = server.command("summary")                        # signed, as Slack sends it
    server.stop()

Settings: the stand-in's URL and token, a signing secret, NCPI_CLOCK pinned to the test
clock (signatures are checked against it, so requests are signed with `server.now`), and
no `.env` (`--env-file` points nowhere), so a developer's own settings never leak in.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlmodel import SQLModel, func, select

from models import service
from models.db import Database
from models.tables import Update
from tests import ROOT
from tests.slack_requests import (
    FORM,
    JSON,
    SECRET,
    Answer,
    command_body,
    event_body,
    get,
    interaction_body,
    post,
    signed_headers,
)
from tests.slack_standin import SlackStandIn

# The server's pinned clock: the same instant as tests.conftest.NOW (Wednesday 25 November
# 2026, 10:00 London), defined here so benchmarks can import this module on its own.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
LEAD = "U0LEAD01"  # a lead from the start (NCPI_LEADS)
START_TIMEOUT_S = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, standin: SlackStandIn, **extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": database_url,
        "SLACK_API_URL": standin.api_url,
        "SLACK_BOT_TOKEN": standin.token,
        "SLACK_SIGNING_SECRET": SECRET,
        "NCPI_CLOCK": NOW.isoformat(),
        "NCPI_TIMEZONE": "Europe/London",
        "NCPI_LEADS": LEAD,
    }
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m bot ARGS` from the repository root, as an operator would run it."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "--env-file", os.devnull, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def cli_in_process(*args: str, env: dict[str, str]) -> Result:
    """`ncpi-bot ARGS`: the real command line (its parsing, settings and start-up), run in
    this process so each sweep does not pay a Python start-up; settings only from `env`."""
    from bot.cli import cli

    leaked = {k: None for k in os.environ if k.startswith(("NCPI_", "SLACK_", "DATABASE_"))}
    return CliRunner().invoke(cli, ["--env-file", os.devnull, *args], env={**leaked, **env})


@dataclass
class Server:
    base: str
    database_url: str
    log_path: Path
    proc: subprocess.Popen
    standin: SlackStandIn
    now: int = int(NOW.timestamp())  # the server's pinned clock, for signing
    secret: str = SECRET
    _db: Database | None = field(default=None, repr=False)

    @property
    def events_url(self) -> str:
        return f"{self.base}/slack/events"

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database(self.database_url)
        return self._db

    def counts(self) -> dict[str, int]:
        """Rows per table: 'nothing changed' means this is equal before and after."""
        with self.db.read() as session:
            return {
                t.name: session.execute(select(func.count()).select_from(t)).scalar_one()
                for t in SQLModel.metadata.sorted_tables
            }

    def post_signed(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | str | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        ts = self.now if timestamp is None else timestamp
        h = signed_headers(secret or self.secret, ts, body, content_type)
        h.update(headers or {})
        return post(self.events_url, body, h)

    def command(self, text: str, **kw: Any) -> Answer:
        """A signed `/ncpi TEXT`; its response_url is the stand-in's `response_url('cmd')`
        unless given."""
        kw.setdefault("response_url", self.standin.response_url("cmd"))
        return self.post_signed(command_body(text, **kw), FORM)

    def interact(self, payload: dict[str, Any]) -> Answer:
        return self.post_signed(interaction_body(payload), FORM)

    def event(self, event: dict[str, Any], **kw: Any) -> Answer:
        return self.post_signed(event_body(event, **kw), JSON)

    def health(self) -> Answer:
        return get(f"{self.base}/healthz")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._db is not None:
            self._db.dispose()


def start_server(
    database_url: str,
    standin: SlackStandIn,
    log_path: Path,
    *,
    load_sample: bool = True,
    extra_env: dict[str, str] | None = None,
    args: tuple[str, ...] = ("--no-scheduler",),
) -> Server:
    """Load the sample (via the CLI), start `serve` on a free port, wait for /healthz."""
    env = server_env(database_url, standin, **(extra_env or {}))
    if load_sample:
        done = run_cli("load-sample", env=env)
        assert done.returncode == 0, done.stderr
    port = free_port()
    log = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot",
            "--env-file",
            os.devnull,
            "serve",
            "--port",
            str(port),
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    server = Server(f"http://127.0.0.1:{port}", database_url, log_path, proc, standin)
    if env.get("NCPI_CLOCK"):  # requests are signed with the clock the server is pinned to
        server.now = int(datetime.fromisoformat(env["NCPI_CLOCK"]).timestamp())
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"ncpi-bot serve exited {proc.returncode}:\n{server.logs()}")
        try:
            if server.health().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    server.stop()
    pytest.fail(f"ncpi-bot serve did not answer /healthz in {START_TIMEOUT_S}s:\n{server.logs()}")


def wait_for_log(server: Server, pattern: str, timeout: float = 30) -> re.Match:
    """The first match of `pattern` in the server's log, waiting up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(pattern, server.logs())
        if found:
            return found
        time.sleep(0.1)  # polling a condition, not waiting on time passing
    raise AssertionError(f"no {pattern!r} in the log:\n{server.logs()}")


def owner_of(server: Server, ref: str) -> str:
    """Who owns action `ref` in the server's database (it must have an owner)."""
    with server.db.read() as session:
        owner = service.get_action(session, ref=ref).owner
    assert owner
    return owner


def history(server: Server, ref: str) -> list[Update]:
    """Action `ref`'s history rows in the server's database, oldest first."""
    with server.db.read() as session:
        action = service.get_action(session, ref=ref)
        return list(
            session.exec(
                select(Update).where(Update.action_id == action.id).order_by(Update.id)
            ).all()
        )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def e2e_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh, empty database of each kind for one module's server (the server migrates it)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'ncpi.db'}"
        return
    import uuid

    import psycopg

    from tests.conftest import PG_ADMIN, _pg_admin_conn

    try:
        conn = _pg_admin_conn()
    except psycopg.OperationalError as e:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required under CI and is not reachable: {e}")
        pytest.skip(f"PostgreSQL not reachable: {e}")
    name = f"ncpi_e2e_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    yield f"{base}/{name}"
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


@pytest.fixture(scope="module")
def e2e_server(
    e2e_database_url: str,
    slack_standin_server: SlackStandIn,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    """`ncpi-bot serve` on the sample tracker, one per module and database."""
    server = start_server(
        e2e_database_url, slack_standin_server, tmp_path_factory.mktemp("log") / "serve.log"
    )
    yield server
    server.stop()


def cli_env(**extra: str) -> dict[str, str]:
    """A clean environment: no settings leak in from the developer's shell or .env."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("NCPI_", "SLACK_", "DATABASE_URL"))
    }
    env.update(extra)
    return env
