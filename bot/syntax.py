"""Slack's own syntax in what a person types, turned into the conversation's words before
a command is dispatched (conversation/grammar.py reads those): a link as its URL, and a
mention (`<@U123|jane>`, `<@U123>`) as the conversation writes a person, `@U123`."""

from __future__ import annotations

import re

from conversation.grammar import NAMES_A_PERSON
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
    """The text of the command `name` in the conversation's words: its links read and, in a
    command that names a person (grammar.NAMES_A_PERSON: add, assign), its mentions. In
    every other command (a note, a reason) a mention is kept as it was typed, and shown
    escaped: it names nobody and pings nobody."""
    text = unwrap_links(text)
    return read_mentions(text) if name in NAMES_A_PERSON else text
