"""`/ncpi report`: the Word file reaches the lead's DM through files_upload_v2."""

from __future__ import annotations

import io

import pytest
from docx import Document

from bot.app import create_client
from bot.report_upload import check_report, upload_report
from models import service
from models.errors import Forbidden, NotFound
from models.sample import LEAD
from models.settings import load_settings
from models.tables import Source


def test_a_lead_gets_the_paper_in_a_dm(sample, clock, slack_standin):
    client = create_client(load_settings(slack_standin.env()))
    request = check_report(sample, clock, actor=LEAD, text="")
    dm, filename = upload_report(client, sample, clock, request)
    assert filename.endswith(".docx")
    assert slack_standin.last("conversations.open").args["users"] == LEAD
    stored = next(iter(slack_standin.files.values()))
    assert stored["channel"] == dm and stored["name"] == filename
    assert "draft update paper" in stored["initial_comment"]
    doc = Document(io.BytesIO(stored["content"]))
    assert any(p.text == "SUMMARY" for p in doc.paragraphs) and doc.inline_shapes


def test_only_leads_and_real_meetings(sample, clock):
    with pytest.raises(Forbidden, match="Only a lead can draft the panel paper"):
        check_report(sample, clock, actor="U0DIMISS01", text="")
    with pytest.raises(NotFound, match="no panel meeting on 01/01/2027"):
        check_report(sample, clock, actor=LEAD, text="01/01/2027")


def test_the_paper_checked_is_the_paper_that_arrives(sample, clock, slack_standin):
    """Once checked, the lead is told the draft is on its way: it arrives as it was checked
    even if the meeting is cancelled before the upload, because the paper is built once."""
    client = create_client(load_settings(slack_standin.env()))
    request = check_report(sample, clock, actor=LEAD, text="")
    with sample.write() as session:
        insp = service.get_inspection(session)
        day = service.next_panel(session, today=clock.today(), inspection_id=insp.id).day
        service.remove_panel(session, day=day, actor=LEAD, now=clock.now(), source=Source.COMMAND)
    upload_report(client, sample, clock, request)
    (stored,) = slack_standin.files.values()
    assert f"for the panel on {day:%a %d %b %Y}" in stored["initial_comment"]


def test_slash_command_through_the_app_uploads_to_the_leads_dm(sample, clock, slack_standin):
    from urllib.parse import urlencode

    from slack_bolt.request import BoltRequest

    from bot.app import Deps, create_app

    deps = Deps(load_settings(slack_standin.env()), sample, clock)
    app = create_app(deps, verify_requests=False, process_before_response=True)
    form = {
        "team_id": "T0STANDIN",
        "channel_id": "C0PANEL01",
        "user_id": LEAD,
        "command": "/ncpi",
        "text": "report",
        "api_app_id": "A0STANDIN",
        "response_url": slack_standin.response_url("report"),
        "trigger_id": "t.1",
    }
    resp = app.dispatch(
        BoltRequest(
            body=urlencode(form), headers={"content-type": ["application/x-www-form-urlencoded"]}
        )
    )
    assert resp.status == 200
    (stored,) = slack_standin.files.values()
    assert stored["name"].endswith(".docx") and stored["channel"].startswith("D")
    doc = Document(io.BytesIO(stored["content"]))
    assert len(doc.inline_shapes) == 2  # the RAG chart and the trend
    assert any(p.text == "Recommendation 9 – Remains outstanding" for p in doc.paragraphs)
    answer = slack_standin.wait_for_response("report", count=2)
    assert "in your DM" in str(answer.args)
