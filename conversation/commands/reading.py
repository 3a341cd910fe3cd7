"""The commands that read the tracker: help, summary, mine, show, history. Each answers a
`Read`: the domain's read model and who is looking; the front end draws it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from conversation import wording
from conversation.commands import command
from conversation.grammar import Command, how, inspection_first, is_code, leading_ref
from conversation.outcomes import Offer, Read
from models import service
from models.errors import Forbidden
from models.parsing import parse_ref, qualified
from models.tables import Action

if TYPE_CHECKING:
    from conversation.ops.context import Deps


@command("help")
def help_(deps: Deps, cmd: Command, rest: str) -> Read:
    return Read("help", None, viewer=cmd.actor, today=deps.clock.today())


@command("summary")
def summary(deps: Deps, cmd: Command, rest: str) -> Read:
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
    offers = {} if rec else {s.inspection_code: wording.summary_offers(s, lead=lead, posted=post)}
    return Read(
        "rec" if rec else "summary",
        s,
        viewer=cmd.actor,
        lead=lead,
        today=today,
        in_channel=post,
        offers=offers,
    )


@command("mine")
def mine(deps: Deps, cmd: Command, rest: str) -> Read:
    if rest:
        raise how("mine", f"`mine` takes nothing after it (got `{rest[:40]}`).")
    return mine_read(deps, cmd.actor)


def mine_read(deps: Deps, actor: str, *, note: str | None = None) -> Read:
    """The actions `actor` owns; `note`: what was just done, said above them."""
    today = deps.clock.today()
    with deps.db.read() as session:
        actions = service.my_actions(session, actor=actor, today=today)
        lead = service.is_lead(session, actor)
    offers = offered(actions, viewer=actor, lead=lead)
    return Read("mine", actions, viewer=actor, lead=lead, today=today, note=note, offers=offers)


@command("show")
def show(deps: Deps, cmd: Command, rest: str) -> Read:
    ref, tail = leading_ref("show", rest, want="either")
    if tail:
        raise how("show", "`show` takes one action or recommendation.")
    if "." not in ref:  # a recommendation: its text, status and actions, as `summary R2`
        return summary(deps, cmd, ref)
    return show_read(deps, cmd.actor, ref)


def show_read(deps: Deps, actor: str, ref: str, *, note: str | None = None) -> Read:
    """One action as it stands, with its latest note."""
    today = deps.clock.today()
    with deps.db.read() as session:
        v = service.show_action(session, ref=ref, today=today)
        latest = service.latest_note(session, ref=ref)
        lead = service.is_lead(session, actor)
    return Read(
        "show",
        v,
        viewer=actor,
        lead=lead,
        today=today,
        note=note,
        offers=offered([v], viewer=actor, lead=lead),
        extra={"latest": latest},
    )


def offered(
    actions: list[service.ActionView], *, viewer: str, lead: bool
) -> dict[str, list[Offer]]:
    """What each action's row offers `viewer` next, by its qualified ref."""
    return {a.qualified_ref: wording.row_offers(a, viewer=viewer, lead=lead) for a in actions}


@command("history")
def history(deps: Deps, cmd: Command, rest: str) -> Read:
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
    return Read("history", updates, viewer=cmd.actor, extra={"ref": ref, "refs": refs})
