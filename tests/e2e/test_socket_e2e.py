"""End to end: the real `ncpi-bot socket` subprocess in Socket Mode.

The bot asks the Slack stand-in for a WebSocket URL (`apps.connections.open`, with the
app-level token), dials the small WebSocket server below — Slack's end of the socket —
gets `hello`, then Socket Mode envelopes, and must acknowledge each one with its
`envelope_id` over the socket; what the request does lands in the database and in the
stand-in (the slash command's `response_url`). SQLite, the sample tracker, NCPI_CLOCK pinned.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from websockets.sync.server import Server as WebSocketServer
from websockets.sync.server import ServerConnection, serve

from models import service
from models.tables import Update
from tests.e2e_server import ROOT, Server, run_cli, server_env
from tests.slack_standin import SlackStandIn

pytestmark = pytest.mark.e2e

LEAD = "U0SAFELEAD"  # the sample's lead
NOTE = "socket-note-5c1e about the custody review"
TIMEOUT_S = 10.0


class SlackSocket:
    """Slack's end of Socket Mode: a WebSocket server on loopback. Each connection the bot
    makes is handed to the test (`accept`), which then sends envelopes and reads acks."""

    def __init__(self) -> None:
        self._connections: queue.Queue[ServerConnection] = queue.Queue()
        self._closing = threading.Event()
        self.paths: list[str] = []
        self._server: WebSocketServer = serve(self._handle, "127.0.0.1", 0, ping_interval=None)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket=standin-ticket"

    def _handle(self, connection: ServerConnection) -> None:
        assert connection.request is not None
        self.paths.append(connection.request.path)
        self._connections.put(connection)
        self._closing.wait()  # the connection stays open until the test is done with it

    def accept(self, timeout: float = TIMEOUT_S) -> ServerConnection:
        try:
            return self._connections.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the bot did not connect within {timeout}s") from None

    def stop(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._thread.join(timeout=5)


@dataclass
class SocketBot:
    server: Server  # the subprocess, its database and logs (tests.e2e_server)
    socket: ServerConnection
    received: list[dict[str, Any]] = field(default_factory=list)  # everything the bot sent

    def send(self, message: dict[str, Any]) -> None:
        self.socket.send(json.dumps(message))

    def wait_for(
        self, what: str, match: Callable[[dict[str, Any]], bool], timeout: float = TIMEOUT_S
    ) -> dict[str, Any]:
        """Read what the bot sends until a message matches; keep every one in `received`."""
        for message in self.received:
            if match(message):
                return message
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                raw = self.socket.recv(timeout=left)
            except TimeoutError:
                break
            message = json.loads(raw)
            self.received.append(message)
            if match(message):
                return message
        raise AssertionError(f"no {what} over the socket in {timeout}s; got {self.received}")

    def wait_for_ack(self, envelope_id: str) -> dict[str, Any]:
        return self.wait_for(f"ack of {envelope_id}", lambda m: m.get("envelope_id") == envelope_id)

    def wait_for_log(self, text: str, timeout: float = TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.server.logs():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not logged in {timeout}s:\n{self.server.logs()}")
            time.sleep(0.05)


def slash_command(
    envelope_id: str, text: str, standin: SlackStandIn, *, key: str, **overrides: str
) -> dict[str, Any]:
    """A Socket Mode envelope carrying `/ncpi TEXT`, as Slack sends it."""
    payload = {
        "token": "deprecated-verification-token",
        "team_id": standin.team_id,
        "team_domain": "standin",
        "channel_id": "C0SOCKET",
        "channel_name": "inspection",
        "user_id": LEAD,
        "user_name": "safelead",
        "command": "/ncpi",
        "text": text,
        "api_app_id": standin.app_id,
        "is_enterprise_install": "false",
        "response_url": standin.response_url(key),
        "trigger_id": f"1337.42.trigger-{envelope_id}",
    }
    payload.update(overrides)
    return {
        "envelope_id": envelope_id,
        "type": "slash_commands",
        "payload": payload,
        "accepts_response_payload": True,
    }


def history(server: Server, ref: str) -> list[Update]:
    with server.db.read() as session:
        action = service.get_action(session, ref=ref)
        query = select(Update).where(Update.action_id == action.id).order_by(Update.id)
        return list(session.exec(query).all())


def stop_cleanly(proc: subprocess.Popen) -> int:
    """Ctrl-C, as an operator would stop it; returns the exit status."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail(f"ncpi-bot socket did not stop within {TIMEOUT_S}s of SIGINT")
    return proc.returncode


@pytest.fixture(scope="module")
def socket_bot(
    slack_standin_server: SlackStandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SocketBot]:
    """`ncpi-bot socket --no-scheduler` on the sample tracker, connected and greeted."""
    standin = slack_standin_server
    standin.reset()
    tmp = tmp_path_factory.mktemp("socket")
    database_url = f"sqlite:///{tmp / 'ncpi.db'}"
    env = server_env(
        database_url,
        standin,
        SLACK_APP_TOKEN=standin.app_token,
        SLACK_TEAM_ID=standin.team_id,
        SLACK_APP_ID=standin.app_id,
    )
    env.pop("SLACK_SIGNING_SECRET")  # Socket Mode needs none
    done = run_cli("load-sample", env=env)
    assert done.returncode == 0, done.stderr

    slack = SlackSocket()
    standin.socket_url = slack.url
    log_path: Path = tmp / "socket.log"
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "--env-file", os.devnull, "socket", "--no-scheduler"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server("", database_url, log_path, proc, standin)
    try:
        try:
            connection = slack.accept()
        except AssertionError as e:
            pytest.fail(f"{e}; exit status {proc.poll()}:\n{server.logs()}")
        opened = standin.last("apps.connections.open")
        assert opened.ok and opened.headers["authorization"] == f"Bearer {standin.app_token}"
        assert slack.paths == ["/link/?ticket=standin-ticket"]
        bot = SocketBot(server, connection)
        bot.send({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "x"}})
        yield bot
        # click answers Ctrl-C with "Aborted!" and status 1, after run_socket's clean-up
        assert stop_cleanly(proc) in (0, 1), server.logs()
        assert "Traceback" not in server.logs(), server.logs()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        server.stop()
        slack.stop()


@pytest.fixture
def bot(socket_bot: SocketBot, slack_standin: SlackStandIn) -> SocketBot:
    """The module's bot, with the stand-in emptied for this test."""
    return socket_bot


def test_slash_command_is_acked_over_the_socket_and_applied(bot: SocketBot) -> None:
    standin, server = bot.server.standin, bot.server
    rows = len(history(server, "R2.1"))
    bot.send(slash_command("e1", f"update R2.1 on track {NOTE}", standin, key="sock"))

    ack = bot.wait_for_ack("e1")
    assert ack["envelope_id"] == "e1"
    reply = standin.wait_for_response("sock", timeout=TIMEOUT_S).args
    assert reply["response_type"] == "ephemeral" and "R2.1" in reply["text"]
    new = history(server, "R2.1")[rows:]
    assert [(u.note, u.actor, u.source) for u in new if u.note == NOTE] == [(NOTE, LEAD, "command")]
    with server.db.read() as session:
        assert service.get_action(session, ref="R2.1").status == "on_track"
    assert standin.rejected() == [] and standin.warnings() == []
    assert "socket-note-5c1e" not in server.logs()


def test_envelope_from_another_workspace_changes_nothing(bot: SocketBot) -> None:
    """The workspace check refuses it (403 inside Bolt). Bolt's Socket Mode adapter sends no
    acknowledgement for a refused request — Slack gives up on it — and nothing is done."""
    standin, server = bot.server.standin, bot.server
    before = server.counts()
    foreign = slash_command(
        "e2", "update R2.1 blocked from elsewhere", standin, key="elsewhere", team_id="T0ELSEWHERE"
    )
    bot.send(foreign)
    bot.wait_for_log("refused a signed request from workspace T0ELSEWHERE")
    # Bolt logs this once it has decided not to acknowledge; a later request from this
    # workspace is still answered.
    bot.wait_for_log("Unsuccessful Bolt execution result (status: 403")
    bot.send(slash_command("e3", "help", standin, key="after"))
    bot.wait_for_ack("e3")
    standin.wait_for_response("after", timeout=TIMEOUT_S)

    assert [m for m in bot.received if m.get("envelope_id") == "e2"] == []
    assert server.counts() == before
    assert [c.path for c in standin.calls_to("response_url")] == ["/response/after"]
