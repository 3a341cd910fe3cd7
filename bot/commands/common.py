"""What every `/ncpi` command shares in Slack: a person and a link as Slack writes them,
and running a change (rendered as Slack shows it). The grammar's own words (each command's
forms, reading a ref or a date, the refusals) are conversation/grammar.py's."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot import render
from bot.reply import Reply
from conversation.commands import change
from conversation.grammar import Command
from models.errors import UsageError
from models.people import USER_ID

if TYPE_CHECKING:
    from bot.deps import Deps


# A person as Slack writes them in a command: `<@U123|name>` or `<@U123>` (escaped
# mentions), or typed as the bare id, with or without its @.
MENTION = re.compile(rf"^<@({USER_ID.pattern})(?:\|[^>]*)?>$")
BARE_USER = re.compile(rf"^@?({USER_ID.pattern})$")


def parse_user(text: str) -> str:
    """A person written in a command → their user id."""
    text = text.strip()
    m = MENTION.match(text) or BARE_USER.match(text)
    if not m:
        raise UsageError(f"`{text}` is not a person. Mention them with @, e.g. owner:@jane.smith.")
    return m.group(1)


SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
FREE_TEXT = ("note", "evidence", "reason", "title", "value")


def unwrap_links(text: str) -> str:
    """Slack sends a typed link as `<https://…>` (or `<https://…|label>`): keep the URL, so
    it is stored as written and shows as a link again when escaped into a message."""
    return SLACK_LINK.sub(r"\1", text)


def _change(deps: Deps, cmd: Command, op: str, **args: object) -> Reply:
    for name in FREE_TEXT:
        if isinstance(args.get(name), str):
            args[name] = unwrap_links(args[name])
    return render.reply(change(deps, cmd, op, **args))
