"""A Slack Web API stand-in on loopback, for tests and benchmarks.

A small threaded HTTP server that answers the Web API methods ncpi-bot uses the way Slack
does: HTTP 200 with `{"ok": false, "error": ...}` for API errors, HTTP 429 with
`Retry-After` when rate limited, `invalid_blocks` for messages over Block Kit's limits.
It records every call so tests can assert on exactly what the bot sent.

Use it from pytest (fixtures below, registered in tests/conftest.py):

    def test_something(slack_standin):
        settings = load_settings({"SLACK_API_URL": slack_standin.api_url,
                                  "SLACK_BOT_TOKEN": slack_standin.token, ...})
        ...
        call = slack_standin.wait_for("chat.postMessage")
        assert call.args["channel"] == "D0001"

or directly (benchmarks, scripts):

    with SlackStandIn() as slack:
        client = WebClient(token=slack.token, base_url=slack.api_url)

What it checks, as Slack does:
- the bearer token (Authorization header or `token` parameter): none → `not_authed`,
  unknown → `invalid_auth`;
- channel ids (`channel_not_found` for ids that are not C/G/D/U/W ids, or that a test
  listed in `unknown_channels`); `message_not_found` for chat.update of an unknown ts;
- Block Kit limits: more than 50 blocks in a message, section text over 3000 characters,
  a header over 150, more than 10 section fields or 25 action elements, a button label over
  75 → `invalid_blocks` with Slack's `[ERROR] ... [json-pointer:...]` messages in
  `response_metadata.messages`. Views (views.open/publish/update/push): more than 100
  blocks, a modal title over 24 characters and the same per-block limits → Slack answers
  those with `invalid_arguments`, and so does this stand-in.
- A message with blocks but no top-level `text` is accepted (as Slack does) but answered
  with the warning `missing_text` and recorded in `warnings()`: every message should carry
  a text fallback for notifications and screen readers.

Knobs for tests: `rate_limit_next(n, retry_after=…)` (HTTP 429 for the next n calls),
`enforce_channel_rate(per_second=1, burst=…)` (Slack's one message per second per channel,
with a burst), `fail_next(method, error)` (an `ok:false` or a 5xx for the next call of a
method), `go_down(503)` … `come_back()` (an outage: every call answers 503 and does
nothing), `lose_answer_next(method)` (the call is carried out but its answer is lost),
`add_user(...)` (members by default; guests and Slack Connect users on request),
`add_usergroup(...)`, `add_message(...)` (e.g. the user's thread reply the bot reacts
to), `reset()`.

Socket Mode: `apps.connections.open` takes only the app-level token (`app_token`, `xapp-…`;
the bot token is `not_allowed_token_type` there, and the app token everywhere else, as Slack
answers) and returns `socket_url` — set it to a WebSocket server the test runs; unset, the
call fails with `internal_error`.

Messages posted with `metadata` are stored with it; conversations.history and
conversations.replies return it when asked with `include_all_metadata=true`, as Slack does.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

TOKEN = "xoxb-standin-0000-token"
APP_TOKEN = "xapp-1-A0STANDIN-0000-standin"
TEAM_ID = "T0STANDIN"
APP_ID = "A0STANDIN"
BOT_ID = "B0STANDIN"
BOT_USER_ID = "U0NCPIBOT"

CHANNEL_ID = re.compile(r"^[CGDUW][A-Z0-9]+$")
USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
# Parameters that arrive JSON-encoded when a client sends a form.
JSON_PARAMS = ("blocks", "attachments", "view", "metadata", "files")

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
SECTION_FIELDS = 10
FIELD_TEXT = 2000
HEADER_TEXT = 150
ACTIONS_ELEMENTS = 25
CONTEXT_ELEMENTS = 10
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ID_LENGTH = 255
MODAL_TITLE = 24
MESSAGE_TEXT = 40000
PRIVATE_METADATA = 3000


@dataclass
class Call:
    """One request the stand-in received."""

    method: str  # e.g. "chat.postMessage"; "response_url" and "upload" for those endpoints
    args: dict[str, Any]  # query + form + JSON body, JSON-encoded params decoded
    headers: dict[str, str]
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)
    at: float = 0.0  # time.monotonic() when received
    path: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return self.response.get("error")


class SlackStandIn:
    """The server plus everything it has seen. Thread-safe; start() / stop() or `with`."""

    def __init__(self, *, token: str = TOKEN, host: str = "127.0.0.1", port: int = 0) -> None:
        self.token = token
        self.tokens = {token}
        self.app_token = APP_TOKEN
        self.team_id, self.app_id, self.bot_id, self.bot_user_id = (
            TEAM_ID,
            APP_ID,
            BOT_ID,
            BOT_USER_ID,
        )
        self._host, self._port = host, port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self.clock: Callable[[], float] = time.monotonic
        self.reset()

    # -- lifecycle -------------------------------------------------------------

    def start(self) -> SlackStandIn:
        standin = self

        class Handler(_Handler):
            owner = standin

        self._server = ThreadingHTTPServer((self._host, self._port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="slack-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        assert self._server is not None, "start() the stand-in first"
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
        """Settings that point a bot at this stand-in."""
        return {"SLACK_API_URL": self.api_url, "SLACK_BOT_TOKEN": self.token}

    # -- state -------------------------------------------------------------------

    def reset(self) -> None:
        """Forget every call, message, view, user and knob (between tests)."""
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
            self._failures: dict[str, list[tuple[str, int]]] = defaultdict(list)
            self._outage: tuple[int, str, frozenset[str] | None] | None = None
            self._lost: dict[str, int] = defaultdict(int)
            self._rate_limited: list[tuple[int, frozenset[str] | None]] = []
            self._channel_rate: tuple[float, float] | None = None
            self._buckets: dict[str, tuple[float, float]] = {}
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

    # -- knobs ---------------------------------------------------------------------

    def rate_limit_next(
        self, n: int = 1, *, retry_after: int = 1, methods: tuple[str, ...] | None = None
    ) -> None:
        """Answer the next `n` calls (of `methods`, or any) with HTTP 429 and Retry-After."""
        with self._lock:
            only = frozenset(methods) if methods else None
            self._rate_limited.extend([(retry_after, only)] * n)

    def enforce_channel_rate(self, per_second: float = 1.0, burst: int = 1) -> None:
        """Slack's chat.postMessage limit: about one message per second per channel, with
        short bursts tolerated. A token bucket per channel; over it → 429 + Retry-After."""
        with self._lock:
            self._channel_rate = (per_second, float(burst))
            self._buckets.clear()

    def fail_next(self, method: str, error: str = "internal_error", *, status: int = 200) -> None:
        """The next call of `method` fails: `ok:false` with `error` (status 200, as Slack
        answers API errors), or an HTTP error status (e.g. 500, 503) with that body."""
        with self._lock:
            self._failures[method].append((error, status))

    def go_down(
        self, status: int = 503, *, methods: tuple[str, ...] | None = None, html: bool = False
    ) -> None:
        """An outage: every call (of `methods`, or any) answers HTTP `status`, with Slack's
        JSON `service_unavailable` or, `html=True`, a load balancer's HTML page, and does
        nothing, until `come_back()`."""
        with self._lock:
            only = frozenset(methods) if methods else None
            self._outage = (status, "html" if html else "service_unavailable", only)

    def come_back(self) -> None:
        """The outage is over."""
        with self._lock:
            self._outage = None

    def lose_answer_next(self, method: str, n: int = 1) -> None:
        """The next `n` calls of `method` are carried out (a message is stored) but the
        answer never arrives: the connection closes without a response, as when a proxy
        or the network drops it."""
        with self._lock:
            self._lost[method] += n

    # -- reading what happened -----------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def last(self, method: str) -> Call:
        calls = self.calls_to(method)
        assert calls, f"no {method} call reached the stand-in; got {self.methods()}"
        return calls[-1]

    def methods(self) -> list[str]:
        with self._lock:
            return [c.method for c in self.calls]

    def rejected(self) -> list[Call]:
        """Calls Slack would have refused (ok:false or an HTTP error)."""
        with self._lock:
            return [c for c in self.calls if not c.ok]

    def warnings(self) -> list[tuple[str, str]]:
        with self._lock:
            return [
                (c.method, w)
                for c in self.calls
                for w in c.response.get("response_metadata", {}).get("warnings", [])
            ]

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Messages stored in a channel, oldest first (thread replies included)."""
        with self._lock:
            return [json.loads(json.dumps(m)) for m in self.channels.get(channel, [])]

    def dm_channel(self, user_id: str) -> str:
        """The D… channel conversations.open returns for a user."""
        return "D" + user_id[1:]

    def wait_for(
        self,
        method: str,
        *,
        count: int = 1,
        timeout: float = 30.0,
        where: Callable[[Call], bool] | None = None,
    ) -> Call:
        """Wait until `count` calls of `method` (matching `where`) arrived; return the last.
        Listeners reply after ack(), so what a request causes may arrive a moment later."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method and (not where or where(c))]
                if len(found) >= count:
                    return found[count - 1]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"waited {timeout}s for {count} {method} call(s), got {len(found)}; "
                        f"calls: {[c.method for c in self.calls]}"
                    )
                self._changed.wait(left)

    def wait_for_response(self, key: str = "1", *, count: int = 1, timeout: float = 30.0) -> Call:
        """Wait for what the bot POSTed to `response_url(key)`."""
        return self.wait_for(
            "response_url", count=count, timeout=timeout, where=lambda c: c.path.endswith(f"/{key}")
        )

    # -- internals -------------------------------------------------------------------

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _next_ts(self) -> str:
        return f"{1764064800 + next(self._ts)}.000100"

    def _lose_answer(self, method: str) -> bool:
        with self._lock:
            if self._lost.get(method, 0) > 0:
                self._lost[method] -= 1
                return True
            return False

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _throttle(self, method: str, args: dict[str, Any]) -> int | None:
        """Seconds to put in Retry-After if this call is rate limited, else None."""
        for i, (retry_after, only) in enumerate(self._rate_limited):
            if only is None or method in only:
                del self._rate_limited[i]
                return retry_after
        if self._channel_rate and method == "chat.postMessage":
            rate, burst = self._channel_rate
            channel = str(args.get("channel", ""))
            now = self.clock()
            tokens, last = self._buckets.get(channel, (burst, now))
            tokens = min(burst, tokens + (now - last) * rate)
            if tokens < 1:
                self._buckets[channel] = (tokens, now)
                return max(1, math.ceil((1 - tokens) / rate))
            self._buckets[channel] = (tokens - 1, now)
        return None

    def handle_api(
        self, method: str, args: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            status, body, extra = self._handle_api(method, args, headers)
        return status, body, extra

    def _handle_api(
        self, method: str, args: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        auth = headers.get("authorization", "")
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None
        token = token or args.get("token")
        if not token:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if token not in self.tokens and token != self.app_token:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        if (token == self.app_token) != (method == "apps.connections.open"):
            return 200, {"ok": False, "error": "not_allowed_token_type"}, {}
        if self._outage is not None and (self._outage[2] is None or method in self._outage[2]):
            status, error, _ = self._outage
            if error == "html":
                return status, {"_html": "<html><body>503 Service Unavailable</body></html>"}, {}
            return status, {"ok": False, "error": error}, {}
        retry_after = self._throttle(method, args)
        if retry_after is not None:
            return (
                429,
                {"ok": False, "error": "ratelimited"},
                {"Retry-After": str(retry_after)},
            )
        if self._failures.get(method):
            error, status = self._failures[method].pop(0)
            return status, {"ok": False, "error": error}, {}
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        return 200, handler(args), {}

    # -- Socket Mode ---------------------------------------------------------------------

    def _m_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if self.socket_url is None:
            return {"ok": False, "error": "internal_error"}
        return {"ok": True, "url": self.socket_url}

    # -- identity and users ------------------------------------------------------------

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

    # -- conversations -------------------------------------------------------------------

    def _channel(self, raw: Any) -> str | None:
        channel = str(raw or "")
        if not CHANNEL_ID.match(channel) or channel in self.unknown_channels:
            return None
        return self.dm_channel(channel) if USER_ID.match(channel) else channel

    def _m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = [u for u in str(args.get("users", "")).split(",") if u]
        if not users and args.get("channel"):
            channel = self._channel(args["channel"])
            if channel is None:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": {"id": channel}}
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        if any(self._user(u) is None for u in users):
            return {"ok": False, "error": "user_not_found"}
        channel = self.dm_channel(users[0]) if len(users) == 1 else self._next_id("G")
        return {"ok": True, "channel": {"id": channel, "is_im": len(users) == 1}}

    def _public(self, message: dict[str, Any], with_metadata: bool) -> dict[str, Any]:
        out = json.loads(json.dumps(message))
        if not with_metadata:
            out.pop("metadata", None)
        return out

    def _m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        meta = _truthy(args.get("include_all_metadata"))
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or math.inf)
        limit = int(args.get("limit") or 100)
        top = [
            m
            for m in self.channels.get(channel, [])
            if m.get("thread_ts") in (None, m["ts"]) and oldest < float(m["ts"]) < latest
        ]
        top = list(reversed(top))[:limit]  # newest first, as Slack answers
        return {
            "ok": True,
            "messages": [self._public(m, meta) for m in top],
            "has_more": False,
            "response_metadata": {"next_cursor": ""},
        }

    def _m_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        ts = str(args.get("ts", ""))
        meta = _truthy(args.get("include_all_metadata"))
        stored = self.channels.get(channel, [])
        parent = [m for m in stored if m["ts"] == ts]
        if not parent:
            return {"ok": False, "error": "thread_not_found"}
        replies = [m for m in stored if m.get("thread_ts") == ts and m["ts"] != ts]
        return {
            "ok": True,
            "messages": [self._public(m, meta) for m in parent + replies],
            "has_more": False,
            "response_metadata": {"next_cursor": ""},
        }

    # -- chat ----------------------------------------------------------------------------

    def _message_problems(self, args: dict[str, Any]) -> tuple[str | None, list[str], list[str]]:
        """(error, messages, warnings) for a message payload, the way Slack judges it."""
        text, blocks = args.get("text"), args.get("blocks")
        if not text and not blocks and not args.get("attachments"):
            return "no_text", [], []
        if text and len(str(text)) > MESSAGE_TEXT:
            return "msg_too_long", [], []
        problems = check_blocks(blocks, limit=MESSAGE_BLOCKS, pointer="/blocks") if blocks else []
        if problems:
            return "invalid_blocks", problems, []
        return None, [], ([] if text or not blocks else ["missing_text"])

    def _answer_problems(self, error: str, messages: list[str]) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error": error}
        if messages:
            body["response_metadata"] = {"messages": messages}
        return body

    def _with_warnings(self, body: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
        if warnings:
            body["warning"] = ",".join(warnings)
            body["response_metadata"] = {"warnings": warnings}
        return body

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        error, problems, warnings = self._message_problems(args)
        if error:
            return self._answer_problems(error, problems)
        message: dict[str, Any] = {
            "type": "message",
            "subtype": "bot_message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": args.get("text") or "",
            "ts": self._next_ts(),
        }
        for key in ("blocks", "attachments", "metadata"):
            if args.get(key):
                message[key] = args[key]
        if args.get("thread_ts"):
            message["thread_ts"] = str(args["thread_ts"])
        self.channels[channel].append(message)
        return self._with_warnings(
            {"ok": True, "channel": channel, "ts": message["ts"], "message": dict(message)},
            warnings,
        )

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        ts = str(args.get("ts", ""))
        found = [m for m in self.channels.get(channel, []) if m["ts"] == ts]
        if not found:
            return {"ok": False, "error": "message_not_found"}
        if found[0].get("user") != self.bot_user_id:
            return {"ok": False, "error": "cant_update_message"}
        error, problems, warnings = self._message_problems(args)
        if error:
            return self._answer_problems(error, problems)
        message = found[0]
        message["text"] = args.get("text") or ""
        for key in ("blocks", "attachments", "metadata"):
            if key in args:
                message[key] = args[key]
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return self._with_warnings(
            {"ok": True, "channel": channel, "ts": ts, "text": message["text"]}, warnings
        )

    def _m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not args.get("user") or self._user(str(args["user"])) is None:
            return {"ok": False, "error": "user_not_in_channel"}
        error, problems, warnings = self._message_problems(args)
        if error:
            return self._answer_problems(error, problems)
        ts = self._next_ts()
        self.ephemeral.append({**args, "channel": channel, "message_ts": ts})
        return self._with_warnings({"ok": True, "message_ts": ts}, warnings)

    def _m_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        ts = str(args.get("message_ts", ""))
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://standin.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }

    # -- reactions ------------------------------------------------------------------------

    def _m_reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        name, ts = str(args.get("name", "")), str(args.get("timestamp", ""))
        if not name:
            return {"ok": False, "error": "invalid_name"}
        if not ts:
            return {"ok": False, "error": "no_item_specified"}
        reaction = {"channel": channel, "timestamp": ts, "name": name}
        if reaction in self.reactions:
            return {"ok": False, "error": "already_reacted"}
        self.reactions.append(reaction)
        return {"ok": True}

    # -- views ------------------------------------------------------------------------------

    def _view_problems(self, view: Any) -> list[str]:
        if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
            return ["[ERROR] must be a valid view type [json-pointer:/view/type]"]
        problems = check_blocks(view.get("blocks") or [], limit=VIEW_BLOCKS, pointer="/view/blocks")
        if view["type"] == "modal":
            for key in ("title", "submit", "close"):
                text = (view.get(key) or {}).get("text", "")
                if key == "title" and not text:
                    problems.append("[ERROR] missing required field: title [json-pointer:/view]")
                if len(text) > MODAL_TITLE:
                    problems.append(
                        f"[ERROR] must be less than {MODAL_TITLE + 1} characters "
                        f"[json-pointer:/view/{key}/text]"
                    )
        if len(view.get("private_metadata") or "") > PRIVATE_METADATA:
            problems.append(
                f"[ERROR] must be less than {PRIVATE_METADATA + 1} characters "
                "[json-pointer:/view/private_metadata]"
            )
        if len(view.get("callback_id") or "") > ID_LENGTH:
            problems.append(
                f"[ERROR] must be less than {ID_LENGTH + 1} characters "
                "[json-pointer:/view/callback_id]"
            )
        return problems

    def _store_view(self, view: dict[str, Any], view_id: str | None = None) -> dict[str, Any]:
        view_id = view_id or self._next_id("V")
        stored = {
            **view,
            "id": view_id,
            "team_id": self.team_id,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            "hash": f"{time.time():.6f}.{next(self._ids)}",
            "state": {"values": {}},
        }
        self.views[view_id] = stored
        return stored

    def _m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = str(args.get("trigger_id") or "")
        if not trigger:
            return {"ok": False, "error": "invalid_trigger_id"}
        if trigger in self.expired_triggers:
            return {"ok": False, "error": "expired_trigger_id"}
        problems = self._view_problems(args.get("view"))
        if problems:
            return self._answer_problems("invalid_arguments", problems)
        return {"ok": True, "view": self._store_view(args["view"])}

    _m_views_push = _m_views_open

    def _m_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = args.get("view_id")
        if not view_id and args.get("external_id"):
            view_id = next(
                (k for k, v in self.views.items() if v.get("external_id") == args["external_id"]),
                None,
            )
        if not view_id or view_id not in self.views:
            return {"ok": False, "error": "not_found"}
        if args.get("hash") and args["hash"] != self.views[view_id]["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        problems = self._view_problems(args.get("view"))
        if problems:
            return self._answer_problems("invalid_arguments", problems)
        return {"ok": True, "view": self._store_view(args["view"], view_id)}

    def _m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("user_id") or "")
        if self._user(user) is None:
            return {"ok": False, "error": "user_not_found"}
        view = args.get("view")
        if isinstance(view, dict) and view.get("type") != "home":
            return self._answer_problems(
                "invalid_arguments", ["[ERROR] must be home [json-pointer:/view/type]"]
            )
        problems = self._view_problems(view)
        if problems:
            return self._answer_problems("invalid_arguments", problems)
        stored = self._store_view(view)
        self.home[user] = stored
        return {"ok": True, "view": stored}

    # -- files (files_upload_v2) -------------------------------------------------------------

    def _m_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = self._next_id("F")
        self.files[file_id] = {
            "id": file_id,
            "name": args["filename"],
            "length": int(args["length"]),
            "content": None,
        }
        return {"ok": True, "upload_url": f"{self.root_url}/upload/{file_id}", "file_id": file_id}

    def upload(self, file_id: str, data: bytes) -> tuple[int, str]:
        with self._lock:
            if file_id not in self.files:
                return 404, "file not found"
            self.files[file_id]["content"] = data
            return 200, f"OK - {len(data)}"

    def _m_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files") or []
        if not files or any(f.get("id") not in self.files for f in files):
            return {"ok": False, "error": "file_not_found"}
        if any(self.files[f["id"]]["content"] is None for f in files):
            return {"ok": False, "error": "file_upload_not_completed"}  # step 2 was skipped
        channel = None
        if args.get("channel_id"):
            channel = self._channel(args["channel_id"])
            if channel is None:
                return {"ok": False, "error": "channel_not_found"}
        out = []
        for f in files:
            stored = self.files[f["id"]]
            stored.update(
                title=f.get("title") or stored["name"],
                channel=channel,
                initial_comment=args.get("initial_comment"),
                thread_ts=args.get("thread_ts"),
            )
            out.append({"id": stored["id"], "name": stored["name"], "title": stored["title"]})
        if channel:
            message = {
                "type": "message",
                "user": self.bot_user_id,
                "text": args.get("initial_comment") or "",
                "files": out,
                "ts": self._next_ts(),
            }
            if args.get("thread_ts"):
                message["thread_ts"] = str(args["thread_ts"])
            self.channels[channel].append(message)
        return {"ok": True, "files": out}

    # -- response_url -----------------------------------------------------------------------

    def handle_response_url(self, key: str, body: dict[str, Any]) -> tuple[int, str]:
        """What Slack does with a POST to a response_url: 'ok', or an error as plain text."""
        with self._lock:
            error, _, _ = self._message_problems(body)
            if error and not body.get("delete_original"):
                return 400, error
            self.responses[key].append(body)
            return 200, "ok"


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _text_len(obj: Any) -> int:
    return len(obj.get("text", "")) if isinstance(obj, dict) else 0


def check_blocks(blocks: Any, *, limit: int, pointer: str) -> list[str]:
    """Slack's Block Kit limits, as `[ERROR] ... [json-pointer:...]` messages (empty if fine)."""
    if not isinstance(blocks, list):
        return [f"[ERROR] must provide an array [json-pointer:{pointer}]"]
    problems: list[str] = []

    def too_long(at: str, n: int) -> None:
        problems.append(f"[ERROR] must be less than {n + 1} characters [json-pointer:{at}]")

    def too_many(at: str, n: int) -> None:
        problems.append(f"[ERROR] no more than {n} items allowed [json-pointer:{at}]")

    if len(blocks) > limit:
        too_many(pointer, limit)
    for i, block in enumerate(blocks):
        at = f"{pointer}/{i}"
        if not isinstance(block, dict) or "type" not in block:
            problems.append(f"[ERROR] missing required field: type [json-pointer:{at}]")
            continue
        if len(block.get("block_id") or "") > ID_LENGTH:
            too_long(f"{at}/block_id", ID_LENGTH)
        kind = block["type"]
        if kind == "section":
            if "text" not in block and "fields" not in block:
                problems.append(f"[ERROR] must provide text or fields [json-pointer:{at}]")
            if _text_len(block.get("text")) > SECTION_TEXT:
                too_long(f"{at}/text/text", SECTION_TEXT)
            fields = block.get("fields") or []
            if len(fields) > SECTION_FIELDS:
                too_many(f"{at}/fields", SECTION_FIELDS)
            for j, f in enumerate(fields):
                if _text_len(f) > FIELD_TEXT:
                    too_long(f"{at}/fields/{j}/text", FIELD_TEXT)
            if block.get("accessory"):
                _check_element(block["accessory"], f"{at}/accessory", too_long)
        elif kind == "header":
            text = block.get("text") or {}
            if text.get("type") != "plain_text":
                problems.append(f"[ERROR] must be plain_text [json-pointer:{at}/text/type]")
            if _text_len(text) > HEADER_TEXT:
                too_long(f"{at}/text/text", HEADER_TEXT)
        elif kind == "actions":
            elements = block.get("elements") or []
            if len(elements) > ACTIONS_ELEMENTS:
                too_many(f"{at}/elements", ACTIONS_ELEMENTS)
            for j, e in enumerate(elements):
                _check_element(e, f"{at}/elements/{j}", too_long)
        elif kind == "context":
            if len(block.get("elements") or []) > CONTEXT_ELEMENTS:
                too_many(f"{at}/elements", CONTEXT_ELEMENTS)
        elif kind == "input":
            if _text_len(block.get("label")) > FIELD_TEXT:
                too_long(f"{at}/label/text", FIELD_TEXT)
    return problems


def _check_element(element: Any, at: str, too_long: Callable[[str, int], None]) -> None:
    if not isinstance(element, dict):
        return
    if len(element.get("action_id") or "") > ID_LENGTH:
        too_long(f"{at}/action_id", ID_LENGTH)
    if element.get("type") == "button":
        if _text_len(element.get("text")) > BUTTON_TEXT:
            too_long(f"{at}/text/text", BUTTON_TEXT)
        if len(element.get("value") or "") > BUTTON_VALUE:
            too_long(f"{at}/value", BUTTON_VALUE)


class _Handler(BaseHTTPRequestHandler):
    owner: SlackStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch()

    def _dispatch(self) -> None:
        owner = self.owner
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        call = Call(method="", args={}, headers=headers, at=owner.clock(), path=parts.path)
        if parts.path.startswith("/api/"):
            call.method = parts.path.removeprefix("/api/")
            call.args = _parse_args(parts.query, raw, headers.get("content-type", ""))
            call.status, call.response, extra = owner.handle_api(call.method, call.args, headers)
            if owner._lose_answer(call.method):
                call.response["lost"] = True
                owner._record(call)
                self.close_connection = True  # carried out; the answer never arrives
                return
            owner._record(call)
            if "_html" in call.response:
                self._send(call.status, call.response["_html"].encode(), "text/html", extra)
                return
            self._send(call.status, json.dumps(call.response).encode(), "application/json", extra)
        elif parts.path.startswith("/response/"):
            call.method = "response_url"
            try:
                call.args = json.loads(raw or b"{}")
            except ValueError:
                call.args = {"_raw": raw.decode("utf-8", "replace")}
            status, text = owner.handle_response_url(parts.path.rsplit("/", 1)[1], call.args)
            call.status, call.response = status, {"ok": status == 200, "text": text}
            owner._record(call)
            self._send(status, text.encode(), "text/plain", {})
        elif parts.path.startswith("/upload/"):
            call.method = "upload"
            call.args = {"bytes": len(raw)}
            status, text = owner.upload(parts.path.rsplit("/", 1)[1], raw)
            call.status, call.response = status, {"ok": status == 200}
            owner._record(call)
            self._send(status, text.encode(), "text/plain", {})
        else:
            self._send(404, b"not found", "text/plain", {})

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


def _parse_args(query: str, raw: bytes, content_type: str) -> dict[str, Any]:
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if raw and content_type.startswith("application/json"):
        body = json.loads(raw)
        if isinstance(body, dict):
            args.update(body)
    elif raw:
        args.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    for key in JSON_PARAMS:
        if isinstance(args.get(key), str) and args[key][:1] in ("[", "{"):
            try:
                args[key] = json.loads(args[key])
            except ValueError:
                pass
    return args


# -- pytest fixtures (registered in tests/conftest.py) ----------------------------------------


@pytest.fixture(scope="session")
def slack_standin_server() -> Iterator[SlackStandIn]:
    """One stand-in for the whole run (module-scoped servers point at it)."""
    with SlackStandIn() as standin:
        yield standin


@pytest.fixture
def slack_standin(slack_standin_server: SlackStandIn) -> SlackStandIn:
    """The stand-in, emptied for this test."""
    slack_standin_server.reset()
    return slack_standin_server
