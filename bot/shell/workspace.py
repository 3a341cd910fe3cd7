"""A Slack workspace on loopback that answers the Web API as Slack does: the one strict
stand-in. The local shell's Slack (`fake_slack`) and the tests' stand-in
(`tests/slack_standin.py`, which adds Slack's failures: 429, 5xx, outages) are both this.

It refuses what Slack refuses (the rules are `bot.slack_rules`, one home): a call with no
token is `not_authed`, an unknown token `invalid_auth`; a method it does not know is
`unknown_method`; a message over Block Kit's limits `invalid_blocks`, a view over them
`invalid_arguments`, with Slack's `[ERROR] ... [json-pointer:...]` messages. Channel ids
are checked (`channel_not_found`), `chat.update` of an unknown ts is `message_not_found`.
users.info describes a full member by default (`add_user` makes guests, strangers, bots).
Every call is kept in `calls` (a `Call` unpacks as `(method, args)`); `response_url(key)`
and the upload URLs it hands out are served by the same server.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict
from http.server import ThreadingHTTPServer
from typing import Any

from bot.shell.workspace_chat import USER_ID, Chat
from bot.shell.workspace_http import Call, Handler
from bot.shell.workspace_views import ViewsAndFiles
from bot.slack_rules import auth_error, message_problems, token_of

TOKEN = "xoxb-standin-0000-token"
APP_TOKEN = "xapp-1-A0STANDIN-0000-standin"
TEAM_ID = "T0STANDIN"
APP_ID = "A0STANDIN"
BOT_ID = "B0STANDIN"
BOT_USER_ID = "U0NCPIBOT"

__all__ = ["Call", "Workspace"]


class Workspace(Chat, ViewsAndFiles):
    """The server plus everything it has seen. Thread-safe; start() / stop() or `with`."""

    def __init__(
        self,
        *,
        token: str = TOKEN,
        team_id: str = TEAM_ID,
        app_id: str = APP_ID,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.token = token
        self.tokens = {token}
        self.app_token = APP_TOKEN
        self.team_id, self.app_id, self.bot_id, self.bot_user_id = (
            team_id,
            app_id,
            BOT_ID,
            BOT_USER_ID,
        )
        self._host, self._port = host, port
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self.clock = time.monotonic
        self.reset()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Workspace:
        owner = self

        class Bound(Handler):
            workspace = owner

        self._server = ThreadingHTTPServer((self._host, self._port), Bound)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="slack-workspace",
            daemon=True,
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Workspace:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        assert self._server is not None, "start() the workspace first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL should be set to."""
        return f"{self.root_url}/api/"

    def response_url(self, key: str = "1") -> str:
        """A `response_url` to put in a slash command or interaction payload."""
        return f"{self.root_url}/response/{key}"

    def env(self) -> dict[str, str]:
        """Settings that point a bot at this workspace."""
        return {"SLACK_API_URL": self.api_url, "SLACK_BOT_TOKEN": self.token}

    # -- state -----------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget every call, message, view and user."""
        with self._lock:
            self.calls: list[Call] = []
            self.channels: dict[str, list[dict[str, Any]]] = defaultdict(list)
            self.ephemeral: list[dict[str, Any]] = []
            self.views: dict[str, dict[str, Any]] = {}
            self.home: dict[str, dict[str, Any]] = {}
            self.reactions: list[dict[str, str]] = []
            self.files: dict[str, dict[str, Any]] = {}
            self.responses: dict[str, list[dict[str, Any]]] = defaultdict(list)
            self.users: dict[str, dict[str, Any]] = {}
            self.strict_users = False
            self.usergroups: dict[str, list[str]] = {}
            self.unknown_channels: set[str] = set()
            self.expired_triggers: set[str] = set()
            self.socket_url: str | None = None
            self._ids = itertools.count(1)
            self._ts = itertools.count(1)

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        email: str | None = None,
        tz: str = "Europe/London",
        deleted: bool = False,
        team_id: str | None = None,
        is_restricted: bool = False,
        is_ultra_restricted: bool = False,
        is_stranger: bool = False,
        is_bot: bool = False,
    ) -> dict[str, Any]:
        """A user as users.info describes them. By default a full member of this workspace;
        a multi-channel guest is `is_restricted`, a single-channel guest also
        `is_ultra_restricted`; someone from another organisation in a shared channel (Slack
        Connect) has another `team_id`, and `is_stranger` when no channel the bot can see
        is shared with them."""
        name = name or user_id.lower()
        user = {
            "id": user_id,
            "team_id": team_id or self.team_id,
            "name": name,
            "real_name": real_name or name.title(),
            "deleted": deleted,
            "is_bot": is_bot,
            "is_restricted": is_restricted or is_ultra_restricted,
            "is_ultra_restricted": is_ultra_restricted,
            "tz": tz,
            "profile": {
                "real_name": real_name or name.title(),
                "display_name": name,
                "email": email,
            },
        }
        if is_stranger:
            user["is_stranger"] = True  # Slack sends the field only for strangers
        with self._lock:
            self.users[user_id] = user
        return user

    def add_usergroup(self, usergroup_id: str, users: list[str]) -> None:
        """A user group (S…) and its members, for usergroups.users.list."""
        with self._lock:
            self.usergroups[usergroup_id] = list(users)

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str,
        thread_ts: str | None = None,
        ts: str | None = None,
    ) -> dict[str, Any]:
        """Store a message someone else wrote (e.g. a user's reply in a bot DM's thread)."""
        with self._lock:
            message = {"type": "message", "user": user, "text": text, "ts": ts or self._next_ts()}
            if thread_ts:
                message["thread_ts"] = thread_ts
            self.channels[channel].append(message)
            return dict(message)

    # -- reading what happened -------------------------------------------------------------

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Messages stored in a channel, oldest first (thread replies included)."""
        with self._lock:
            return [json.loads(json.dumps(m)) for m in self.channels.get(channel, [])]

    def dm_channel(self, user_id: str) -> str:
        """The D… channel conversations.open returns for a user."""
        return "D" + user_id[1:]

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _next_ts(self) -> str:
        return f"{1764064800 + next(self._ts)}.000100"

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def lose_answer(self, method: str) -> bool:
        """Whether the answer to this call is lost on the way (never, here)."""
        return False

    # -- the Web API -----------------------------------------------------------------------

    def handle_api(
        self, method: str, args: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """(HTTP status, body, extra headers) for one Web API call."""
        with self._lock:
            error = auth_error(
                method, token_of(args, headers), tokens=self.tokens, app_token=self.app_token
            )
            if error:
                return 200, {"ok": False, "error": error}, {}
            fault = self.fault(method, args)
            if fault is not None:
                return fault
            handler = getattr(self, "_m_" + method.replace(".", "_"), None)
            if handler is None:
                return 200, {"ok": False, "error": "unknown_method"}, {}
            body = handler(args)
            if body.get("ok"):
                self.answered(method, args, body)
            return 200, body, {}

    def fault(
        self, method: str, args: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        """A failure Slack might answer this call with instead (none, here)."""
        return None

    def answered(self, method: str, args: dict[str, Any], body: dict[str, Any]) -> None:
        """Told of every call Slack carried out (the shell prints what it showed)."""

    def handle_response_url(self, key: str, body: dict[str, Any]) -> tuple[int, str]:
        """What Slack does with a POST to a response_url: 'ok', or an error as plain text."""
        with self._lock:
            error, _, _ = message_problems(body)
            if error and not body.get("delete_original"):
                return 400, error
            self.responses[key].append(body)
            self.responded(key, body)
            return 200, "ok"

    def responded(self, key: str, body: dict[str, Any]) -> None:
        """Told of every response_url post Slack took (the shell prints what it showed)."""

    # -- identity and users ----------------------------------------------------------------

    def _m_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        """Socket Mode: the app token only; `socket_url` is a WebSocket server the caller
        runs (unset, the call fails with `internal_error`)."""
        if self.socket_url is None:
            return {"ok": False, "error": "internal_error"}
        return {"ok": True, "url": self.socket_url}

    def _m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://standin.slack.com/",
            "team": "Stand-in Constabulary",
            "user": "ncpi",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _m_bots_info(self, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("bot") not in (None, self.bot_id):
            return {"ok": False, "error": "bot_not_found"}
        return {
            "ok": True,
            "bot": {
                "id": self.bot_id,
                "deleted": False,
                "name": "ncpi",
                "app_id": self.app_id,
                "user_id": self.bot_user_id,
            },
        }

    def _user(self, user_id: str) -> dict[str, Any] | None:
        if user_id in self.users:
            return self.users[user_id]
        if self.strict_users or not USER_ID.match(user_id):
            return None
        return self.add_user(user_id)

    def _m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._user(str(args.get("user", "")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _m_usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        users = self.usergroups.get(str(args.get("usergroup", "")))
        if users is None:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(users)}

    def _m_users_lookupByEmail(self, args: dict[str, Any]) -> dict[str, Any]:
        email = str(args.get("email", "")).lower()
        for user in self.users.values():
            if (user["profile"].get("email") or "").lower() == email and email:
                return {"ok": True, "user": user}
        return {"ok": False, "error": "users_not_found"}
