"""A change held back by the guardrail, carried in a button value or private_metadata until
its author confirms it. Nothing is stored in the database before then.

The value carries what the author chose and nothing else: the operation, its arguments as
they gave them (the ref, the note as typed), and ids: the thread message to mark once the
note is saved, the message or Home a form came from. Who confirms is the request's user,
where the change came from is the confirming listener's to say (bot/values.py), and the
operation's checks all run again. A value is bounded before it is unpacked: one that is
longer than Slack carries, unpacks to more than a held change can hold, or is not a change
this bot writes is refused whole (`values.BadValue`), its text never repeated.
"""

from __future__ import annotations

import base64
import binascii
import inspect
import json
import zlib
from dataclasses import dataclass
from functools import cache

from bot.values import MAX_METADATA, SLACK_HOOKS, BadValue, Origin, message_id, origin
from bot.views.common import MAX_BUTTON_VALUE
from conversation.run import OPS

# The most a held change unpacks to: its note (3,000 characters, up to 4 bytes each in
# UTF-8, escaped in JSON) and the rest, with room to spare; a packed value holds 3,000
# characters at most, so only a value this bot did not write unpacks to more.
MAX_UNPACKED = 32 * 1024


@dataclass(frozen=True)
class Held:
    op: str
    args: dict[str, str | bool | None]
    react: tuple[str, str] | None = None  # the thread message to mark once it is saved
    origin: Origin | None = None  # where the form that held it came from


def encode(held: Held, *, limit: int = MAX_BUTTON_VALUE) -> str | None:
    """The change as a compact string under `limit` characters (None: too long to carry)."""
    data: dict = {"op": held.op, "args": held.args}
    if held.react:
        data["react"] = list(held.react)
    if held.origin:
        data["origin"] = held.origin.as_value()
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    if len(raw) + 2 <= limit:
        return "j:" + raw
    packed = "z:" + base64.urlsafe_b64encode(zlib.compress(raw.encode(), 9)).decode()
    return packed if len(packed) <= limit else None


def decode(
    value: object, *, channel: str | None = None, hooks: tuple[str, ...] = (SLACK_HOOKS,)
) -> Held:
    """The change a value carries, checked: an operation this bot has, with arguments it
    takes; a message to mark only in `channel` (the conversation the click came from)."""
    if not isinstance(value, str) or len(value) > MAX_METADATA:
        raise BadValue("a held change longer than Slack carries")
    if value.startswith("j:"):
        raw = value[2:].encode()
    elif value.startswith("z:"):
        raw = _unpack(value[2:])
    else:
        raise BadValue("a value that is not a held change")
    if len(raw) > MAX_UNPACKED:
        raise BadValue("a held change larger than one can be")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise BadValue("a held change that is not JSON") from None
    if not isinstance(data, dict):
        raise BadValue("a held change that is not an object")
    op, args = data.get("op"), data.get("args")
    if not isinstance(op, str) or op not in OPS:
        raise BadValue("a held change naming no operation this bot has")
    if not isinstance(args, dict):
        raise BadValue("a held change with no arguments")
    takes, needs = _parameters(op)
    if not set(args) <= takes or not needs <= set(args):
        raise BadValue("a held change with arguments its operation does not take")
    if not all(v is None or isinstance(v, (str, bool)) for v in args.values()):
        raise BadValue("a held change with an argument that is not text")
    react = data.get("react")
    return Held(
        op=op,
        args=args,
        react=None if react is None else message_id(react, channel=channel),
        origin=origin(data.get("origin"), hooks=hooks),
    )


def _unpack(text: str) -> bytes:
    """Inflate at most MAX_UNPACKED + 1 bytes: a value that would unpack to more is refused
    without unpacking the rest."""
    try:
        packed = base64.urlsafe_b64decode(text.encode("ascii"))
        inflate = zlib.decompressobj()
        raw = inflate.decompress(packed, MAX_UNPACKED + 1)
    except (ValueError, binascii.Error, zlib.error):
        raise BadValue("a packed value that does not unpack") from None
    if len(raw) > MAX_UNPACKED or inflate.unconsumed_tail:
        raise BadValue("a held change larger than one can be")
    return raw


@cache
def _parameters(op: str) -> tuple[frozenset[str], frozenset[str]]:
    """The keyword arguments an operation takes, and those it must be given."""
    params = [p for p in inspect.signature(OPS[op]).parameters.values() if p.kind is p.KEYWORD_ONLY]
    return (
        frozenset(p.name for p in params),
        frozenset(p.name for p in params if p.default is p.empty),
    )
