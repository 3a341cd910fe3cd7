"""The PCC's s.55 comments on the report, drafted from the sample tracker in the shape of the
seed's opening letter: addressed to the Home Secretary, the report named, and for every
recommendation what the force will do (actions, owners' roles, target dates) or a marked gap."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from docx import Document
from docx.shared import Cm
from sqlmodel import select

from bot.app import create_client
from bot.report_upload import check_report, upload_report
from models.errors import Forbidden
from models.paper import (
    GAP,
    build_response,
    render_response_docx,
    render_response_markdown,
    write_response,
)
from models.paper.phrases import short_day
from models.sample import ACTIONS, LEAD, PEOPLE, RECS
from models.service import mark_implemented, verify_action, withdraw_action
from models.settings import load_settings
from models.tables import Action, Source
from tests import ROOT

REPORT = "RE: HMICFRS – National Child Protection Inspection (Re-inspection) Report for Suffolk Constabulary."
ADDRESS = ["Home Secretary", "Home Office", "2 Marsham Street", "London"]
IDS = re.compile(r"\bU0[A-Z0-9]{6,}\b")


def _response(db, clock, today=None, now=None):
    with db.read() as session:
        return build_response(session, today=today or clock.today(), now=now or clock.now())


def _docx_text(content: bytes) -> tuple[Document, str]:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return doc, "\n".join([p.text for p in doc.paragraphs] + cells)


def _sample_rows(rec: int, today) -> list[tuple[str, str, str]]:
    """(ref, owner's name, target date) of each sample action under `rec`."""
    names = {uid: name for uid, name, _role, _mgr in PEOPLE}
    mine = [a for a in ACTIONS if a.rec == rec]
    return [
        (f"R{rec}.{i}", names[a.owner], short_day(today + timedelta(days=a.due_in_days)))
        for i, a in enumerate(mine, start=1)
    ]


def test_the_letter_is_addressed_like_the_seed_and_names_the_report(sample, clock):
    md = render_response_markdown(_response(sample, clock))
    lines = md.splitlines()
    top = [line.strip() for line in lines[:8]]
    assert all(a in top for a in ADDRESS), top
    assert top.index("Home Secretary") < top.index("Home Office") < top.index("2 Marsham Street")
    assert "Dear Home Secretary" in lines
    assert f"**{REPORT}**" in lines
    # the report's publication and the s.55 basis and deadline (publication + 55 days)
    assert "published the report on 22 December 2022" in md
    assert "Section 55 of the Police Act 1996" in md and "56-day period" in md
    assert "by 15 February 2023" in md
    assert "Yours sincerely" in lines
    assert lines[-1].endswith("Police and Crime Commissioner for Suffolk")


def test_every_recommendation_in_order_with_its_actions_owners_and_target_dates(sample, clock):
    today = clock.today()
    md = render_response_markdown(_response(sample, clock))
    headings = re.findall(r"^## Recommendation (\d+) – (.+)$", md, flags=re.M)
    assert [int(n) for n, _ in headings] == list(range(1, 11))
    for (_n, title), rec in zip(headings, RECS, strict=True):
        assert title.startswith(rec.title)
    sections = md.split("\n## Recommendation ")[1:]
    for rec, body in zip(RECS, sections, strict=True):
        assert rec.text in body.replace("\\", "")
        for ref, owner, target in _sample_rows(rec.number, today):
            row = next(line for line in body.splitlines() if line.startswith(f"| {ref} |"))
            assert owner in row and target in row, row
    # the sample plans something for every recommendation still open: no gap
    assert GAP not in md
    assert "signed this recommendation off on 1 December 2023" in sections[0]


def test_a_recommendation_with_nothing_planned_is_a_marked_gap(sample, clock):
    later = clock.now() + timedelta(days=1)
    with sample.write() as s:  # R6's only action done and verified; R6 is still outstanding
        mark_implemented(
            s,
            ref="R6.1",
            actor="U0MARACLD1",
            evidence="MARAC minutes",
            source=Source.COMMAND,
            now=later,
        )
        verify_action(s, ref="R6.1", actor=LEAD, source=Source.COMMAND, now=later)
        mark_implemented(  # done but not yet verified: still in hand
            s,
            ref="R2.2",
            actor="U0DIMISS01",
            evidence="Athena fields",
            source=Source.COMMAND,
            now=later,
        )
    response = _response(sample, clock, today=later.date(), now=later)
    assert [i.rec.number for i in response.gaps] == [6]
    md = render_response_markdown(response)
    sections = md.split("\n## Recommendation ")[1:]
    r6 = sections[5]
    assert f"**{GAP}**" in r6
    assert "Completed, with the evidence verified: R6.1" in r6
    assert "| R6.1 |" not in r6  # completed, not planned
    assert sum(s.count(GAP) for s in sections) == 1  # signed-off ones are not gaps
    assert "implemented, awaiting verification" in sections[1]
    assert "Recommendation 6 has no action planned yet" in md
    _, text = _docx_text(render_response_docx(response))
    assert text.count(GAP) == 1


def test_no_raw_slack_id_in_either_file(sample, clock):
    with sample.write() as s:  # an owner the tracker knows only by id
        a = s.exec(select(Action).where(Action.title.startswith("MARAC actions"))).one()
        a.owner = "U0NOBODY99"
    response = _response(sample, clock)
    md = render_response_markdown(response)
    _, text = _docx_text(render_response_docx(response))
    for out in (md, text):
        assert not IDS.search(out), IDS.search(out)
        assert "[owner to be named]" in out.replace("\\", "")


def test_the_word_file_opens_a4_marked_and_paged(sample, clock):
    doc, text = _docx_text(render_response_docx(_response(sample, clock)))
    sec = doc.sections[0]
    assert abs(sec.page_width - Cm(21.0)) < Cm(0.01) and abs(sec.page_height - Cm(29.7)) < Cm(0.01)
    assert sec.header.paragraphs[0].text == "OFFICIAL"
    assert "PAGE" in sec.footer._element.xml and "NUMPAGES" in sec.footer._element.xml
    assert REPORT in text and "Dear Home Secretary" in text
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert [h.split(" – ")[0] for h in headings] == [f"Recommendation {n}" for n in range(1, 11)]
    r2 = doc.tables[0].rows
    assert [c.text for c in r2[0].cells] == ["Ref", "Action", "Owner", "Target date", "Status"]
    assert r2[1].cells[0].text == "R2.1"
    assert r2[1].cells[2].text == "Inspector, Contact and Control Room (sample)"


def test_cli_writes_the_response_as_word_and_markdown(sample, clock, tmp_path, db_url):
    env = {"DATABASE_URL": db_url, "NCPI_CLOCK": clock.now().isoformat(), "PATH": "/usr/bin:/bin"}
    for out in (tmp_path / "response.md", tmp_path / "response.docx"):
        r = subprocess.run(
            [sys.executable, "-m", "bot", "report", "--response", "--out", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 0, r.stderr
        assert f"wrote {out}" in r.stdout
    assert REPORT in (tmp_path / "response.md").read_text()
    assert REPORT in _docx_text((tmp_path / "response.docx").read_bytes())[1]


def test_write_response_refuses_other_formats(sample, clock, tmp_path):
    from models.errors import UsageError

    with pytest.raises(UsageError, match="response to a .docx or .md"):
        write_response(_response(sample, clock), tmp_path / "response.pdf")


def test_only_a_lead_gets_the_response_and_it_arrives_in_a_dm(sample, clock, slack_standin):
    with pytest.raises(Forbidden, match="Only a lead can draft the s.55 response"):
        check_report(sample, clock, actor="U0DIMISS01", text="", response=True)
    client = create_client(load_settings(slack_standin.env()))
    request = check_report(sample, clock, actor=LEAD, text="", response=True)
    dm, filename = upload_report(client, sample, clock, request)
    assert filename == "NCPI-s55-response-2026-11-25.docx"
    stored = next(iter(slack_standin.files.values()))
    assert stored["channel"] == dm and "s.55" in stored["initial_comment"]
    assert REPORT in _docx_text(stored["content"])[1]


def test_slash_command_report_response_uploads_the_letter(sample, clock, slack_standin):
    from slack_bolt.request import BoltRequest

    from bot.app import Deps, create_app

    deps = Deps(load_settings(slack_standin.env()), sample, clock)
    app = create_app(deps, verify_requests=False, process_before_response=True)
    form = {
        "team_id": "T0STANDIN",
        "channel_id": "C0PANEL01",
        "user_id": LEAD,
        "command": "/ncpi",
        "text": "report response",
        "api_app_id": "A0STANDIN",
        "response_url": slack_standin.response_url("response"),
        "trigger_id": "t.1",
    }
    resp = app.dispatch(
        BoltRequest(
            body=urlencode(form), headers={"content-type": ["application/x-www-form-urlencoded"]}
        )
    )
    assert resp.status == 200
    (stored,) = slack_standin.files.values()
    assert "s55-response" in stored["name"] and stored["channel"].startswith("D")
    doc, text = _docx_text(stored["content"])
    assert REPORT in text and not doc.inline_shapes  # a letter: no chart
    answer = slack_standin.wait_for_response("response", count=2)
    assert "draft s.55 response" in str(answer.args) and "in your DM" in str(answer.args)


def test_a_withdrawn_action_is_not_what_the_force_will_do(sample, clock):
    """R6's only action withdrawn: it is not listed as planned, and R6 becomes a marked gap."""
    later = clock.now() + timedelta(days=1)
    with sample.write() as s:
        withdraw_action(
            s,
            ref="R6.1",
            actor=LEAD,
            reason="superseded by the MARAC review",
            source=Source.COMMAND,
            now=later,
        )
    response = _response(sample, clock, today=later.date(), now=later)
    assert [i.rec.number for i in response.gaps] == [6]
    r6 = render_response_markdown(response).split("\n## Recommendation ")[1:][5]
    assert "R6.1" not in r6 and f"**{GAP}**" in r6
