"""The `/ncpi` commands that change an action or a recommendation, or say who is away:
update, note, done, verify, return, away, back, add, assign, due, signoff, reopen."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from bot.commands.common import _change, parse_user
from bot.reply import Reply
from bot.views.modals import add_modal, implemented_modal, return_modal, update_modal
from conversation.grammar import Command, day_of, day_then, how, leading_ref, usage
from models import service
from models.errors import UsageError
from models.parsing import STATUS_WORDS, date_help, parse_ref, split_status

if TYPE_CHECKING:
    from bot.deps import Deps

OWNER_ARG = re.compile(r"\bowner:\s*(<@[^>]+>|\S+)", re.IGNORECASE)
DUE_ARG = re.compile(r"\bdue:\s*(.+?)\s*$", re.IGNORECASE)


def _update(deps: Deps, cmd: Command, rest: str) -> Reply:
    if not rest:
        today = deps.clock.today()
        with deps.db.read() as session:
            if service.is_lead(session, cmd.actor):
                choices = [
                    a
                    for code in service.tracked_codes(session)
                    for a in service.summary(session, today=today, inspection=code).open_actions
                    if a.status != "implemented"
                ]
            else:
                choices = [
                    a
                    for a in service.my_actions(session, actor=cmd.actor, today=today)
                    if a.is_open
                ]
        return Reply(text="Opening the update form", modal=update_modal(None, choices))
    ref, tail = leading_ref("update", rest, want="action")
    if not tail:
        v = action_for_change(deps, cmd.actor, ref)
        return Reply(text=f"Opening the update form for {ref}", modal=update_modal(v))
    try:
        status, note = split_status(tail)
    except UsageError as e:
        if _looks_like_a_status(tail):  # `ontrak`: a mistyped status, not a note
            raise how("update", f"{e.message} A note on its own: `/ncpi note {ref} …`.") from None
        # No status word: a note on its own, the status left as it is.
        return _change(deps, cmd, "update", ref=ref, status=None, note=tail)
    if status == "implemented":
        return _change(deps, cmd, "done", ref=ref, evidence=note or None)
    return _change(deps, cmd, "update", ref=ref, status=str(status), note=note or None)


def _looks_like_a_status(text: str) -> bool:
    words = text.lower().split()
    heads = [" ".join(words[:n]) for n in (1, 2) if len(words) >= n]
    return any(difflib.get_close_matches(h, STATUS_WORDS, n=1, cutoff=0.8) for h in heads)


def _note(deps: Deps, cmd: Command, rest: str) -> Reply:
    ref, note = leading_ref("note", rest, want="action")
    if not note:
        raise how("note", "The note is missing.")
    return _change(deps, cmd, "update", ref=ref, status=None, note=note)


def action_for_change(
    deps: Deps, actor: str, ref: str, *, lead_only: str | None = None
) -> service.ActionView:
    """The action, if `actor` may change it (the rule is service.action_for_change's)."""
    with deps.db.read() as session:
        return service.action_for_change(
            session, ref=ref, actor=actor, today=deps.clock.today(), lead_only=lead_only
        )


def _done(deps: Deps, cmd: Command, rest: str) -> Reply:
    ref, evidence = leading_ref("done", rest, want="action")
    if not evidence:
        v = action_for_change(deps, cmd.actor, ref)
        return Reply(text=f"Opening the form to mark {ref} implemented", modal=implemented_modal(v))
    return _change(deps, cmd, "done", ref=ref, evidence=evidence)


def _verify(deps: Deps, cmd: Command, rest: str) -> Reply:
    ref, note = leading_ref("verify", rest, want="action")
    return _change(deps, cmd, "verify", ref=ref, note=note or None)


def _return(deps: Deps, cmd: Command, rest: str) -> Reply:
    ref, reason = leading_ref("return", rest, want="action")
    if not reason:
        v = action_for_change(deps, cmd.actor, ref, lead_only="return actions")
        service.require_returnable(v.status, ref)
        return Reply(text=f"Opening the form to return {ref}", modal=return_modal(v))
    return _change(deps, cmd, "return", ref=ref, reason=reason)


def _away(deps: Deps, cmd: Command, rest: str) -> Reply:
    words = rest.split()
    if words and words[0].lower() in ("until", "till", "til"):
        words = words[1:]
    if not words:
        raise how("away", "Say when you are back.")
    day = day_of("away", " ".join(words), deps.clock.today())
    return _change(deps, cmd, "away", until=day.isoformat())


def _back(deps: Deps, cmd: Command, rest: str) -> Reply:
    if rest:
        raise how("back", "`back` takes nothing after it.")
    return _change(deps, cmd, "back")


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
    with deps.db.read() as session:
        named = parse_ref(rec).inspection if rec else None
        recs = service.recs_to_add_to(session, actor=cmd.actor, inspection=named)
    return Reply(
        text="Opening the form to add an action",
        modal=add_modal(rec=rec, title=title or None, owner=owner, due=due, recs=recs),
    )


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


def _due(deps: Deps, cmd: Command, rest: str) -> Reply:
    """`due R6.1 28/02/2027 MARAC review delayed by partners`: the reason is optional."""
    ref, tail = leading_ref("due", rest, want="action")
    today = deps.clock.today()
    if not tail:
        raise UsageError(
            f"Give the new due date. {date_help(today)} For example {usage('due', today)}."
        )
    day, reason = day_then("due", tail, today)
    return _change(deps, cmd, "due", ref=ref, due=day.isoformat(), reason=reason or None)


def _signoff(deps: Deps, cmd: Command, rest: str) -> Reply:
    rec, note = leading_ref("signoff", rest, want="recommendation")
    return _change(deps, cmd, "signoff", rec=rec, note=note or None)


def _reopen(deps: Deps, cmd: Command, rest: str) -> Reply:
    rec, note = leading_ref("reopen", rest, want="recommendation")
    return _change(deps, cmd, "reopen", rec=rec, note=note or None)
