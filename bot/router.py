"""`/ncpi <text>` → a Reply. Parses every command in DESIGN.md's grammar, calls the domain in
one transaction (reads via `db.read()`, changes via `bot.operations.execute`), renders a view.

Errors are `NcpiError`s with the sentence the user sees, always saying how to write it;
they propagate to the app's one error handler, and nothing has changed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot import operations
from bot.receipts import repeat_key, replay_key
from bot.reply import Reply
from bot.views.common import escape
from bot.views.help import help_blocks, help_text
from bot.views.modals import add_modal, implemented_modal, return_modal, update_modal
from bot.views.summary import (
    milestone_blocks,
    milestones_text,
    rec_detail_blocks,
    summary_blocks,
    summary_fallback,
)
from bot.views.tracker import (
    history_blocks,
    history_text,
    mine_blocks,
    mine_text,
    panel_blocks,
    show_blocks,
    show_text,
)
from models import service
from models.errors import Forbidden, SeveralInspections, UsageError
from models.parsing import (
    STATUS_WORDS,
    Ref,
    date_help,
    example_day,
    parse_date,
    parse_ref,
    parse_time,
    parse_user,
    qualified,
    split_date,
    split_status,
)
from models.service.milestones import MILESTONE_WORDS
from models.tables import Action, Inspection, Recommendation, Source
from models.wording import plural

if TYPE_CHECKING:
    from bot.deps import Deps

USAGE = {
    "help": "help",
    "summary": "summary · summary R2 · summary NCPI · summary post",
    "mine": "mine",
    "show": "show R2.1 · show R2",
    "history": "history R2.1 · history NCPI:R2.1",
    "update": "update R2.1 at risk waiting on IT · update R2.1 met the product owner",
    "note": "note R2.1 met the Athena product owner",
    "done": "done R2.1 https://link.to/evidence",
    "verify": "verify R2.1",
    "return": "return R2.1 evidence does not cover nights",
    "away": "away until 2 January",
    "back": "back",
    "add": "add R2 Train CCR staff owner:@jane due:{day}",
    "assign": "assign R2.1 @jane",
    "due": "due R2.1 {day} partners asked for more time",
    "signoff": "signoff R2 agreed at panel",
    "reopen": "reopen R2",
    "panel": "panel · panel NCPI · panel add {day} 10:00 AP26/04 · panel remove {day}",
    "report": "report · report {day} · report NCPI",
    "milestone": "milestone · milestone plan {day} HMICFRS agreed a week more",
}
"""Each command's forms; `{day}` is an example date, a little ahead of today (`_usage`)."""
ALIASES = {
    "sign-off": "signoff",
    "sign_off": "signoff",
    "?": "help",
    "status": "summary",
    "me": "mine",
    "milestones": "milestone",
}
INSPECTION_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{1,39}$")
REF_LIKE = re.compile(r"^[Rr]?\d")
PAPER_REF = re.compile(r"^[A-Za-z]{1,5}\d{1,4}/\d{1,4}$")
CLOCK_TIME = re.compile(r"^\d{1,2}([:.]\d{2})?\s*(am|pm)?$", re.IGNORECASE)
OWNER_ARG = re.compile(r"\bowner:\s*(<@[^>]+>|\S+)", re.IGNORECASE)
DUE_ARG = re.compile(r"\bdue:\s*(.+?)\s*$", re.IGNORECASE)


@dataclass
class Command:
    """One `/ncpi` invocation as the listener received it."""

    text: str
    actor: str
    channel: str | None = None
    trigger: str | None = None  # Slack's id for this very request: a replay carries it again

    @property
    def words(self) -> list[str]:
        return self.text.split()


def normalise(text: str) -> str:
    text = " ".join((text or "").split())
    if text.lower().startswith("/ncpi"):
        text = text[5:].strip()
    return text


def run(
    deps: Deps, text: str, *, actor: str, channel: str | None = None, trigger: str | None = None
) -> Reply:
    """Answer one `/ncpi` command. Raises NcpiError for anything the user must fix."""
    text = normalise(text)
    cmd = Command(text, actor, channel, trigger)
    if not text:
        return _help(deps, cmd, "")
    name, _, rest = text.partition(" ")
    name = ALIASES.get(name.lower(), name.lower())
    handler = HANDLERS.get(name)
    today = deps.clock.today()
    if handler is None:
        raise UsageError(unknown_message(name, today))
    try:
        return handler(deps, cmd, rest.strip())
    except _Usage as e:
        raise UsageError(f"{e.message} Write it as {_usage(e.name, today)}.") from None
    except SeveralInspections as e:
        raise UsageError(say_which(e, name, rest.strip())) from None


def say_which(e: SeveralInspections, name: str, rest: str) -> str:
    """No inspection named while several are tracked: the command again, with each code."""
    word, _, tail = rest.partition(" ")
    try:
        ref = parse_ref(word)
    except UsageError:
        ref = None

    def again(code: str) -> str:
        if ref is not None and ref.inspection is None:  # `show R2.1` → `show NCPI:R2.1`
            return " ".join(["/ncpi", name, qualified(ref, code), escape(tail[:60])]).strip()
        return " ".join(["/ncpi", name, code, escape(rest[:60])]).strip()  # `panel NCPI add …`

    examples = " or ".join(f"`{again(c)}`" for c in e.codes[:4])
    return f"Several inspections are tracked ({', '.join(e.codes)}); say which: {examples}."


def unknown_message(name: str, today: date) -> str:
    close = difflib.get_close_matches(name, list(HANDLERS), n=1, cutoff=0.5)
    shown = escape(name[:40])
    if close:
        first = _usage(close[0], today).split(" or ")[0]
        return (
            f"`{shown}` is not an /ncpi command. Did you mean {first}? `/ncpi help` lists them all."
        )
    return f"`{shown}` is not an /ncpi command. `/ncpi help` lists them all, with examples."


def _usage(name: str, today: date) -> str:
    """The command's forms, its dates computed from today (never a year gone by)."""
    forms = USAGE[name].replace("{day}", f"{example_day(today):%d/%m/%Y}")
    return " or ".join(f"`/ncpi {u}`" for u in forms.split(" · "))


class _Usage(UsageError):
    """A refusal that ends with the command's usage: `run` adds it, dated from today."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def _how(name: str, message: str) -> UsageError:
    return _Usage(name, message)


def _ref(name: str, rest: str, *, want: str) -> tuple[str, str]:
    """The leading ref of `rest` (checked) and what follows."""
    word, _, tail = rest.partition(" ")
    if not word:
        what = {"action": "action", "recommendation": "recommendation"}.get(
            want, "action or recommendation"
        )
        raise _how(name, f"Say which {what}.")
    try:
        ref = parse_ref(word, want=want)
    except UsageError as e:
        raise _how(name, e.message) from None
    return _written(ref), tail.strip()


def _written(ref: Ref) -> str:
    """The ref as the service reads it, keeping a named inspection (`NCPI:R2.1`)."""
    return qualified(ref, ref.inspection.upper() if ref.inspection else None)


def _is_code(word: str) -> bool:
    """Whether `word` is written like an inspection's code (`NCPI`, `NCPI-WX`), not a ref."""
    return bool(INSPECTION_CODE.match(word)) and not REF_LIKE.match(word)


def _inspection_first(deps: Deps, rest: str) -> tuple[str | None, str]:
    """`NCPI-WX 22/01/2027` → ("NCPI-WX", "22/01/2027"): a leading word that names a tracked
    inspection, as stored, and what follows; otherwise (None, rest)."""
    word, _, tail = rest.partition(" ")
    if _is_code(word):
        with deps.db.read() as session:
            code = service.inspection_code(session, word)
        if code:
            return code, tail.strip()
    return None, rest


def _date(name: str, text: str, today: date) -> date:
    """`text` as a date, or refused with an example of the command."""
    try:
        return parse_date(text, today=today)
    except UsageError as e:
        raise _date_refused(name, e, today) from None


def _date_then(name: str, text: str, today: date) -> tuple[date, str]:
    """A date and the text after it (a reason), or refused with an example of the command."""
    try:
        return split_date(text, today=today)
    except UsageError as e:
        raise _date_refused(name, e, today) from None


def _date_refused(name: str, e: UsageError, today: date) -> UsageError:
    # The message echoes what was typed: escaped, so `<!channel>` pings nobody.
    return UsageError(f"{escape(e.message)} For example {_usage(name, today)}.")


SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
FREE_TEXT = ("note", "evidence", "reason", "title")


def unwrap_links(text: str) -> str:
    """Slack sends a typed link as `<https://…>` (or `<https://…|label>`): keep the URL, so
    it is stored as written and shows as a link again when escaped into a message."""
    return SLACK_LINK.sub(r"\1", text)


def _change(deps: Deps, cmd: Command, op: str, **args: object) -> Reply:
    for name in FREE_TEXT:
        if isinstance(args.get(name), str):
            args[name] = unwrap_links(args[name])
    return operations.execute(
        deps,
        actor=cmd.actor,
        op=op,
        args=args,
        source=Source.COMMAND,
        repeat=repeat_key("cmd", cmd.actor, " ".join(cmd.text.lower().split())),
        replay=replay_key("req", cmd.trigger),
    )


# -- reading ------------------------------------------------------------------------------------


def _help(deps: Deps, cmd: Command, rest: str) -> Reply:
    today = deps.clock.today()
    return Reply(text=help_text(today), blocks=help_blocks(today))


def _summary(deps: Deps, cmd: Command, rest: str) -> Reply:
    words = rest.split()
    post = "post" in (w.lower() for w in words)  # `summary post`, `summary NCPI post`
    words = [w for w in words if w.lower() != "post"]
    rec = inspection = None
    if words and _is_code(words[0]):
        inspection = words.pop(0)  # `summary NCPI`, when several inspections are tracked
    if len(words) > 1:
        raise _how("summary", f"`{escape(rest)}` is more than I can read.")
    if words:
        rec, _ = _ref("summary", words[0], want="recommendation")
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
        raise _how("mine", f"`mine` takes nothing after it (got `{escape(rest[:40])}`).")
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
    ref, tail = _ref("show", rest, want="either")
    if tail:
        raise _how("show", "`show` takes one action or recommendation.")
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
    inspection, rest = _inspection_first(deps, rest)  # `history NCPI-WX R2.1`
    if not rest:
        raise _how("history", "Say which action (or recommendation).")
    ref, tail = _ref("history", rest, want="either")
    if inspection and ":" not in ref:
        ref = qualified(ref, inspection)
    if tail:
        raise _how("history", "Say which action (or recommendation).")
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
            refs = {i: qualified(f"R{parsed.rec}.{n}", code and code.upper()) for i, n in rows}
        return Reply(
            text=history_text(ref, updates),
            blocks=history_blocks(ref, updates, tz=deps.settings.tz, refs=refs),
        )


def _panel(deps: Deps, cmd: Command, rest: str) -> Reply:
    inspection, rest = _inspection_first(deps, rest)  # `panel NCPI-WX add 22/01/2027`
    sub, _, args = rest.partition(" ")
    sub = sub.lower()
    today = deps.clock.today()
    if not sub or sub in ("list", "show"):
        with deps.db.read() as session:
            meetings = service.list_panels(session, inspection=inspection)
            panels = [service.panel_view(p, today) for p in meetings]
            named = inspection if inspection or service.several_inspections(session) else None
        return Reply(
            text=plural(len(panels), "panel meeting"),
            blocks=panel_blocks(panels, tz=deps.settings.tz, today=today, inspection=named),
        )
    if sub == "add":
        words = args.split()
        paper_ref = words.pop() if words and PAPER_REF.match(words[-1]) else None
        at = None
        if (
            words
            and CLOCK_TIME.match(words[-1])
            and (":" in words[-1] or "." in words[-1] or words[-1][-2:].lower() in ("am", "pm"))
        ):
            try:
                at = parse_time(words.pop())
            except UsageError as e:
                raise _how("panel", e.message) from None
        if not words:
            raise UsageError(
                f"Give the meeting's date. {date_help(today)} For example {_usage('panel', today)}."
            )
        day = _date("panel", " ".join(words), today)
        return _change(
            deps,
            cmd,
            "panel_add",
            day=day.isoformat(),
            at=at.strftime("%H:%M") if at else None,
            paper_ref=paper_ref,
            inspection=inspection,
        )
    if sub in ("remove", "cancel", "delete"):
        if not args:
            raise _how("panel", "Give the date of the meeting to remove.")
        day = _date("panel", args, today)
        return _change(deps, cmd, "panel_remove", day=day.isoformat(), inspection=inspection)
    raise _how("panel", f"`panel {escape(sub[:30])}` is not something I know.")


def _report(deps: Deps, cmd: Command, rest: str) -> Reply:
    """Checked now (lead, date, meeting); the paper is rendered and uploaded by the listener."""
    from bot.report_upload import check_report
    from models.wording import long_day

    inspection, when = _inspection_first(deps, rest)  # `report NCPI-WX 22/01/2027`
    try:
        request = check_report(
            deps.db,
            deps.clock,
            actor=cmd.actor,
            text=when,
            board=deps.settings.board_name,
            inspection=inspection,
        )
    except SeveralInspections:
        raise
    except UsageError as e:
        today = deps.clock.today()
        word = rest.split()[0] if rest else ""
        if inspection is None and _is_code(word):  # neither a tracked inspection nor a date
            with deps.db.read() as session:
                codes = ", ".join(service.tracked_codes(session)) or "none yet"
            raise UsageError(
                f"`{escape(word[:40])}` is not an inspection or a date I can read "
                f"(inspections: {codes}). For example {_usage('report', today)}."
            ) from None
        raise UsageError(f"{e.message} For example {_usage('report', today)}.") from None
    today = deps.clock.today()
    if request.panel is not None and request.panel < today:
        return Reply(
            text=f"Drafting the paper for the panel on {long_day(request.panel)}, "
            "as the tracker stood that day…",
            report=request,
        )
    return Reply(text="Drafting the panel paper…", report=request)


def _milestone(deps: Deps, cmd: Command, rest: str) -> Reply:
    """`milestone`: the inspection's milestones; `milestone plan 09/02/2027 <reason>`: a lead
    moves one (`move` before the name is optional)."""
    head, _, after = rest.partition(" ")
    if head.lower() == "move":
        rest = after.strip()
        if not rest:
            raise _how("milestone", f"Say which milestone moves: {MILESTONE_WORDS}.")
    if not rest:
        today = deps.clock.today()
        with deps.db.read() as session:
            s = service.summary(session, today=today, actions=False)
        return Reply(text=milestones_text(s), blocks=milestone_blocks(s))
    name, _, tail = rest.partition(" ")
    try:
        kind = service.parse_milestone(name)
    except UsageError as e:
        raise _how("milestone", e.message) from None
    today = deps.clock.today()
    if not tail:
        raise UsageError(
            f"Give the new date. {date_help(today)} For example {_usage('milestone', today)}."
        )
    day, reason = _date_then("milestone", tail, today)
    return _change(
        deps, cmd, "milestone_move", kind=str(kind), day=day.isoformat(), reason=reason or None
    )


# -- changing --------------------------------------------------------------------------------------


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
    ref, tail = _ref("update", rest, want="action")
    if not tail:
        v = action_for_change(deps, cmd.actor, ref)
        return Reply(text=f"Opening the update form for {ref}", modal=update_modal(v))
    try:
        status, note = split_status(tail)
    except UsageError as e:
        if _looks_like_a_status(tail):  # `ontrak`: a mistyped status, not a note
            raise _how("update", f"{e.message} A note on its own: `/ncpi note {ref} …`.") from None
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
    ref, note = _ref("note", rest, want="action")
    if not note:
        raise _how("note", "The note is missing.")
    return _change(deps, cmd, "update", ref=ref, status=None, note=note)


def action_for_change(
    deps: Deps, actor: str, ref: str, *, lead_only: str | None = None
) -> service.ActionView:
    """The action, if `actor` may change it (owner or lead; `lead_only`: leads only)."""
    with deps.db.read() as session:
        if lead_only:
            service.require_lead(session, actor, lead_only)
        action = service.get_action(session, ref=ref)
        service.require_owner_or_lead(session, action, actor, ref)
        return service.action_views(session, actions=[action], today=deps.clock.today())[0]


def _done(deps: Deps, cmd: Command, rest: str) -> Reply:
    ref, evidence = _ref("done", rest, want="action")
    if not evidence:
        v = action_for_change(deps, cmd.actor, ref)
        return Reply(text=f"Opening the form to mark {ref} implemented", modal=implemented_modal(v))
    return _change(deps, cmd, "done", ref=ref, evidence=evidence)


def _verify(deps: Deps, cmd: Command, rest: str) -> Reply:
    ref, note = _ref("verify", rest, want="action")
    return _change(deps, cmd, "verify", ref=ref, note=note or None)


def _return(deps: Deps, cmd: Command, rest: str) -> Reply:
    ref, reason = _ref("return", rest, want="action")
    if not reason:
        v = action_for_change(deps, cmd.actor, ref, lead_only="return actions")
        with deps.db.read() as session:
            service.require_returnable(service.get_action(session, ref=ref), ref)
        return Reply(text=f"Opening the form to return {ref}", modal=return_modal(v))
    return _change(deps, cmd, "return", ref=ref, reason=reason)


def _away(deps: Deps, cmd: Command, rest: str) -> Reply:
    words = rest.split()
    if words and words[0].lower() in ("until", "till", "til"):
        words = words[1:]
    if not words:
        raise _how("away", "Say when you are back.")
    day = _date("away", " ".join(words), deps.clock.today())
    return _change(deps, cmd, "away", until=day.isoformat())


def _back(deps: Deps, cmd: Command, rest: str) -> Reply:
    if rest:
        raise _how("back", "`back` takes nothing after it.")
    return _change(deps, cmd, "back")


def _add(deps: Deps, cmd: Command, rest: str) -> Reply:
    owner = due = None
    m = OWNER_ARG.search(rest)
    if m:
        try:
            owner = parse_user(m.group(1))
        except UsageError as e:
            raise _how("add", e.message) from None
        rest = (rest[: m.start()] + rest[m.end() :]).strip()
    m = DUE_ARG.search(rest)
    if m:
        due = _date("add", m.group(1), deps.clock.today())
        rest = rest[: m.start()].strip()
    rec, title = (None, "")
    if rest:
        rec, title = _ref("add", rest, want="recommendation")
    if rec and title and owner and due:
        return _change(deps, cmd, "add", rec=rec, title=title, owner=owner, due=due.isoformat())
    with deps.db.read() as session:
        service.require_lead(session, cmd.actor, "add actions")
        named = parse_ref(rec).inspection if rec else None
        several = service.several_inspections(session)
        # The recommendations of the inspection named, or of every one tracked.
        q = select(Recommendation.number, Recommendation.title, Inspection.code).join(
            Inspection, Inspection.id == Recommendation.inspection_id
        )
        if named or not several:
            q = q.where(Inspection.id == service.get_inspection(session, code=named).id)
        recs = session.exec(q.order_by(Inspection.id, Recommendation.number)).all()
    return Reply(
        text="Opening the form to add an action",
        modal=add_modal(
            rec=rec,
            title=title or None,
            owner=owner,
            due=due,
            recs=[
                (
                    qualified(f"R{r.number}", r.code),
                    qualified(f"R{r.number}", r.code if several else None),
                    r.title,
                )
                for r in recs
            ],
        ),
    )


def _assign(deps: Deps, cmd: Command, rest: str) -> Reply:
    ref, tail = _ref("assign", rest, want="action")
    who, _, note = tail.partition(" ")
    if not who:
        raise _how("assign", "Say who should own it.")
    try:
        owner = parse_user(who)
    except UsageError as e:
        raise _how("assign", e.message) from None
    return _change(deps, cmd, "assign", ref=ref, owner=owner, note=note.strip() or None)


def _due(deps: Deps, cmd: Command, rest: str) -> Reply:
    """`due R6.1 28/02/2027 MARAC review delayed by partners`: the reason is optional."""
    ref, tail = _ref("due", rest, want="action")
    today = deps.clock.today()
    if not tail:
        raise UsageError(
            f"Give the new due date. {date_help(today)} For example {_usage('due', today)}."
        )
    day, reason = _date_then("due", tail, today)
    return _change(deps, cmd, "due", ref=ref, due=day.isoformat(), reason=reason or None)


def _signoff(deps: Deps, cmd: Command, rest: str) -> Reply:
    rec, note = _ref("signoff", rest, want="recommendation")
    return _change(deps, cmd, "signoff", rec=rec, note=note or None)


def _reopen(deps: Deps, cmd: Command, rest: str) -> Reply:
    rec, note = _ref("reopen", rest, want="recommendation")
    return _change(deps, cmd, "reopen", rec=rec, note=note or None)


HANDLERS: dict[str, Callable[[Deps, Command, str], Reply]] = {
    "help": _help,
    "summary": _summary,
    "mine": _mine,
    "show": _show,
    "history": _history,
    "update": _update,
    "note": _note,
    "done": _done,
    "verify": _verify,
    "return": _return,
    "away": _away,
    "back": _back,
    "add": _add,
    "assign": _assign,
    "due": _due,
    "signoff": _signoff,
    "reopen": _reopen,
    "panel": _panel,
    "report": _report,
    "milestone": _milestone,
}
assert set(HANDLERS) == set(USAGE)
