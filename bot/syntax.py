"""Slack's own syntax in what a person types, turned into the conversation's words before
a command is dispatched (conversation/grammar.py reads those): a link as its URL, and a
mention (`<@U123|jane>`, `<@U123>`) as the conversation writes a person, `@U123`."""

from __future__ import annotations

import re

from models.people import USER_ID

SLACK_MENTION = re.compile(rf"<@({USER_ID.pattern})(?:\|[^>]*)?>")
SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")


def unwrap_links(text: str) -> str:
    """Slack sends a typed link as `<https://…>` (or `<https://…|label>`): keep the URL, so
    it is stored as written and shows as a link again when escaped into a message."""
    return SLACK_LINK.sub(r"\1", text)


def read_mentions(text: str) -> str:
    """Each Slack mention in `text` as the conversation writes a person: `@U123`."""
    return SLACK_MENTION.sub(r"@\1", text)


def conversation_words(name: str, text: str) -> str:
    """What Slack sent, for the command `name` or a thread note, in the conversation's words:
    links as their URL, mentions as `@U123`, the same in every command. A person named in a
    note is stored as the conversation names one, so the paper can print their name and no
    message echoing the note pings them."""
    return read_mentions(unwrap_links(text))
