"""Commands through the real server, beside the framework floor; SQL per command; memory;
start-up.

For each database and tracker size (10, 1,000, 10,000 actions; 100 owners, 3 panels,
5 updates per action):

- **latency**: `python -m bot serve --no-scheduler` as a subprocess, signed `/ncpi summary`,
  `/ncpi mine` and `/ncpi update` requests over HTTP, timed from sending the request until
  the answer the user sees has arrived. `/ncpi` acks with an empty body and answers on the
  `response_url`, so the time is when that post reached the Slack stand-in (same process,
  same monotonic clock). Beside them, in the same rounds (interleaved, so both see the same
  machine load), the framework floor (benchmarks/floor_app.py): a bare Bolt command on the
  same uvicorn + Bolt ASGI stack, answered in the ack (`/floor`) and on the response_url
  after the ack (`/floor-respond`, the like-for-like floor for `/ncpi`).
- **SQL statements** per command, counted in-process with a SQLAlchemy
  `before_cursor_execute` listener while the same commands go through the same Bolt app.
- **memory**: the RSS high-water mark (VmHWM) of `serve` after its requests.
- **start-up**: from spawning `serve` until `/healthz` answers 200.

`/ncpi update` goes to a different action and owner each time (its owner sends it), with a
status that differs from the action's current one and a numbered note, so every request
changes the tracker and the double-submit guard (same user, same text) never answers it
from its receipt.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import BoltRequest
from sqlalchemy import event, func
from sqlmodel import select

from benchmarks.common import ROOT, database, settle, summarise_ms
from models.clock import Clock
from models.db import Database
from models.settings import Settings
from models.tables import Status, Update
from tests import slack_requests
from tests.slack_standin import APP_ID, TEAM_ID, SlackStandIn
from tests.tracker_seed import LEAD, STATUSES, build_tracker, owner_id

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # a Wednesday; the servers' pinned clock
TODAY = NOW.astimezone(TZ).date()
SECRET = "bench-signing-secret-0123456789abcdef"
FORM = slack_requests.FORM
START_TIMEOUT_S = 60.0
ANSWER_TIMEOUT_S = 15.0
OWNERS = 100
COMMANDS = ("summary", "mine", "update")
FLOORS = ("floor: ack", "floor: ack + response_url")
KEY = {"floor: ack": "floor", "floor: ack + response_url": "floor-respond"} | {
    c: c for c in COMMANDS
}


def signed_headers(timestamp: int, body: str) -> dict[str, str]:
    """Slack's v0 signature over the body, with the benchmark's secret."""
    return slack_requests.signed_headers(SECRET, timestamp, body, FORM)


def command_body(command: str, text: str, *, user: str, response_url: str) -> str:
    """A slash command, form-encoded as Slack posts it (the tests' one builder)."""
    return slack_requests.command_body(
        text, user=user, channel="C0BENCH01", response_url=response_url, command=command
    )


# -- processes -----------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vm_kb(pid: int, field_name: str) -> int:
    """A VmXXX line of /proc/PID/status, in kB (0 where /proc is missing)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Process:
    """A server subprocess on loopback, with one kept-alive HTTP connection to it."""

    name: str
    proc: subprocess.Popen
    port: int
    log_path: Path
    started_s: float = 0.0
    sign_at: Callable[[], int] = field(default=lambda: int(time.time()))
    _conn: http.client.HTTPConnection | None = None

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def get(self, path: str) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", path)
            return conn.getresponse().status
        finally:
            conn.close()

    def post_command(self, body: str) -> tuple[int, bytes]:
        """POST on the kept-alive connection (uvicorn closes one idle for 5 s: a request
        that could not even be sent on it goes again on a new one)."""
        headers = signed_headers(self.sign_at(), body)
        for attempt in (1, 2):
            reused = self._conn is not None
            if self._conn is None:
                self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self._conn.request("POST", "/slack/events", body=body, headers=headers)
            except OSError:
                self.disconnect()
                if reused and attempt == 1:
                    continue
                raise
            try:
                resp = self._conn.getresponse()
                return resp.status, resp.read()
            except (http.client.HTTPException, OSError):
                self.disconnect()
                raise
        raise AssertionError("unreachable")

    def disconnect(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def hwm_mb(self) -> float:
        return round(vm_kb(self.proc.pid, "VmHWM") / 1024, 1)

    def stop(self) -> None:
        self.disconnect()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def spawn(name: str, args: list[str], env: dict[str, str], log_dir: Path) -> Process:
    """Start `python ARGS` from the repository root; wait for /healthz; time it."""
    port = free_port()
    log_path = log_dir / f"{name}.log"
    with log_path.open("w") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, *args, "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    p = Process(name, proc, port, log_path)
    deadline = t0 + START_TIMEOUT_S
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited {proc.returncode}:\n{p.logs()}")
        try:
            if p.get("/healthz") == 200:
                p.started_s = time.perf_counter() - t0
                return p
        except OSError:
            pass
        time.sleep(0.01)
    p.stop()
    raise RuntimeError(f"{name} did not answer /healthz in {START_TIMEOUT_S}s:\n{p.logs()}")


def base_env(standin: SlackStandIn) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "SLACK_API_URL": standin.api_url,
        "SLACK_BOT_TOKEN": standin.token,
        "SLACK_SIGNING_SECRET": SECRET,
    }


def start_floor(standin: SlackStandIn, log_dir: Path) -> Process:
    return spawn("floor", ["-m", "benchmarks.floor_app"], base_env(standin), log_dir)


def start_serve(db_url: str, standin: SlackStandIn, log_dir: Path, name: str) -> Process:
    env = base_env(standin) | {
        "DATABASE_URL": db_url,
        "NCPI_CLOCK": NOW.isoformat(),
        "NCPI_TIMEZONE": "Europe/London",
        "SLACK_TEAM_ID": TEAM_ID,
        "SLACK_APP_ID": APP_ID,
    }
    args = ["-m", "bot", "--env-file", os.devnull, "serve", "--no-scheduler"]
    p = spawn(name, args, env, log_dir)
    p.sign_at = lambda: int(NOW.timestamp())  # signatures are checked on the pinned clock
    return p


# -- the requests ----------------------------------------------------------------------------


class Updates:
    """`/ncpi update` texts that each change something: a different action (by its owner)
    each time, the status flipped from the action's current one, a numbered note."""

    def __init__(self, size: int) -> None:
        self.size = size
        # Implemented actions are skipped: they are for a lead to verify or return.
        self.candidates = [i for i in range(size) if STATUSES[i % len(STATUSES)] != "implemented"]
        self.status = {i: STATUSES[i % len(STATUSES)] for i in self.candidates}
        self.step = 7919 if len(self.candidates) > 7919 else 7  # coprime walks, spread out

    def next(self, j: int) -> tuple[str, str]:
        i = self.candidates[(j * self.step) % len(self.candidates)]
        new = Status.AT_RISK if self.status[i] == Status.ON_TRACK else Status.ON_TRACK
        self.status[i] = new
        ref = f"R{i % 10 + 1}.{i // 10 + 1}"  # seed.build_tracker numbers them this way
        word = "at risk" if new == Status.AT_RISK else "on track"
        return owner_id(i % OWNERS), f"update {ref} {word} bench pass {j}"


def request_for(name: str, j: int, size: int, updates: Updates) -> tuple[str, str, str]:
    """(slash command, text, user) for request j of `name`."""
    if name == "summary":
        return "/ncpi", "summary", LEAD
    if name == "mine":
        return "/ncpi", "mine", owner_id(j % min(OWNERS, size))
    if name == "update":
        user, text = updates.next(j)
        return "/ncpi", text, user
    if name == "floor: ack":
        return "/floor", "", "U0FLOOR01"
    return "/floor-respond", "", "U0FLOOR01"


def timed(
    server: Process, standin: SlackStandIn, command: str, text: str, user: str, key: str
) -> tuple[float, str]:
    """Seconds from sending until the user's answer arrived, and that answer's text."""
    body = command_body(command, text, user=user, response_url=standin.response_url(key))
    t0 = time.monotonic()
    status, ack = server.post_command(body)
    t_ack = time.monotonic()
    if status != 200:
        raise RuntimeError(f"{command} {text!r}: HTTP {status} {ack[:200]!r}\n{server.logs()}")
    if ack.strip():  # answered in the ack
        return t_ack - t0, ack.decode(errors="replace")
    call = standin.wait_for_response(key, timeout=ANSWER_TIMEOUT_S)
    return call.at - t0, str(call.args.get("text", ""))


def looks_right(name: str, answer: str) -> bool:
    if name.startswith("floor"):
        return "ok" in answer
    if name == "summary":
        return "recommendations" in answer or "open actions" in answer or "BENCH" in answer
    if name == "update":
        return "recorded" in answer
    return bool(answer)


def run_rounds(
    servers: dict[str, Process],
    standin: SlackStandIn,
    *,
    size: int,
    n: int,
    warmup: int,
    tag: str,
    updates: Updates,
) -> dict[str, dict[str, Any]]:
    """n measured rounds (after `warmup` unmeasured ones) of every command, interleaved."""
    names = [*FLOORS, *COMMANDS]
    samples: dict[str, list[float]] = {k: [] for k in names}
    wrong: dict[str, int] = dict.fromkeys(names, 0)
    example: dict[str, str] = {}
    for j in range(warmup + n):
        for name in names:
            command, text, user = request_for(name, j, size, updates)
            server = servers["floor" if name.startswith("floor") else "serve"]
            took, answer = timed(server, standin, command, text, user, f"{tag}-{KEY[name]}-{j}")
            if not looks_right(name, answer):
                wrong[name] += 1
                example.setdefault(name, answer[:200])
            if j >= warmup:
                samples[name].append(took)
        if j % 50 == 0:
            standin.reset()  # keep its call list (scanned on every wait) short
    for server in servers.values():
        server.disconnect()  # idle until the next size: uvicorn would close it anyway
    return {
        k: {**summarise_ms(v), "wrong": wrong[k], "example_wrong": example.get(k)}
        for k, v in samples.items()
    }


# -- SQL per command, in-process -------------------------------------------------------------


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    engines = {id(e): e for e in (db.engine, db.read_engine)}.values()
    for e in engines:
        event.listen(e, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        for e in engines:
            event.remove(e, "before_cursor_execute", count)


def sql_per_command(
    db: Database, standin: SlackStandIn, size: int, updates: Updates
) -> dict[str, int]:
    """Statements each command runs, dispatched through the same Bolt app in-process."""
    from bot.app import Deps, create_app

    settings = Settings(slack_api_url=standin.api_url, slack_bot_token=standin.token)
    deps = Deps(settings, db, Clock(TZ, NOW))
    app = create_app(deps, verify_requests=False, process_before_response=True)
    out: dict[str, int] = {}
    for name in COMMANDS:
        counts = []
        for j in range(3):  # the last, warm, count is reported; all three must agree
            command, text, user = request_for(name, 10_000 + j, size, updates)
            body = command_body(command, text, user=user, response_url=standin.response_url("sql"))
            with counting(db) as statements:
                resp = app.dispatch(BoltRequest(body=body, headers={"content-type": [FORM]}))
            if resp.status != 200:
                raise RuntimeError(f"in-process {name}: {resp.status} {resp.body[:200]}")
            answer = standin.wait_for_response("sql", count=j + 1 + 3 * len(out)).args
            if not looks_right(name, str(answer.get("text", ""))):
                raise RuntimeError(f"in-process {name}: unexpected answer {answer!r:.300}")
            counts.append(len(statements))
        out[name] = counts[-1]
    standin.reset()
    return out


# -- the benchmark ---------------------------------------------------------------------------


def history_rows(db: Database) -> int:
    with db.read() as session:
        return session.exec(select(func.count()).select_from(Update)).one()


def db_url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def run(
    *,
    kinds: tuple[str, ...] = ("sqlite", "postgresql"),
    sizes: tuple[int, ...] = (10, 1_000, 10_000),
    n: int = 200,
    warmup: int = 10,
    log_dir: Path | None = None,
) -> dict[str, list[dict]]:
    import tempfile

    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="ncpi-bench-"))
    latency, cost, startup = [], [], []
    with SlackStandIn() as standin:
        floor = start_floor(standin, log_dir)
        startup.append(
            {
                "server": "floor (bare Bolt)",
                "database": "-",
                "actions": "-",
                "start_s": round(floor.started_s, 2),
            }
        )
        try:
            for kind in kinds:
                for size in sizes:
                    with database(kind) as db:
                        t0 = time.perf_counter()
                        build_tracker(db, actions=size, today=TODAY, tz=TZ, owners=OWNERS)
                        settle(db)
                        built = time.perf_counter() - t0
                        updates = Updates(size)
                        history_before = history_rows(db)
                        serve = start_serve(db_url(db), standin, log_dir, f"serve-{kind}-{size}")
                        try:
                            load = os.getloadavg()[0]
                            stats = run_rounds(
                                {"floor": floor, "serve": serve},
                                standin,
                                size=size,
                                n=n,
                                warmup=warmup,
                                tag=f"{kind}-{size}",
                                updates=updates,
                            )
                            load = round((load + os.getloadavg()[0]) / 2, 1)
                            hwm = serve.hwm_mb()
                            # Each /ncpi update changes a status (its note on the same row): one
                            # history row; fewer would mean the double-submit guard answered.
                            per_update = (history_rows(db) - history_before) / (n + warmup)
                        finally:
                            serve.stop()
                        statements = sql_per_command(db, standin, size, updates)
                    floor_p99 = stats["floor: ack"]["p99_ms"]
                    respond_p99 = stats["floor: ack + response_url"]["p99_ms"]
                    for name, s in stats.items():
                        row = {
                            "database": kind,
                            "actions": size,
                            "command": name,
                            **s,
                            "load_1m": load,
                        }
                        if not name.startswith("floor"):
                            row["x_floor_p99"] = round(s["p99_ms"] / floor_p99, 1)
                            row["x_respond_floor_p99"] = round(s["p99_ms"] / respond_p99, 1)
                        latency.append(row)
                    cost.append(
                        {
                            "database": kind,
                            "actions": size,
                            **{f"sql_{k}": v for k, v in statements.items()},
                            "serve_peak_rss_mb": hwm,
                            "history_rows_per_update": round(per_update, 2),
                            "seed_s": round(built, 1),
                        }
                    )
                    startup.append(
                        {
                            "server": "ncpi-bot serve",
                            "database": kind,
                            "actions": size,
                            "start_s": round(serve.started_s, 2),
                        }
                    )
                    print(f"  {kind} {size}: done (load {load})", flush=True)
            startup[0]["floor_peak_rss_mb"] = floor.hwm_mb()
        finally:
            floor.stop()
    return {"latency": latency, "cost": cost, "startup": startup}
