"""The commands that change an action or a recommendation, or say who is away: update, note,
done, verify, return, away, back, add (or its form), assign, due, signoff, reopen. `add` and
`assign` name a person in the conversation's words (`@U123`, grammar.person_of): a
platform's own mention is turned into them by its front end."""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from conversation import forms
from conversation.commands import change, command
from conversation.grammar import Command, day_of, day_then, how, leading_ref, person_of, usage
from conversation.outcomes import Form, Outcome
from models import service
from models.errors import UsageError
from models.parsing import STATUS_WORDS, date_help, parse_ref, split_status

if TYPE_CHECKING:
    from conversation.ops.context import Deps

OWNER_ARG = re.compile(r"\bowner:\s*(\S+)", re.IGNORECASE)
DUE_ARG = re.compile(r"\bdue:\s*(.+?)\s*$", re.IGNORECASE)


@command("update")
def update(deps: Deps, cmd: Command, rest: str) -> Outcome:
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
        return forms.update(None, choices)
    ref, tail = leading_ref("update", rest, want="action")
    if not tail:
        form = step_form(deps, cmd.actor, "update", ref)
        return replace(form, opening=f"Opening the update form for {ref}")
    try:
        status, note = split_status(tail)
    except UsageError as e:
        if _looks_like_a_status(tail):  # `ontrak`: a mistyped status, not a note
            raise how("update", f"{e.message} A note on its own: `/ncpi note {ref} …`.") from None
        # No status word: a note on its own, the status left as it is.
        return change(deps, cmd, "update", ref=ref, status=None, note=tail)
    if status == "implemented":
        return change(deps, cmd, "done", ref=ref, evidence=note or None)
    return change(deps, cmd, "update", ref=ref, status=str(status), note=note or None)


def _looks_like_a_status(text: str) -> bool:
    words = text.lower().split()
    heads = [" ".join(words[:n]) for n in (1, 2) if len(words) >= n]
    return any(difflib.get_close_matches(h, STATUS_WORDS, n=1, cutoff=0.8) for h in heads)


@command("note")
def note(deps: Deps, cmd: Command, rest: str) -> Outcome:
    ref, text = leading_ref("note", rest, want="action")
    if not text:
        raise how("note", "The note is missing.")
    return change(deps, cmd, "update", ref=ref, status=None, note=text)


def action_for_change(
    deps: Deps, actor: str, ref: str, *, lead_only: str | None = None
) -> service.ActionView:
    """The action, if `actor` may change it (the rule is service.action_for_change's)."""
    with deps.db.read() as session:
        return service.action_for_change(
            session, ref=ref, actor=actor, today=deps.clock.today(), lead_only=lead_only
        )


def step_form(deps: Deps, actor: str, step: str, ref: str) -> Form:
    """The form a next step opens (a row's Update…, Implemented…, Return… or Decline…, or the
    same command typed with nothing after the ref), if `actor` may take it: refused as
    sending the form would be."""
    if step == "decline":
        with deps.db.read() as session:
            v = service.action_to_decline(session, ref=ref, actor=actor, today=deps.clock.today())
        return forms.declining(v)
    lead_only = "return actions" if step == "return" else None
    v = action_for_change(deps, actor, ref, lead_only=lead_only)
    if step == "return":
        service.require_returnable(v.status, v.typed_ref)
        return forms.returning(v)
    return {"update": forms.update, "implemented": forms.implemented}[step](v)


@command("done")
def done(deps: Deps, cmd: Command, rest: str) -> Outcome:
    ref, evidence = leading_ref("done", rest, want="action")
    if not evidence:
        form = step_form(deps, cmd.actor, "implemented", ref)
        return replace(form, opening=f"Opening the form to mark {ref} implemented")
    return change(deps, cmd, "done", ref=ref, evidence=evidence)


@command("verify")
def verify(deps: Deps, cmd: Command, rest: str) -> Outcome:
    ref, text = leading_ref("verify", rest, want="action")
    return change(deps, cmd, "verify", ref=ref, note=text or None)


@command("return")
def return_(deps: Deps, cmd: Command, rest: str) -> Outcome:
    ref, reason = leading_ref("return", rest, want="action")
    if not reason:
        form = step_form(deps, cmd.actor, "return", ref)
        return replace(form, opening=f"Opening the form to return {ref}")
    return change(deps, cmd, "return", ref=ref, reason=reason)


@command("away")
def away(deps: Deps, cmd: Command, rest: str) -> Outcome:
    words = rest.split()
    if words and words[0].lower() in ("until", "till", "til"):
        words = words[1:]
    if not words:
        raise how("away", "Say when you are back.")
    day = day_of("away", " ".join(words), deps.clock.today())
    return change(deps, cmd, "away", until=day.isoformat())


@command("back")
def back(deps: Deps, cmd: Command, rest: str) -> Outcome:
    if rest:
        raise how("back", "`back` takes nothing after it.")
    return change(deps, cmd, "back")


def add_form(
    deps: Deps,
    actor: str,
    *,
    rec: str | None,
    title: str | None,
    owner: str | None,
    due: date | None,
) -> Form:
    """The form to add an action (leads), with what was typed filled in: the
    recommendations of the inspection named, or of every one tracked, to choose from."""
    with deps.db.read() as session:
        named = parse_ref(rec).inspection if rec else None
        recs = service.recs_to_add_to(session, actor=actor, inspection=named)
    return forms.adding(rec=rec, title=title or None, owner=owner, due=due, recs=recs)


@command("add")
def add(deps: Deps, cmd: Command, rest: str) -> Outcome:
    """`add R2 Train CCR staff owner:@U123 due:31/03/2027`: the form when anything is missing,
    with what was typed filled in."""
    owner = due = None
    m = OWNER_ARG.search(rest)
    if m:
        owner = person_of("add", m.group(1))
        rest = (rest[: m.start()] + rest[m.end() :]).strip()
    m = DUE_ARG.search(rest)
    if m:
        due = day_of("add", m.group(1), deps.clock.today())
        rest = rest[: m.start()].strip()
    rec, title = (None, "")
    if rest:
        rec, title = leading_ref("add", rest, want="recommendation")
    if rec and title and owner and due:
        return change(deps, cmd, "add", rec=rec, title=title, owner=owner, due=due.isoformat())
    return add_form(deps, cmd.actor, rec=rec, title=title or None, owner=owner, due=due)


@command("assign")
def assign(deps: Deps, cmd: Command, rest: str) -> Outcome:
    """`assign R2.1 @U123 [note]`."""
    ref, tail = leading_ref("assign", rest, want="action")
    who, _, note = tail.partition(" ")
    if not who:
        raise how("assign", "Say who should own it.")
    owner = person_of("assign", who)
    return change(deps, cmd, "assign", ref=ref, owner=owner, note=note.strip() or None)


@command("due")
def due(deps: Deps, cmd: Command, rest: str) -> Outcome:
    """`due R6.1 28/02/2027 MARAC review delayed by partners`: the reason is optional."""
    ref, tail = leading_ref("due", rest, want="action")
    today = deps.clock.today()
    if not tail:
        raise UsageError(
            f"Give the new due date. {date_help(today)} For example {usage('due', today)}."
        )
    day, reason = day_then("due", tail, today)
    return change(deps, cmd, "due", ref=ref, due=day.isoformat(), reason=reason or None)


@command("signoff")
def signoff(deps: Deps, cmd: Command, rest: str) -> Outcome:
    rec, text = leading_ref("signoff", rest, want="recommendation")
    return change(deps, cmd, "signoff", rec=rec, note=text or None)


@command("reopen")
def reopen(deps: Deps, cmd: Command, rest: str) -> Outcome:
    rec, text = leading_ref("reopen", rest, want="recommendation")
    return change(deps, cmd, "reopen", rec=rec, note=text or None)
