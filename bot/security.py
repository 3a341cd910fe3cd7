"""Who may drive the bot: Slack, correctly signed, from this workspace and this app, by a
full member of this workspace.

`create_app` wires two middlewares through Bolt's public seams:

- `RequestChecks`, given to `App(before_authorize=…)` with Bolt's own signature check off
  (`request_verification_enabled=False`), runs before anything else looks at a request. It
  answers a missing, non-numeric, stale or forged `X-Slack-Request-Timestamp` /
  `X-Slack-Signature` with 401 (Bolt's own check raises on a non-numeric timestamp, which
  becomes a 500) and never logs the body, the signature or any header; the check uses the
  injected clock (`Deps.clock`), so tests can pin it. It then refuses (403) a correctly
  signed request whose `team_id` or `api_app_id` is not this bot's. This bot's ids come from
  `SLACK_TEAM_ID` / `SLACK_APP_ID` when set, else from `auth.test` (and `bots.info` for the
  app id) — at start-up when the server calls `learn(app)`, else on the first request. It
  also makes every request's `ack` sticky (`StickyAck`: see there).
- `bot.members.MembersOnly`, added with `app.use(…)`, lets in only full members of this
  workspace: guests (single- and multi-channel), people from other organisations in shared
  channels (Slack Connect), deactivated accounts and bots get a polite refusal and nothing
  else — for commands, buttons, forms, thread replies and App Home alike.
  `NCPI_READERS_USERGROUP` narrows this further to one user group's members.

Socket Mode requests arrive over the app-level WebSocket, which Slack authenticates; the
signature is skipped for them, and every other check still applies. The local shell has
no Slack to sign anything and no workspace: it gets the sticky ack and nothing else
(`verify_requests=False`).
"""

from __future__ import annotations

import logging
import secrets
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.signature import Clock as SignatureClock
from slack_sdk.signature import SignatureVerifier

from bot.members import MembersOnly
from models.errors import ConfigError

if TYPE_CHECKING:
    from bot.deps import Deps
    from models.clock import Clock

log = logging.getLogger(__name__)
MAX_TIMESTAMP_DIGITS = 12


class InjectedClock(SignatureClock):
    """slack_sdk's verifier clock, reading ncpi-bot's injected clock."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def now(self) -> float:
        return self.clock.now().timestamp()


class SignatureCheck:
    """Slack's v0 request signature, made total: a bad request is False, never an error."""

    def __init__(self, signing_secret: str, clock: Clock) -> None:
        self.verifier = SignatureVerifier(signing_secret, clock=InjectedClock(clock))

    def valid(self, req: BoltRequest) -> bool:
        timestamp = (req.headers.get("x-slack-request-timestamp") or [""])[0]
        signature = (req.headers.get("x-slack-signature") or [""])[0]
        well_formed = (
            timestamp.isascii()
            and timestamp.isdigit()
            and len(timestamp) <= MAX_TIMESTAMP_DIGITS
            and signature.startswith("v0=")
        )
        return well_formed and self.verifier.is_valid(req.raw_body, timestamp, signature)


class WorkspaceGuard:
    """Knows this bot's workspace and app; refuses signed requests naming another."""

    def __init__(self, *, team_id: str | None, app_id: str | None) -> None:
        self.team_id = team_id
        self.app_id = app_id
        self._lock = threading.Lock()

    @property
    def known(self) -> bool:
        return bool(self.team_id and self.app_id)

    def learn(self, client: WebClient) -> None:
        """Fill in this bot's team and app ids from Slack (auth.test, then bots.info)."""
        with self._lock:
            if self.known:
                return
            try:
                auth = client.auth_test()
                team_id = self.team_id or auth["team_id"]
                app_id = self.app_id or auth.get("app_id")
                if not app_id:
                    app_id = client.bots_info(bot=auth["bot_id"])["bot"]["app_id"]
            except SlackApiError as e:
                raise ConfigError(
                    f"Slack refused SLACK_BOT_TOKEN ({e.response.get('error')}) when asked "
                    "which workspace this bot is in: check the token, or set SLACK_TEAM_ID "
                    "and SLACK_APP_ID"
                ) from None
            except (SlackClientError, OSError) as e:
                raise ConfigError(
                    f"could not reach Slack at {client.base_url} to learn this bot's workspace "
                    f"({type(e).__name__}): check SLACK_API_URL and the network, or set "
                    "SLACK_TEAM_ID and SLACK_APP_ID"
                ) from None
            self.team_id, self.app_id = team_id, app_id
            log.info("serving workspace %s, app %s", team_id, app_id)

    def refusal(self, req: BoltRequest) -> BoltResponse | None:
        """None when the request is for this workspace and app; else the answer to give."""
        if req.body.get("type") in ("url_verification", "ssl_check"):
            return None  # Slack's own handshakes carry no workspace
        if not self.known:
            try:
                self.learn(req.context.client)
            except ConfigError as e:
                log.error("refused a request: %s", e.message)
                return BoltResponse(status=503, body="")
        team_id = req.context.team_id
        app_id = req.body.get("api_app_id")
        if team_id != self.team_id or (app_id is not None and app_id != self.app_id):
            log.warning(
                "refused a signed request from workspace %s, app %s (this bot is %s, %s)",
                team_id,
                app_id,
                self.team_id,
                self.app_id,
            )
            return BoltResponse(status=403, body="")
        return None


class StickyAck(Ack):
    """An ack that, once given, stays given.

    Bolt's thread runner (process_before_response=False, i.e. `serve` and `socket`) sets
    `ack.response = None` after the error handler runs for a listener that raised *after*
    ack() — while the dispatching thread is still polling `ack.response` every 10 ms to
    answer Slack. When the raise comes within that window (a refusal such as "R2.1 is not
    yours" does), the poll sees None, waits out its 3 seconds, and Slack gets a 404 and shows
    the user an error on top of the bot's ephemeral answer."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "response" and value is None and getattr(self, "response", None) is not None:
            return
        super().__setattr__(name, value)


class RequestChecks(Middleware):
    """Sticky acks, then (unless this is the local shell) the signature and the workspace.
    Given to `App(before_authorize=…)`, so it runs before Bolt's authorization and before
    any listener."""

    def __init__(self, deps: Deps, *, verify_requests: bool = True) -> None:
        self.verify_requests = verify_requests
        # Without a signing secret (Socket Mode needs none) no HTTP request can pass: a
        # random secret, never a guessable placeholder.
        secret = deps.settings.slack_signing_secret or secrets.token_hex(32)
        self.signature = SignatureCheck(secret, deps.clock)
        self.workspace = WorkspaceGuard(
            team_id=deps.settings.slack_team_id, app_id=deps.settings.slack_app_id
        )

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        req.context["ack"] = StickyAck()
        if not self.verify_requests:
            return next()  # the local shell: no Slack, nothing signed
        if req.mode != "socket_mode" and not self.signature.valid(req):
            # Never the body, the signature or the headers: a body can hold a note or a token.
            log.warning("refused a request with a missing, malformed, stale or wrong signature")
            return BoltResponse(status=401, body={"error": "invalid request"})
        refused = self.workspace.refusal(req)
        return refused if refused is not None else next()


@dataclass
class Installed:
    checks: RequestChecks
    members: MembersOnly | None


_installed: weakref.WeakKeyDictionary[App, Installed] = weakref.WeakKeyDictionary()


def install(app: App, deps: Deps, checks: RequestChecks) -> None:
    """After `App(before_authorize=checks, request_verification_enabled=False)`: add the
    members-only rule as a global middleware (not in the local shell, which has no Slack)."""
    members = None
    if checks.verify_requests:
        members = MembersOnly.for_app(app, deps)
        app.use(members)
    _installed[app] = Installed(checks, members)


def learn(app: App) -> None:
    """At start-up: learn this bot's workspace and app now, and read the readers group when
    one is set, so a bad token, a wrong group or an unreachable Slack stops start-up with
    one line instead of failing the first request."""
    installed = _installed.get(app)
    if installed is None or not installed.checks.verify_requests:
        return
    installed.checks.workspace.learn(app.client)
    if installed.members is not None:
        installed.members.check_readers()


def identity(app: App) -> tuple[str | None, str | None]:
    """(team_id, app_id) this app accepts, once known."""
    installed = _installed.get(app)
    if installed is None or not installed.checks.verify_requests:
        return (None, None)
    return (installed.checks.workspace.team_id, installed.checks.workspace.app_id)
