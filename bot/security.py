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
- `MembersOnly`, added with `app.use(…)`, lets in only full members of this workspace:
  guests (single- and multi-channel), people from other organisations in shared channels
  (Slack Connect), deactivated accounts and bots get a polite refusal and nothing else —
  for commands, buttons, forms, thread replies and App Home alike. `NCPI_READERS_USERGROUP`
  narrows this further to one user group's members.

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
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.blocks import MarkdownTextObject, PlainTextObject, SectionBlock
from slack_sdk.models.views import View
from slack_sdk.signature import Clock as SignatureClock
from slack_sdk.signature import SignatureVerifier

from models.errors import ConfigError

if TYPE_CHECKING:
    from bot.deps import Deps
    from models.clock import Clock

log = logging.getLogger(__name__)
MAX_TIMESTAMP_DIGITS = 12

# What someone who may not use the tracker is told (and nothing else).
NOT_A_MEMBER = "This tracker is open to members of this workspace only."
NOT_A_READER = (
    "This tracker is open to its readers only. Ask the tracker's lead if you need access."
)
TRY_AGAIN = (
    "The tracker could not check with Slack who you are just now. Please try again in a moment."
)
# How long a look-up is trusted: a member made a guest, or taken out of the readers group,
# is refused at most this long afterwards.
LOOKUP_TTL = timedelta(minutes=5)
MAX_CACHED_USERS = 10_000
# A look-up happens before the ack, inside Slack's 3 seconds: one short try, no retries
# (a failure is answered "try again", not waited out).
LOOKUP_TIMEOUT_S = 2.0
# Slack's definite answers that a user id is nobody this bot may serve.
UNKNOWN_USER = frozenset({"user_not_found", "user_not_visible"})


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


class LookupUnavailable(Exception):
    """Slack did not give a usable answer about a user (or the readers group) just now."""


def refusal_home(text: str) -> dict[str, Any]:
    return View(type="home", blocks=[SectionBlock(text=MarkdownTextObject(text=text))]).to_dict()


def refusal_modal(text: str) -> dict[str, Any]:
    return View(
        type="modal",
        title=PlainTextObject(text="NCPI tracker"),
        close=PlainTextObject(text="Close"),
        blocks=[SectionBlock(text=MarkdownTextObject(text=text))],
    ).to_dict()


class MembersOnly(Middleware):
    """Lets a request through only when its user is a full member of the request's workspace
    (and, with `readers_usergroup`, in that user group). Added with `app.use(…)`.

    Who someone is comes from `users.info`: `is_restricted` (a multi-channel guest),
    `is_ultra_restricted` (a single-channel guest), `is_stranger`, a `team_id` other than the
    request's (Slack Connect; an Enterprise Grid member whose `enterprise_user.teams` holds
    this workspace is a member), `deleted` and `is_bot` are each refused. Answers are kept
    for `ttl` per user, at most `max_users` of them (least recently used go first), so a
    cached request makes no Slack call. A look-up Slack does not answer is refused with
    "try again" and not kept. Refusals are shown where the request came from (the command's
    reply, the button's response_url, the form, the DM thread, App Home) and say nothing
    about the tracker; requests without a user (Slack's handshakes) pass."""

    def __init__(
        self,
        *,
        lookup: WebClient,
        clock: Clock,
        readers_usergroup: str | None = None,
        ttl: timedelta = LOOKUP_TTL,
        max_users: int = MAX_CACHED_USERS,
    ) -> None:
        self.lookup = lookup
        self.clock = clock
        self.readers_usergroup = readers_usergroup
        self.ttl = ttl
        self.max_users = max_users
        self._verdicts: OrderedDict[tuple[str, str], tuple[datetime, str | None]] = OrderedDict()
        self._readers: tuple[datetime, frozenset[str]] | None = None
        self._lock = threading.Lock()
        self._senders = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ncpi-refusal")

    @classmethod
    def for_app(cls, app: App, deps: Deps) -> MembersOnly:
        """Look-ups on the app's Slack (token, base URL) with one short try each."""
        lookup = WebClient(
            token=app.client.token,
            base_url=app.client.base_url,
            timeout=LOOKUP_TIMEOUT_S,
            retry_handlers=[],
        )
        return cls(
            lookup=lookup, clock=deps.clock, readers_usergroup=deps.settings.readers_usergroup
        )

    # -- the rule --------------------------------------------------------------------------

    def refusal(self, user_id: str, *, team_id: str | None) -> str | None:
        """None when `user_id` may use the tracker; else the sentence they are shown."""
        now = self.clock.now()
        key = (team_id or "", user_id)
        with self._lock:
            kept = self._verdicts.get(key)
            if kept is not None and self._fresh(kept[0], now):
                self._verdicts.move_to_end(key)
                return kept[1]
        try:
            verdict = self._decide(user_id, team_id)
        except LookupUnavailable as e:
            log.warning("could not look up %s in Slack (%s): asked to try again", user_id, e)
            return TRY_AGAIN
        with self._lock:
            self._verdicts[key] = (now, verdict)
            self._verdicts.move_to_end(key)
            while len(self._verdicts) > self.max_users:
                self._verdicts.popitem(last=False)
        return verdict

    def check_readers(self) -> None:
        """At start-up: the readers group can be read, or one line naming the setting."""
        if self.readers_usergroup is None:
            return
        try:
            self._reader_ids()
        except LookupUnavailable as e:
            raise ConfigError(
                f"NCPI_READERS_USERGROUP {self.readers_usergroup} could not be read from Slack "
                f"({e}): check the user group id and that the app has the usergroups:read scope"
            ) from None

    def _fresh(self, at: datetime, now: datetime) -> bool:
        return now - self.ttl < at <= now  # a clock set back makes an entry stale, not eternal

    def _decide(self, user_id: str, team_id: str | None) -> str | None:
        try:
            user = self.lookup.users_info(user=user_id).get("user")
        except SlackApiError as e:
            error = str(e.response.get("error"))
            if error in UNKNOWN_USER:
                return NOT_A_MEMBER
            raise LookupUnavailable(f"users.info: {error}") from None
        except (SlackClientError, OSError, ValueError) as e:
            raise LookupUnavailable(f"users.info: {type(e).__name__}") from None
        if not isinstance(user, dict):
            raise LookupUnavailable("users.info: no user in the answer")
        if not is_full_member(user, team_id):
            return NOT_A_MEMBER
        if self.readers_usergroup is not None and user_id not in self._reader_ids():
            return NOT_A_READER
        return None

    def _reader_ids(self) -> frozenset[str]:
        now = self.clock.now()
        with self._lock:
            if self._readers is not None and self._fresh(self._readers[0], now):
                return self._readers[1]
        try:
            answer = self.lookup.usergroups_users_list(usergroup=self.readers_usergroup)
        except SlackApiError as e:
            raise LookupUnavailable(f"usergroups.users.list: {e.response.get('error')}") from None
        except (SlackClientError, OSError, ValueError) as e:
            raise LookupUnavailable(f"usergroups.users.list: {type(e).__name__}") from None
        readers = frozenset(str(u) for u in answer.get("users") or ())
        with self._lock:
            self._readers = (now, readers)
        return readers

    # -- the middleware --------------------------------------------------------------------

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        user_id = req.context.user_id
        if not user_id:
            return next()  # Slack's handshakes and events without a person
        refused = self.refusal(user_id, team_id=req.context.team_id)
        if refused is None:
            return next()
        if refused != TRY_AGAIN:
            log.info("refused %s: %s", user_id, refused)
        return self._refuse(req, refused)

    def _refuse(self, req: BoltRequest, text: str) -> BoltResponse:
        """Say `text` where the request came from; run no listener."""
        body, context = req.body, req.context
        kind = body.get("type")
        if kind is None and body.get("command"):
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
        if kind == "view_submission":
            return BoltResponse(
                status=200, body={"response_action": "update", "view": refusal_modal(text)}
            )
        if kind == "block_suggestion":
            return BoltResponse(status=200, body={"options": []})
        user_id = str(context.user_id)
        if kind in ("block_actions", "message_action", "shortcut", "interactive_message"):
            if context.response_url:
                respond = context.respond
                self._send(lambda: respond(text=text, response_type="ephemeral"))
            elif (body.get("view") or {}).get("type") == "home":
                self._send(
                    lambda: context.client.views_publish(user_id=user_id, view=refusal_home(text))
                )
        elif kind == "event_callback" and not req.headers.get("x-slack-retry-num"):
            event = body.get("event") or {}
            if event.get("type") == "app_home_opened" and event.get("tab", "home") == "home":
                self._send(
                    lambda: context.client.views_publish(user_id=user_id, view=refusal_home(text))
                )
            elif (
                event.get("type") == "message"
                and event.get("channel_type") == "im"
                and not event.get("subtype")
                and event.get("channel")
            ):
                self._send(
                    lambda: context.client.chat_postEphemeral(
                        channel=event["channel"],
                        user=user_id,
                        text=text,
                        thread_ts=event.get("thread_ts"),
                    )
                )
        return BoltResponse(status=200, body="")

    def _send(self, call: Callable[[], object]) -> None:
        """Send a refusal after the ack (Slack's 3 seconds are for the answer, not for this)."""

        def run() -> None:
            try:
                call()
            except (SlackApiError, SlackClientError, OSError) as e:
                log.warning("could not show a refusal (%s)", type(e).__name__)

        self._senders.submit(run)


def is_full_member(user: dict[str, Any], team_id: str | None) -> bool:
    """A full, active, human member of the workspace `team_id`, as users.info describes them."""
    if any(user.get(f) for f in ("deleted", "is_bot", "is_restricted", "is_ultra_restricted")):
        return False
    if user.get("is_stranger"):
        return False
    if team_id is None:
        return False
    grid_teams = (user.get("enterprise_user") or {}).get("teams") or ()
    return user.get("team_id") == team_id or team_id in grid_teams


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
