"""What buttons and forms bring back: a button's value and a form's private_metadata.

Slack signs the request, but the values in it are whatever the client sent, so they are
read as untrusted input. They carry only ids (an action's ref, the message a form came
from) and what the user chose; who is acting is the signed request's user, where a change
came from is the listener's to say, and everything else is looked up. A value longer than
Slack carries, or not in the shape this bot writes, is refused whole with `BadValue`, and
its text is never repeated: not to the user, not in a log line, not in an exception.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bot.views.common import MAX_BUTTON_VALUE
from models.errors import UsageError

MAX_METADATA = 3000  # Slack's limit on a view's private_metadata
CHANNEL = re.compile(r"^[A-Z][A-Z0-9]{1,30}$")
TS = re.compile(r"^\d{1,12}\.\d{1,8}$")
CODE = re.compile(r"^\S{1,40}$")  # an inspection's code (`NCPI`): one word, 40 at most
REF_LENGTH = 60  # far longer than any ref (`NCPI:AFI12.3`); the domain checks the rest

REFUSED = (
    "That button or form was not one this bot made, or it has been changed, so nothing "
    "was saved. Run the command again to get a fresh one."
)


class BadValue(UsageError):
    """A button value or form metadata this bot did not write. The message never quotes it."""

    def __init__(self, why: str) -> None:
        super().__init__(REFUSED)
        self.why = why  # one of the fixed phrases here, for the log line; never the value


@dataclass(frozen=True)
class Origin:
    """The message (channel and ts) or App Home a form was opened from; for an ephemeral
    message, which only its click's response_url can change, that URL and the view the row
    was part of (`row`: "mine" or "show") instead."""

    channel: str | None = None
    ts: str | None = None
    home: bool = False
    url: str | None = None
    row: str | None = None

    def as_value(self) -> dict:
        if self.url:
            return {"url": self.url, "row": self.row}
        return {"ch": self.channel, "ts": self.ts, "home": self.home}


SLACK_HOOKS = "https://hooks.slack.com/"
ROWS = ("mine", "show")


def hooks_for(api_url: str) -> tuple[str, ...]:
    """Where a response_url may point: Slack's hooks, or the Slack this bot is set to talk
    to (SLACK_API_URL's scheme, host and port: a stand-in), never anywhere else."""
    m = re.match(r"^(https?://[^/]+)/", api_url)
    return (SLACK_HOOKS, f"{m.group(1)}/") if m else (SLACK_HOOKS,)


@dataclass(frozen=True)
class Metadata:
    ref: str | None = None
    origin: Origin | None = None
    held: str | None = None


def button_value(action: dict, *, limit: int = MAX_BUTTON_VALUE) -> str:
    """A button's value, a string no longer than Slack lets a button carry."""
    value = action.get("value")
    if not isinstance(value, str):
        raise BadValue("a button with no value")
    if len(value) > limit:
        raise BadValue("a button value longer than Slack carries")
    return value


def ref(action: dict) -> str:
    """The action a button is about: its ref, as short as a ref is. The domain looks it up."""
    return button_value(action, limit=REF_LENGTH)


PANEL_REC = re.compile(r"^(\d{1,12})(?:\|((?:R|AFI|C)\d{1,4}))?$")


def panel_and_rec(value: str | None) -> tuple[int, str | None]:
    """What a review button or form carries: a panel meeting's id, and an item's ref
    (`12|R2`, `12|AFI3`), both looked up by the domain."""
    m = PANEL_REC.match(value or "")
    if not m:
        raise BadValue("a review button or form that names no panel")
    return int(m.group(1)), m.group(2)


def metadata(view: dict, *, hooks: tuple[str, ...] = (SLACK_HOOKS,)) -> Metadata:
    """A form's private_metadata, as this bot wrote it: `{"ref", "origin", "held"}`."""
    raw = view.get("private_metadata") or "{}"
    if not isinstance(raw, str) or len(raw) > MAX_METADATA:
        raise BadValue("form metadata longer than Slack carries")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise BadValue("form metadata that is not JSON") from None
    if not isinstance(data, dict):
        raise BadValue("form metadata that is not an object")
    return Metadata(
        ref=_text(data.get("ref"), REF_LENGTH, "a form's ref"),
        origin=origin(data.get("origin"), hooks=hooks),
        held=_text(data.get("held"), MAX_METADATA, "a form's held change"),
    )


def origin(value: object, *, hooks: tuple[str, ...] = (SLACK_HOOKS,)) -> Origin | None:
    """Where a form came from: a channel id and message ts, App Home, or an ephemeral
    message's response_url on Slack's own hooks; nothing else."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadValue("an origin that is not an object")
    if "url" in value:
        url, row = value.get("url"), value.get("row")
        if not (isinstance(url, str) and len(url) <= 500 and url.startswith(hooks)):
            raise BadValue("an origin whose response_url is not Slack's")
        if row is not None and row not in ROWS:
            raise BadValue("an origin whose row is not a view the bot draws")
        return Origin(url=url, row=row)
    channel, ts, home = value.get("ch"), value.get("ts"), value.get("home", False)
    if channel is not None and not (isinstance(channel, str) and CHANNEL.match(channel)):
        raise BadValue("an origin whose channel is not a channel id")
    if ts is not None and not (isinstance(ts, str) and TS.match(ts)):
        raise BadValue("an origin whose ts is not a message ts")
    if not isinstance(home, bool):
        raise BadValue("an origin whose home is not true or false")
    return Origin(channel, ts, home)


def message_id(value: object, *, channel: str | None) -> tuple[str, str]:
    """A message in the conversation the click came from: `[channel, ts]`."""
    if not (isinstance(value, (list, tuple)) and len(value) == 2):
        raise BadValue("a message id that is not a channel and a ts")
    ch, ts = value
    if not (isinstance(ch, str) and CHANNEL.match(ch) and isinstance(ts, str) and TS.match(ts)):
        raise BadValue("a message id that is not a channel and a ts")
    if channel is not None and ch != channel:
        raise BadValue("a message id in another conversation")
    return ch, ts


def _text(value: object, limit: int, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise BadValue(f"{what} that is not a short string")
    return value
