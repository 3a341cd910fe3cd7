"""`/ncpi report`: the panel paper (or the s.55 response) checked now, then drafted and
uploaded by Slack's listener (bot/report_upload.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.reply import Reply
from conversation.grammar import Command, inspection_first, is_code, usage
from models import service
from models.errors import SeveralInspections, UsageError

if TYPE_CHECKING:
    from bot.deps import Deps

RESPONSE_WORDS = {"response", "s55", "s.55"}


def _report(deps: Deps, cmd: Command, rest: str) -> Reply:
    """Checked now (lead, date, meeting); the paper is rendered and uploaded by the listener.
    `report response` (or `report NCPI response`): the s.55 response letter instead."""
    from bot.report_upload import check_report
    from models.wording import long_day

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
        return Reply(text="Drafting the s.55 response…", report=request)
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
        return Reply(
            text=f"Drafting the paper for the panel on {long_day(request.panel)}, "
            "as the tracker stood that day…",
            report=request,
        )
    return Reply(text="Drafting the panel paper…", report=request)
