"""The `/ncpi` commands that read the tracker: help, summary, mine, show, history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.reply import Reply
from bot.views.help import help_blocks, help_text
from bot.views.summary import rec_detail_blocks, summary_blocks, summary_fallback
from bot.views.tracker import (
    history_blocks,
    history_text,
    mine_blocks,
    mine_text,
    show_blocks,
    show_text,
)
from conversation.grammar import Command, how, inspection_first, is_code, leading_ref
from models import service
from models.errors import Forbidden
from models.parsing import parse_ref, qualified
from models.tables import Action

if TYPE_CHECKING:
    from bot.deps import Deps


def _help(deps: Deps, cmd: Command, rest: str) -> Reply:
    today = deps.clock.today()
    return Reply(text=help_text(today), blocks=help_blocks(today))


def _summary(deps: Deps, cmd: Command, rest: str) -> Reply:
    words = rest.split()
    post = "post" in (w.lower() for w in words)  # `summary post`, `summary NCPI post`
    words = [w for w in words if w.lower() != "post"]
    rec = inspection = None
    if words and is_code(words[0]):
        inspection = words.pop(0)  # `summary NCPI`, when several inspections are tracked
    if len(words) > 1:
        raise how("summary", f"`{rest}` is more than I can read.")
    if words:
        rec, _ = leading_ref("summary", words[0], want="recommendation")
        if inspection and ":" not in rec:  # `summary NCPI R2`
            rec = f"{inspection.upper()}:{rec}"
    today = deps.clock.today()
    with deps.db.read() as session:
        lead = service.is_lead(session, cmd.actor)
        if post and not lead:
            raise Forbidden(
                "Only a lead can post the summary to a channel. `/ncpi summary` shows it to you."
            )
        # The whole tracker is shown as counts: aggregated in SQL, not loaded action by action.
        s = service.summary(
            session,
            today=today,
            rec=rec,
            inspection=inspection,
            actions=bool(rec),
            immediately_days=deps.settings.immediately_days,
        )
    if rec:
        blocks = rec_detail_blocks(s, posted=post)
    else:
        blocks = summary_blocks(s, viewer_is_lead=lead, posted=post)
    return Reply(text=summary_fallback(s), blocks=blocks, in_channel=post)


def _mine(deps: Deps, cmd: Command, rest: str) -> Reply:
    if rest:
        raise how("mine", f"`mine` takes nothing after it (got `{rest[:40]}`).")
    return mine_reply(deps, cmd.actor)


def mine_reply(deps: Deps, actor: str, *, note: str | None = None) -> Reply:
    today = deps.clock.today()
    with deps.db.read() as session:
        actions = service.my_actions(session, actor=actor, today=today)
        lead = service.is_lead(session, actor)
    return Reply(
        text=mine_text(actions),
        blocks=mine_blocks(actions, viewer=actor, viewer_is_lead=lead, today=today, note=note),
    )


def _show(deps: Deps, cmd: Command, rest: str) -> Reply:
    ref, tail = leading_ref("show", rest, want="either")
    if tail:
        raise how("show", "`show` takes one action or recommendation.")
    if "." not in ref:  # a recommendation: its text, status and actions, as `summary R2`
        return _summary(deps, cmd, ref)
    return show_reply(deps, cmd.actor, ref)


def show_reply(deps: Deps, actor: str, ref: str, *, note: str | None = None) -> Reply:
    today = deps.clock.today()
    with deps.db.read() as session:
        v = service.show_action(session, ref=ref, today=today)
        latest = service.latest_note(session, ref=ref)
        lead = service.is_lead(session, actor)
    return Reply(
        text=show_text(v),
        blocks=show_blocks(
            v,
            viewer=actor,
            viewer_is_lead=lead,
            today=today,
            tz=deps.settings.tz,
            note=note,
            latest=latest,
        ),
    )


def _history(deps: Deps, cmd: Command, rest: str) -> Reply:
    inspection, rest = inspection_first(deps, rest)  # `history NCPI-WX R2.1`
    if not rest:
        raise how("history", "Say which action (or recommendation).")
    ref, tail = leading_ref("history", rest, want="either")
    if inspection and ":" not in ref:
        ref = qualified(ref, inspection)
    if tail:
        raise how("history", "Say which action (or recommendation).")
    parsed = parse_ref(ref)
    with deps.db.read() as session:
        updates = service.history(session, ref=ref)
        refs = {}
        if not parsed.is_action:  # a recommendation's history: say which action each line is
            ids = {u.action_id for u in updates if u.action_id}
            rows = (
                session.exec(select(Action.id, Action.number).where(col(Action.id).in_(ids))).all()
                if ids
                else []
            )
            code = parsed.inspection if service.several_inspections(session) else None
            refs = {i: qualified(f"{parsed.item}.{n}", code and code.upper()) for i, n in rows}
        return Reply(
            text=history_text(ref, updates),
            blocks=history_blocks(ref, updates, tz=deps.settings.tz, refs=refs),
        )
