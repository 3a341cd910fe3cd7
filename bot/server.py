"""`ncpi-bot serve`: the production HTTP front end (uvicorn + Bolt's ASGI adapter).

    POST /slack/events   slash commands, interactivity and events (signed by Slack)
    GET  /healthz        200 when the database answers, 503 when it does not (within
                         HEALTH_TIMEOUT_S)

Bolt's App is synchronous, so each request is dispatched on a worker thread: the event loop
keeps accepting requests (and health checks) while a listener works. Listeners ack within
Slack's three seconds and do slow work after the ack, on Bolt's own thread pool
(bot.wiring.HANDLER_THREADS). The health check has a thread and a database connection of
its own, so a database that stops answering (and the requests stuck waiting for it) never
keeps `/healthz` from saying so.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.asgi import SlackRequestHandler
from slack_bolt.adapter.asgi.http_request import AsgiHttpRequest
from slack_sdk import WebClient

from bot import security
from bot.app import Deps, create_app
from bot.wiring import HANDLER_THREADS, make_clock, open_database
from models.db import Database
from models.settings import Settings

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's payloads are a few kilobytes; anything this big is not from Slack.
MAX_BODY_BYTES = 1_000_000
HEALTH_TIMEOUT_S = 1.5

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
Stop = Callable[[], None]


class ThreadedBoltHandler(SlackRequestHandler):
    """Bolt's ASGI adapter, dispatching on a worker thread, with a body size limit and a
    400 (not a 500) for a body that is not UTF-8, not parseable or not a JSON object."""

    def __init__(self, app: App, path: str) -> None:
        super().__init__(app, path=path)
        # Each dispatching thread waits (at most Slack's 3 s) for a handler thread's ack.
        self.executor = ThreadPoolExecutor(HANDLER_THREADS, thread_name_prefix="ncpi-dispatch")

    async def dispatch(self, request: AsgiHttpRequest) -> BoltResponse:
        body = bytearray()
        while True:
            message = await request.receive()
            if message["type"] != "http.request":
                return BoltResponse(status=400, body="")
            body.extend(message.get("body", b""))
            if len(body) > MAX_BODY_BYTES:
                return BoltResponse(status=413, body="")
            if not message.get("more_body", False):
                break
        try:
            bolt_request = BoltRequest(
                body=body.decode("utf-8"),
                query=request.query_string,
                headers=request.get_headers(),
            )
            if not isinstance(bolt_request.body, dict):
                raise TypeError
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError):
            # Not UTF-8, not JSON, JSON that is not an object (`[]`, `123`, `null`, deep
            # nesting), or an object Bolt cannot read: not from Slack. One line, no body.
            log.warning("refused a request whose body is not a Slack payload")
            return BoltResponse(status=400, body="")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.app.dispatch, bolt_request)


def build_asgi(app: App, db: Database) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The ASGI application: /healthz here, everything else to Bolt."""
    bolt = ThreadedBoltHandler(app, path=EVENTS_PATH)
    health = ThreadPoolExecutor(1, thread_name_prefix="ncpi-health")

    async def asgi(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == HEALTH_PATH:
            if scope["method"] not in ("GET", "HEAD"):
                await _plain(send, 405, b"method not allowed\n")
                return
            ping = asyncio.get_running_loop().run_in_executor(health, db.ping)
            try:
                healthy = await asyncio.wait_for(ping, HEALTH_TIMEOUT_S)
            except TimeoutError:  # still waiting: the database's own limit frees the thread
                healthy = False
            body = b"ok\n" if healthy else b"database unavailable\n"
            await _plain(send, 200 if healthy else 503, b"" if scope["method"] == "HEAD" else body)
            return
        await bolt(scope, receive, send)

    return asgi


async def _plain(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def start_background(deps: Deps, client: WebClient) -> Stop:
    """Start the reminder scheduler beside a front end (serve, socket); return its stop.
    `--no-scheduler` skips this (a second replica, or tests driving sweeps themselves)."""
    from bot.views.reminders import reminder_message
    from jobs.scheduler import start_scheduler

    scheduler = start_scheduler(deps, client, render=reminder_message)
    return lambda: scheduler.shutdown(wait=False)


def prepare(settings: Settings, *, need: tuple[str, ...]) -> tuple[Deps, App]:
    """Everything a front end needs, checked before it listens: settings, database, the
    app, and this bot's identity (auth.test) — each failure one clear line."""
    settings.require(*need)
    db = open_database(settings, announce=True)
    clock = make_clock(settings, warn=True)
    deps = Deps(settings=settings, db=db, clock=clock)
    app = create_app(deps)
    security.learn(app)
    return deps, app


def serve(settings: Settings, *, host: str, port: int, scheduler: bool = True) -> None:
    """Run the HTTP front end until SIGINT/SIGTERM."""
    import uvicorn

    deps, app = prepare(settings, need=("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"))
    stop = start_background(deps, app.client) if scheduler else None
    config = uvicorn.Config(
        build_asgi(app, deps.db),
        host=host,
        port=port,
        lifespan="off",
        log_config=None,  # keep the CLI's logging set-up (and Bolt at WARNING)
        timeout_graceful_shutdown=10,
    )
    try:
        uvicorn.Server(config).run()
    finally:
        if stop is not None:
            stop()
        deps.db.dispose()
