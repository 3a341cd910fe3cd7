"""A Slack Web API stand-in on loopback, for tests and benchmarks: the shell's strict
workspace (`bot/shell/workspace.py`, which answers and refuses as Slack does, with the
rules in `bot/slack_rules.py`) plus the ways Slack fails: HTTP 429 with `Retry-After`,
5xx, outages, `ok:false` on demand, answers lost on the way. It records every call so
tests can assert on exactly what the bot sent.

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

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.shell.workspace import (
    APP_ID,
    APP_TOKEN,
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    TOKEN,
    Call,
    Workspace,
)

__all__ = ["APP_ID", "APP_TOKEN", "BOT_ID", "BOT_USER_ID", "TEAM_ID", "TOKEN", "Call"]
__all__ += ["SlackStandIn"]


class SlackStandIn(Workspace):
    """The strict workspace with Slack's failures on demand. Thread-safe; `with` or
    start() / stop()."""

    def reset(self) -> None:
        """Forget every call, message, view, user and knob (between tests)."""
        with self._lock:
            super().reset()
            self._failures: dict[str, list[tuple[str, int]]] = defaultdict(list)
            self._outage: tuple[int, str, frozenset[str] | None] | None = None
            self._lost: dict[str, int] = defaultdict(int)
            self._rate_limited: list[tuple[int, frozenset[str] | None]] = []
            self._channel_rate: tuple[float, float] | None = None
            self._buckets: dict[str, tuple[float, float]] = {}

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

    # -- the failures ------------------------------------------------------------------

    def lose_answer(self, method: str) -> bool:
        with self._lock:
            if self._lost.get(method, 0) > 0:
                self._lost[method] -= 1
                return True
            return False

    def fault(
        self, method: str, args: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        if self._outage is not None and (self._outage[2] is None or method in self._outage[2]):
            status, error, _ = self._outage
            if error == "html":
                return status, {"_html": "<html><body>503 Service Unavailable</body></html>"}, {}
            return status, {"ok": False, "error": error}, {}
        retry_after = self._throttle(method, args)
        if retry_after is not None:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        if self._failures.get(method):
            error, status = self._failures[method].pop(0)
            return status, {"ok": False, "error": error}, {}
        return None

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
