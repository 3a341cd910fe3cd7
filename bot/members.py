"""Members only: the tracker serves full members of this workspace, and nobody else.

`MembersOnly` is a global Bolt middleware (`app.use`, added by `bot.security.install`). It
looks the request's user up with `users.info` and refuses, politely and showing nothing of
the tracker, single- and multi-channel guests (partner agencies are often guests), people
from other organisations in shared channels (Slack Connect), deactivated accounts and bots;
`NCPI_READERS_USERGROUP` narrows the readers further to one user group's members. Answers
are cached for a few minutes per user, so a command makes no extra Slack call; when Slack
does not answer, the request is refused with "try again" and nothing is cached.

The same look-up names people: a member the table knows only by id takes the name users.info
gives (`remember_name`), and `/ncpi report` names every such member before it drafts
(`fill_names_from_slack`), so the paper names people, never ids.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.blocks import MarkdownTextObject, PlainTextObject, SectionBlock
from slack_sdk.models.views import View
from sqlalchemy.exc import SQLAlchemyError

from models.errors import ConfigError, NcpiError
from models.service import fill_names, unnamed

if TYPE_CHECKING:
    from bot.deps import Deps
    from models.clock import Clock
    from models.db import Database

log = logging.getLogger(__name__)

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
# At most this many users.info calls name members before one paper is drafted.
MAX_NAMED_PER_REPORT = 200


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
        on_member: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> None:
        self.lookup = lookup
        self.on_member = on_member  # told of each full member users.info described
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
            lookup=lookup,
            clock=deps.clock,
            readers_usergroup=deps.settings.readers_usergroup,
            on_member=lambda user_id, user: remember_name(deps.db, user_id, user),
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
        if self.on_member is not None:
            self.on_member(user_id, user)
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


def remember_name(db: Database, user_id: str, user: dict[str, Any]) -> None:
    """A member the table knows only by id takes the name users.info gave; a named one, or
    someone not in the table, changes nothing (and writes nothing). A database that does
    not answer just now leaves the name for the next look-up."""
    from bot.lookup import slack_name

    name = slack_name(user)
    if not name:
        return
    try:
        with db.read() as session:
            if user_id not in unnamed(session):
                return
        with db.write() as session:
            fill_names(session, {user_id: name})
    except (NcpiError, SQLAlchemyError) as e:
        log.warning("could not store the name of %s (%s)", user_id, type(e).__name__)


def fill_names_from_slack(client: WebClient, db: Database) -> int:
    """Before a paper is drafted: every member the table knows only by id is looked up with
    users.info and named (kept in the member table, so each is asked once). Someone Slack
    does not answer for stays unnamed; the paper then names their role. Returns how many."""
    from bot.lookup import slack_name

    with db.read() as session:
        ids = unnamed(session)[:MAX_NAMED_PER_REPORT]
    names = {}
    for user_id in ids:
        try:
            user = client.users_info(user=user_id).get("user") or {}
        except (SlackApiError, SlackClientError, OSError, ValueError) as e:
            log.info("users.info gave no name for %s (%s)", user_id, type(e).__name__)
            continue
        name = slack_name(user) if isinstance(user, dict) else None
        if name:
            names[user_id] = name
    if not names:
        return 0
    with db.write() as session:
        return fill_names(session, names)
