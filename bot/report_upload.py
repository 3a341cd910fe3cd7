"""`/ncpi report [panel date]`: the draft panel paper, uploaded to the lead who asked.

Two steps so the listener stays thin and acks in time:
- `check_report` (fast, before or right after ack): lead only, the date parses, the meeting
  exists; raises the usual NcpiError with the sentence the user sees.
- `upload_report` (slow, after ack): builds the paper, renders the Word file with its chart,
  opens a DM with the lead and uploads it there with files_upload_v2.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from slack_sdk import WebClient

from models.clock import Clock
from models.db import Database
from models.paper import build_paper, chart_png, default_filename, render_docx
from models.parsing import parse_date
from models.service import require_lead
from models.wording import plural

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportRequest:
    actor: str
    panel: date | None
    board: str | None = None  # NCPI_BOARD_NAME, named in the paper
    inspection: str | None = None  # its code; needed when several inspections are tracked


def check_report(
    db: Database,
    clock: Clock,
    *,
    actor: str,
    text: str,
    board: str | None = None,
    inspection: str | None = None,
) -> ReportRequest:
    """Refuses non-leads and bad dates with the sentence the user sees. Cheap: no rendering."""
    today = clock.today()
    text = text.strip()
    panel = parse_date(text, today=today) if text else None
    with db.read() as session:
        require_lead(session, actor, "draft the panel paper")
        build_paper(
            session, today=today, now=clock.now(), panel=panel, inspection=inspection
        )  # unknown meeting → NotFound
    return ReportRequest(actor=actor, panel=panel, board=board, inspection=inspection)


def upload_report(
    client: WebClient, db: Database, clock: Clock, request: ReportRequest
) -> tuple[str, str]:
    """Builds the paper and uploads it to the lead's DM. Returns (DM channel id, file name)."""
    with db.read() as session:
        require_lead(session, request.actor, "draft the panel paper")
        paper = build_paper(
            session,
            today=clock.today(),
            now=clock.now(),
            panel=request.panel,
            board=request.board,
            inspection=request.inspection,
        )
    content = render_docx(paper, chart=chart_png(paper))
    filename = default_filename(paper)
    dm = client.conversations_open(users=request.actor)["channel"]["id"]
    ref = f" ({paper.paper_ref})" if paper.paper_ref else ""
    client.files_upload_v2(
        channel=dm,
        content=content,
        filename=filename,
        title=f"Draft panel paper{ref}, {paper.panel_day:%d %b %Y}",
        initial_comment=(
            f"Here is the draft update paper for the panel on {paper.panel_day:%a %d %b %Y}{ref}: "
            f"{len(paper.signed_off)} of {plural(len(paper.sections), 'recommendation')} signed off, "
            f"{len(paper.outstanding)} outstanding. The closing sections are left for you to write."
        ),
    )
    log.info("panel paper uploaded: %s bytes, file %s", len(content), filename)
    return dm, filename
