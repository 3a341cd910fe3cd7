"""The `/ncpi` commands that name a person, as Slack writes them (`<@U…>`): add and assign.
Every other change is the conversation's (conversation/commands/)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot import render
from bot.commands.common import _change, parse_user
from bot.reply import Reply
from conversation.commands.changing import add_form
from conversation.grammar import Command, day_of, how, leading_ref
from models.errors import UsageError

if TYPE_CHECKING:
    from bot.deps import Deps

OWNER_ARG = re.compile(r"\bowner:\s*(<@[^>]+>|\S+)", re.IGNORECASE)
DUE_ARG = re.compile(r"\bdue:\s*(.+?)\s*$", re.IGNORECASE)


def _add(deps: Deps, cmd: Command, rest: str) -> Reply:
    owner = due = None
    m = OWNER_ARG.search(rest)
    if m:
        try:
            owner = parse_user(m.group(1))
        except UsageError as e:
            raise how("add", e.message) from None
        rest = (rest[: m.start()] + rest[m.end() :]).strip()
    m = DUE_ARG.search(rest)
    if m:
        due = day_of("add", m.group(1), deps.clock.today())
        rest = rest[: m.start()].strip()
    rec, title = (None, "")
    if rest:
        rec, title = leading_ref("add", rest, want="recommendation")
    if rec and title and owner and due:
        return _change(deps, cmd, "add", rec=rec, title=title, owner=owner, due=due.isoformat())
    form = add_form(deps, cmd.actor, rec=rec, title=title or None, owner=owner, due=due)
    return render.form_reply(form)


def _assign(deps: Deps, cmd: Command, rest: str) -> Reply:
    ref, tail = leading_ref("assign", rest, want="action")
    who, _, note = tail.partition(" ")
    if not who:
        raise how("assign", "Say who should own it.")
    try:
        owner = parse_user(who)
    except UsageError as e:
        raise how("assign", e.message) from None
    return _change(deps, cmd, "assign", ref=ref, owner=owner, note=note.strip() or None)
