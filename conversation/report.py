"""`report`: the draft panel paper, or the s.55 response, checked now and drafted by the
front end once it has answered (a paper takes a while to render; the front end sends it as
its platform sends a file: Slack uploads it to the lead's DM, bot/report_upload.py).

`check_report` refuses non-leads, bad dates and missing meetings with the sentence the user
sees. For the panel paper, the check is building it (queries only, no rendering), so the
request carries the paper it checked: what was checked is what arrives, and the tracker is
read once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.clock import Clock
from models.db import Database
from models.errors import UsageError
from models.paper import Paper, build_paper
from models.parsing import parse_date
from models.service import get_inspection, require_lead


@dataclass(frozen=True)
class ReportRequest:
    """A draft to send (an outcome): what was asked and, for the panel paper, the paper as
    checked. `opening`: what is said while it is drafted."""

    actor: str
    panel: date | None
    board: str | None = None  # NCPI_BOARD_NAME, named in the paper
    inspection: str | None = None  # its code; needed when several inspections are tracked
    response: bool = False  # the s.55 response letter rather than the panel paper
    paper: Paper | None = None  # the panel paper, as built when it was checked
    opening: str = ""

    @property
    def what(self) -> str:
        """What is drafted, as the replies name it: "the draft {what}"."""
        return "s.55 response" if self.response else "panel paper"


def check_report(
    db: Database,
    clock: Clock,
    *,
    actor: str,
    text: str,
    board: str | None = None,
    inspection: str | None = None,
    response: bool = False,
) -> ReportRequest:
    """Refuses non-leads, bad dates and missing meetings with the sentence the user sees;
    the panel paper's check is its build (no rendering), kept in the request for the upload."""
    today = clock.today()
    text = text.strip()
    if response:
        if text:
            raise UsageError(
                "The s.55 response has no panel date: say `/ncpi report response`, "
                "or `/ncpi report response NCPI` to name the inspection."
            )
        with db.read() as session:
            require_lead(session, actor, "draft the s.55 response")
            get_inspection(session, code=inspection)  # none, or several unnamed → the usual answer
        return ReportRequest(actor=actor, panel=None, inspection=inspection, response=True)
    panel = parse_date(text, today=today) if text else None
    with db.read() as session:
        require_lead(session, actor, "draft the panel paper")
        paper = build_paper(  # an unknown meeting → NotFound
            session, today=today, now=clock.now(), panel=panel, board=board, inspection=inspection
        )
    return ReportRequest(actor=actor, panel=panel, board=board, inspection=inspection, paper=paper)
