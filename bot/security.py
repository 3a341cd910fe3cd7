"""Who may drive the bot: Slack, correctly signed, from this workspace and this app.

`install(app, deps)` is called once by `create_app`. It

- replaces Bolt's signature check with one that answers a missing, non-numeric, stale or
  forged `X-Slack-Request-Timestamp` / `X-Slack-Signature` with 401 (Bolt's own raises on a
  non-numeric timestamp, which becomes a 500) and never logs the body, the signature or
  any header. The check uses the injected clock (`Deps.clock`), so tests can pin it;
- refuses (403) a correctly signed request whose `team_id` or `api_app_id` is not this
  bot's. This bot's ids come from `SLACK_TEAM_ID` / `SLACK_APP_ID` when set, else from
  `auth.test` (and `bots.info` for the app id) — at start-up when the server calls
  `learn(app)`, else on the first request.

It also makes every request's `ack` sticky (`StickyAcks`): see there.

Socket Mode requests arrive over the app-level WebSocket, which Slack authenticates; Bolt
skips the signature for them, and the workspace check still applies. The local shell has
no Slack to sign anything and installs neither check (`verify_requests=False`).
"""

from __future__ import annotations

import logging
import secrets
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.middleware.request_verification import RequestVerification
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.signature import Clock as SignatureClock
from slack_sdk.signature import SignatureVerifier

from models.errors import ConfigError

if TYPE_CHECKING:
    from bot.deps import Deps
    from models.clock import Clock

log = logging.getLogger(__name__)
# Slack's replay window: a request signed more than five minutes from now is refused.
MAX_TIMESTAMP_DIGITS = 12
_guards: weakref.WeakKeyDictionary[App, WorkspaceGuard] = weakref.WeakKeyDictionary()


class InjectedClock(SignatureClock):
    """slack_sdk's verifier clock, reading ncpi-bot's injected clock."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def now(self) -> float:
        return self.clock.now().timestamp()


class SignedRequestsOnly(RequestVerification):
    """Bolt's signature check, made total: every bad request is a quiet 401."""

    def __init__(self, signing_secret: str, clock: Clock) -> None:
        super().__init__(signing_secret)
        self._verifier = SignatureVerifier(signing_secret, clock=InjectedClock(clock))

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if self._can_skip(req.mode, req.body):
            return next()
        timestamp = (req.headers.get("x-slack-request-timestamp") or [""])[0]
        signature = (req.headers.get("x-slack-signature") or [""])[0]
        well_formed = (
            timestamp.isascii()
            and timestamp.isdigit()
            and len(timestamp) <= MAX_TIMESTAMP_DIGITS
            and signature.startswith("v0=")
        )
        if well_formed and self.verifier.is_valid(req.raw_body, timestamp, signature):
            return next()
        # Never the body, the signature or the headers: a body can hold a note or a token.
        log.warning("refused a request with a missing, malformed, stale or wrong signature")
        return self._build_error_response()


class WorkspaceGuard(Middleware):
    """Refuses signed requests from another workspace or another app."""

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

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if req.body.get("type") in ("url_verification", "ssl_check"):
            return next()  # Slack's own handshakes carry no workspace
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
        return next()


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


class StickyAcks(Middleware):
    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        req.context["ack"] = StickyAck()
        return next()


def install(app: App, deps: Deps, *, verify_requests: bool = True) -> None:
    """Put the signature and workspace checks first in the app's middleware."""
    app._middleware_list.insert(0, StickyAcks())
    if not verify_requests:
        return  # the local shell: no Slack, nothing signed
    # Without a signing secret (Socket Mode needs none) no HTTP request can pass: a random
    # secret, never a guessable placeholder.
    secret = deps.settings.slack_signing_secret or secrets.token_hex(32)
    middleware = app._middleware_list  # Bolt builds it in App.__init__
    found = [i for i, m in enumerate(middleware) if type(m) is RequestVerification]
    if len(found) != 1:
        raise RuntimeError("Bolt's request verification was not found: cannot secure the app")
    guard = WorkspaceGuard(team_id=deps.settings.slack_team_id, app_id=deps.settings.slack_app_id)
    middleware[found[0]] = SignedRequestsOnly(secret, deps.clock)
    middleware.insert(found[0] + 1, guard)
    _guards[app] = guard


def learn(app: App) -> None:
    """At start-up: learn this bot's workspace and app now, so a bad token or an unreachable
    Slack stops start-up with one line instead of failing the first request."""
    guard = _guards.get(app)
    if guard is not None:
        guard.learn(app.client)


def identity(app: App) -> tuple[str | None, str | None]:
    """(team_id, app_id) this app accepts, once known."""
    guard = _guards.get(app)
    return (guard.team_id, guard.app_id) if guard else (None, None)
