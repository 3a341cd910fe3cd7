"""`/ncpi report [panel date]`: the draft panel paper, uploaded to the lead who asked;
`/ncpi report response`: the draft of the PCC's s.55 comments on the report, likewise.

Two steps so the listener stays thin and acks in time:
- `check_report` (right after ack; conversation/report.py, no platform's): lead only, the
  date parses, the meeting exists; raises the usual NcpiError with the sentence the user
  sees. For the panel paper, the check is building it (queries only, no rendering), so the
  request carries the paper it checked.
- `upload_report` (slow, after ack): renders that paper as the Word file with its chart (the
  s.55 response is built here), opens a DM with the lead and uploads it with files_upload_v2.
  What was checked is what arrives: "it will be in your DM" holds even if the meeting is
  cancelled in between, and the tracker is read once.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.members import fill_names_from_slack
from conversation.report import ReportRequest, check_report
from models.clock import Clock
from models.db import Database
from models.errors import NcpiError
from models.paper import (
    Paper,
    build_paper,
    build_response,
    chart_png,
    default_filename,
    render_docx,
    render_response_docx,
    response_filename,
    trend_png,
)
from models.service import require_lead
from models.settings import MARKING
from models.wording import long_day, plural

log = logging.getLogger(__name__)
__all__ = ["ReportRequest", "check_report", "upload_report"]


def upload_report(
    client: WebClient,
    db: Database,
    clock: Clock,
    request: ReportRequest,
    *,
    marking: str = MARKING,
) -> tuple[str, str]:
    """Uploads the checked paper (or builds the s.55 response) to the lead's DM, with the
    protective marking (NCPI_MARKING) in header and footer. Returns (DM channel id, file
    name)."""
    if request.response:
        return _upload_response(client, db, clock, request, marking=marking)
    paper = request.paper
    if paper is None:
        raise ValueError("a panel paper's ReportRequest comes from check_report, with its paper")
    if fill_names_from_slack(client, db):  # people by name in the paper, never by id
        paper = _renamed(db, clock, request) or paper
    content = render_docx(paper, chart=chart_png(paper), trend=trend_png(paper), marking=marking)
    filename = default_filename(paper)
    dm = client.conversations_open(users=request.actor)["channel"]["id"]
    ref = f" ({paper.paper_ref})" if paper.paper_ref else ""
    client.files_upload_v2(
        channel=dm,
        content=content,
        filename=filename,
        title=f"Draft panel paper{ref}, {paper.panel_day:%d %b %Y}",
        initial_comment=(
            f"Here is the draft update paper for the panel on {long_day(paper.panel_day)}{ref}: "
            f"{len(paper.signed_off)} of {plural(len(paper.sections), 'recommendation')} signed off, "
            f"{len(paper.outstanding)} outstanding. The closing sections are left for you to write."
        ),
    )
    log.info("panel paper uploaded: %s bytes, file %s", len(content), filename)
    return dm, filename


def _renamed(db: Database, clock: Clock, request: ReportRequest) -> Paper | None:
    """The checked paper drawn again, now that Slack has named people it knew only by id;
    None (keep the checked one) if it can no longer be drawn (the meeting was cancelled)."""
    try:
        with db.read() as session:
            return build_paper(
                session,
                today=clock.today(),
                now=clock.now(),
                panel=request.panel,
                board=request.board,
                inspection=request.inspection,
            )
    except NcpiError:
        return None


def _upload_response(
    client: WebClient, db: Database, clock: Clock, request: ReportRequest, *, marking: str
) -> tuple[str, str]:
    fill_names_from_slack(client, db)
    with db.read() as session:
        require_lead(session, request.actor, "draft the s.55 response")
        response = build_response(
            session, today=clock.today(), now=clock.now(), inspection=request.inspection
        )
    content = render_response_docx(response, marking=marking)
    filename = response_filename(response)
    dm = client.conversations_open(users=request.actor)["channel"]["id"]
    gaps = response.gaps
    gap_text = (
        f" {plural(len(gaps), 'recommendation')} "
        f"({', '.join(f'{i.rec.ref}' for i in gaps)}) "
        f"{'has' if len(gaps) == 1 else 'have'} no action planned yet; the draft marks each gap."
        if gaps
        else " Every open recommendation has an action planned."
    )
    deadline = f" (s.55 deadline {long_day(response.deadline)})" if response.deadline else ""
    client.files_upload_v2(
        channel=dm,
        content=content,
        filename=filename,
        title=f"Draft s.55 response, {response.inspection_code}",
        initial_comment=(
            f"Here is the draft of the PCC's s.55 comments on the report{deadline}: "
            f"{plural(len(response.items), 'recommendation')}, each with what the force will do."
            + gap_text
        ),
    )
    log.info("s.55 response uploaded: %s bytes, file %s", len(content), filename)
    return dm, filename
