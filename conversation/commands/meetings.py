"""The commands about the panel and the inspection's timetable: panel (list, add, remove),
report (the draft paper, checked now and sent as a file by the front end: conversation/
report.py), milestone (list, move)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from conversation.commands import change, command
from conversation.grammar import Command, day_of, day_then, how, inspection_first, is_code, usage
from conversation.outcomes import Outcome, Read
from conversation.report import ReportRequest, check_report
from models import service
from models.errors import SeveralInspections, UsageError
from models.parsing import date_help, parse_time
from models.service.milestones import MILESTONE_WORDS
from models.wording import long_day

if TYPE_CHECKING:
    from conversation.ops.context import Deps

PAPER_REF = re.compile(r"^[A-Za-z]{1,5}\d{1,4}/\d{1,4}$")
CLOCK_TIME = re.compile(r"^\d{1,2}([:.]\d{2})?\s*(am|pm)?$", re.IGNORECASE)


@command("panel")
def panel(deps: Deps, cmd: Command, rest: str) -> Outcome:
    inspection, rest = inspection_first(deps, rest)  # `panel NCPI-WX add 22/01/2027`
    sub, _, args = rest.partition(" ")
    sub = sub.lower()
    today = deps.clock.today()
    if not sub or sub in ("list", "show"):
        with deps.db.read() as session:
            meetings = service.list_panels(session, inspection=inspection)
            panels = [service.panel_view(p, today) for p in meetings]
            named = inspection if inspection or service.several_inspections(session) else None
        return Read("panels", panels, viewer=cmd.actor, today=today, extra={"inspection": named})
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
                raise how("panel", e.message) from None
        if not words:
            raise UsageError(
                f"Give the meeting's date. {date_help(today)} For example {usage('panel', today)}."
            )
        day = day_of("panel", " ".join(words), today)
        return change(
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
            raise how("panel", "Give the date of the meeting to remove.")
        day = day_of("panel", args, today)
        return change(deps, cmd, "panel_remove", day=day.isoformat(), inspection=inspection)
    raise how("panel", f"`panel {sub[:30]}` is not something I know.")


RESPONSE_WORDS = {"response", "s55", "s.55"}


@command("report")
def report(deps: Deps, cmd: Command, rest: str) -> ReportRequest:
    """Checked now (lead, date, meeting); the paper is rendered and sent by the front end.
    `report response` (or `report NCPI response`): the s.55 response letter instead."""

    words = rest.split()
    if any(w.lower() in RESPONSE_WORDS for w in words):
        others = " ".join(w for w in words if w.lower() not in RESPONSE_WORDS)
        inspection, left = inspection_first(deps, others)  # `report response NCPI-WX`
        try:
            request = check_report(
                deps.db,
                deps.clock,
                actor=cmd.actor,
                text=left,
                inspection=inspection,
                response=True,
            )
        except SeveralInspections:
            raise
        except UsageError as e:
            raise UsageError(
                f"{e.message} For example {usage('report', deps.clock.today())}."
            ) from None
        return replace(request, opening="Drafting the s.55 response…")
    inspection, when = inspection_first(deps, rest)  # `report NCPI-WX 22/01/2027`
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
        if inspection is None and is_code(word):  # neither a tracked inspection nor a date
            with deps.db.read() as session:
                codes = ", ".join(service.tracked_codes(session)) or "none yet"
            raise UsageError(
                f"`{word[:40]}` is not an inspection or a date I can read "
                f"(inspections: {codes}). For example {usage('report', today)}."
            ) from None
        raise UsageError(f"{e.message} For example {usage('report', today)}.") from None
    today = deps.clock.today()
    if request.panel is not None and request.panel < today:
        return replace(
            request,
            opening=f"Drafting the paper for the panel on {long_day(request.panel)}, "
            "as the tracker stood that day…",
        )
    return replace(request, opening="Drafting the panel paper…")


@command("milestone")
def milestone(deps: Deps, cmd: Command, rest: str) -> Outcome:
    """`milestone`: the inspection's milestones; `milestone plan 09/02/2027 <reason>`: a lead
    moves one (`move` before the name is optional)."""
    head, _, after = rest.partition(" ")
    if head.lower() == "move":
        rest = after.strip()
        if not rest:
            raise how("milestone", f"Say which milestone moves: {MILESTONE_WORDS}.")
    if not rest:
        today = deps.clock.today()
        with deps.db.read() as session:
            s = service.summary(session, today=today, actions=False)
        return Read("milestones", s, viewer=cmd.actor, today=today)
    name, _, tail = rest.partition(" ")
    try:
        kind = service.parse_milestone(name)
    except UsageError as e:
        raise how("milestone", e.message) from None
    today = deps.clock.today()
    if not tail:
        raise UsageError(
            f"Give the new date. {date_help(today)} For example {usage('milestone', today)}."
        )
    day, reason = day_then("milestone", tail, today)
    return change(
        deps, cmd, "milestone_move", kind=str(kind), day=day.isoformat(), reason=reason or None
    )
