"""A change held back by the guardrail, carried in a button value or private_metadata until
its author confirms it. Nothing is stored in the database before then."""

from __future__ import annotations

import base64
import json
import zlib

from bot.views.common import MAX_BUTTON_VALUE


def encode(op: dict, *, limit: int = MAX_BUTTON_VALUE) -> str | None:
    """The change as a compact string under `limit` characters (None: too long to carry)."""
    raw = json.dumps(op, separators=(",", ":"), ensure_ascii=False)
    if len(raw) + 2 <= limit:
        return "j:" + raw
    packed = "z:" + base64.urlsafe_b64encode(zlib.compress(raw.encode(), 9)).decode()
    return packed if len(packed) <= limit else None


def decode(value: str) -> dict:
    if value.startswith("j:"):
        return json.loads(value[2:])
    if value.startswith("z:"):
        return json.loads(zlib.decompress(base64.urlsafe_b64decode(value[2:].encode())))
    raise ValueError("not a held change")
