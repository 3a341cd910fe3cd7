"""The paper for a past panel shows the tracker as it stood that day, rebuilt from history; and
what the paper states is true and grammatical: sign-offs since reopened, counts, names.

One small tracker (the `tracker` fixture, tests/paper/conftest.py, which sets out the days it
was changed on), and the paper drafted on 1 May 2027 for the panel of 19 March or the next.
"""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, time

import pytest
from docx import Document

from bot import router
from bot.app import create_client
from bot.deps import Deps
from bot.report_upload import upload_report
from models.clock import Clock
from models.paper import render_docx, render_markdown
from models.service import add_action, add_panel, reopen, sign_off, update_action
from models.settings import load_settings
from models.tables import Status
from tests import ROOT
from tests.conftest import TZ
from tests.paper.conftest import (
    CMD,
    JANE,
    LEAD,
    NAMELESS,
    PANEL,
    TODAY,
    at,
    setup_tracker,
    tracker_paper,
)


def _docx_text(paper) -> str:
    doc = Document(io.BytesIO(render_docx(paper)))
    text = [p.text for p in doc.paragraphs]
    text += [" | ".join(c.text for c in r.cells) for t in doc.tables for r in t.rows]
    return "\n".join(text)


# -- as it stood -------------------------------------------------------------------------------


def test_the_paper_for_a_past_panel_shows_the_tracker_as_it_stood_that_day(tracker):
    paper = tracker_paper(tracker, panel=PANEL)
    md = render_markdown(paper)
    for out in (md, _docx_text(paper)):
        # R1.1 was at risk and due 30 April then; R1.2 did not exist; R2 was signed off
        assert "R1.1 | Train the night shift | DI Jane Doe | 30 Apr 2027 | at risk | Amber" in out
        assert "R1.2" not in out and "Audit thirty cases" not in out
        assert "Recommendation 2 – Signed off" in out
        assert "31 May 2027" not in out and "trainer off sick" not in out
        assert "homes not yet covered" not in out and "places found" not in out
    # R2.1 was due 15 March: late on the panel's day
    assert "| R2.1 | Philomena protocol in every home |" in md
    assert "| 15 Mar 2027 | not started | Red |" in md
    assert "As at 19 March 2027 there are 2 open actions: 1 red, 1 amber and 0 green." in md
    assert "| R1 Recommendation 1 title | Remains outstanding | 1 | 0 | 1 | 0 |" in md
    assert "| R2 Recommendation 2 title | Signed off | 1 | 1 | 0 | 0 |" in md
    assert "Recommendation 2 (Recommendation 2 title) has been signed off" in md
    assert "training places delayed (DI Jane Doe, 10 March 2027)." in md


def test_the_next_panel_paper_still_shows_todays_tracker(tracker):
    md = render_markdown(tracker_paper(tracker))
    assert "| R1.1 | Train the night shift | DI Jane Doe | 31 May 2027 | on track | Green |" in md
    assert "| R1.2 | Audit thirty cases |" in md
    assert "As at 1 May 2027 there are 3 open actions" in md
    assert "Recommendation 2 – Remains outstanding" in md


def test_report_with_a_past_date_on_the_command_line_writes_the_paper_as_it_stood(
    tracker, db_url, tmp_path
):
    out = tmp_path / "paper.md"
    env = {"DATABASE_URL": db_url, "NCPI_CLOCK": at(TODAY).isoformat(), "PATH": "/usr/bin:/bin"}
    r = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--panel", "19/03/2027", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert "as the tracker stood on 19 March 2027" in r.stdout
    md = out.read_text()
    assert "| 30 Apr 2027 | at risk | Amber |" in md and "Audit thirty cases" not in md


def test_slash_report_with_a_past_date_uploads_the_paper_as_it_stood(tracker, slack_standin):
    clock = Clock(TZ, at(TODAY))
    deps = Deps(load_settings(slack_standin.env()), tracker, clock)
    reply = router.run(deps, "/ncpi report 19/03/2027", actor=LEAD)
    assert "19 Mar 2027" in reply.text and "as the tracker stood that day" in reply.text
    upload_report(create_client(deps.settings), tracker, clock, reply.report)
    (stored,) = slack_standin.files.values()
    text = _docx_text_bytes(stored["content"])
    assert "Train the night shift | DI Jane Doe | 30 Apr 2027 | at risk | Amber" in text
    assert "Audit thirty cases" not in text
    assert "1 of 2 recommendations signed off" in stored["initial_comment"]


def _docx_text_bytes(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    text = [p.text for p in doc.paragraphs]
    text += [" | ".join(c.text for c in r.cells) for t in doc.tables for r in t.rows]
    return "\n".join(text)


# -- correct statements ------------------------------------------------------------------------


def test_a_recommendation_reopened_after_sign_off_is_not_reported_signed_off(tracker):
    md = render_markdown(tracker_paper(tracker))  # the window since 19 March holds the reopening
    assert "### Recommendation 2 – Remains outstanding" in md
    assert "Recommendation 2 (Recommendation 2 title) has been signed off" not in md
    assert "0 of the 2 recommendations have been signed off; 2 remain outstanding" in md
    assert (
        "Recommendation 2 was reopened by Head of Safeguarding on 2 April 2027: "
        "homes not yet covered.\n" in md
    )


def test_a_past_panel_does_not_report_a_sign_off_reopened_before_it_sat(tracker):
    for day, step in ((5, sign_off), (8, reopen)):
        kw = {"today": date(2027, 3, day)} if step is sign_off else {}
        with tracker.write() as s:
            step(s, rec="R1", actor=LEAD, source=CMD, now=at(date(2027, 3, day)), **kw)
    paper = tracker_paper(tracker, panel=PANEL)
    for out in (render_markdown(paper), _docx_text(paper)):
        assert "Recommendation 1 – Remains outstanding" in out
        assert "Recommendation 1 (Recommendation 1 title) has been signed off" not in out
        assert "Recommendation 2 (Recommendation 2 title) has been signed off." in out
        assert "1 of the 2 recommendations has been signed off; 1 remains outstanding" in out


def test_signed_off_twice_in_the_window_is_reported_once(tracker):
    for day, step in ((25, sign_off), (26, reopen), (27, sign_off)):
        kw = {"today": date(2027, 4, day)} if step is sign_off else {}
        with tracker.write() as s:
            step(s, rec="R2", actor=LEAD, source=CMD, now=at(date(2027, 4, day)), **kw)
    md = render_markdown(tracker_paper(tracker))
    assert md.count("Recommendation 2 (Recommendation 2 title)") == 1
    assert "Recommendation 2 (Recommendation 2 title) has been signed off." in md


def test_the_subject_line_follows_ap23_07(tracker):
    paper = tracker_paper(tracker, panel=PANEL)
    subject = (
        "SUBJECT: UPDATE IN RESPONSE TO RECOMMENDATIONS CONTAINED WITHIN THE NATIONAL CHILD "
        "PROTECTION INSPECTION (NCPI) RE-INSPECTION REPORT FOR SUFFOLK CONSTABULARY"
    )
    assert subject in render_markdown(paper).replace("**", "")
    assert subject in _docx_text(paper)


def test_people_are_named_never_by_id(tracker):
    for paper in (tracker_paper(tracker), tracker_paper(tracker, panel=PANEL)):
        for out in (render_markdown(paper), _docx_text(paper)):
            for uid in (LEAD, JANE, NAMELESS):
                assert uid not in out
            assert "Philomena protocol in every home | [owner to be named] |" in out


@pytest.mark.parametrize("recs", [1, 2])
def test_counted_phrases_are_grammatical_at_0_1_and_2(db, recs):
    setup_tracker(db, recs=recs)
    with db.write() as s:
        add_panel(
            s,
            day=date(2027, 5, 21),
            at=time(10),
            paper_ref=None,
            actor=LEAD,
            now=at(date(2027, 3, 1)),
            tz=TZ,
            source=CMD,
            today=date(2027, 3, 1),
        )
    md = render_markdown(tracker_paper(db))  # nothing open, nothing signed off
    assert "there are 0 open actions" in md
    if recs == 1:
        assert f"against the {recs} recommendation," in md
        assert "The recommendation remains outstanding" in md
        assert "2.1 The recommendation remains outstanding (Recommendation 1)." in md
    else:
        assert "0 of the 2 recommendations have been signed off; 2 remain outstanding" in md
        assert "2.1 Of the 2 recommendations, 0 have been signed off and 2 remain outstanding" in md
        assert "(Recommendations 1 and 2)." in md
    with db.write() as s:
        add_action(
            s,
            rec="R1",
            title="One thing",
            owner=JANE,
            due=date(2027, 6, 1),
            actor=LEAD,
            source=CMD,
            now=at(date(2027, 3, 2)),
        )
        sign_off(
            s, rec="R1", actor=LEAD, source=CMD, now=at(date(2027, 3, 3)), today=date(2027, 3, 3)
        )
    md = render_markdown(tracker_paper(db))
    assert "there is 1 open action: 0 red, 0 amber and 1 green" in md
    if recs == 1:
        assert "The recommendation has been signed off." in md
    else:
        assert "1 of the 2 recommendations has been signed off; 1 remains outstanding" in md
        assert "1 has been signed off and 1 remains outstanding (Recommendation 2)." in md
    for wrong in ("1 recommendations", "1 actions", "1 open actions", "Recommendations 2)"):
        assert wrong not in md


def test_the_paper_as_it_stood_is_gathered_in_a_fixed_number_of_queries(tracker):
    from sqlalchemy import event

    def count() -> int:
        n = 0

        def bump(*_a, **_k):
            nonlocal n
            n += 1

        event.listen(tracker.read_engine, "before_cursor_execute", bump)
        try:
            tracker_paper(tracker, panel=PANEL)
        finally:
            event.remove(tracker.read_engine, "before_cursor_execute", bump)
        return n

    before = count()
    with tracker.write() as s:
        for day in (22, 23, 24):
            update_action(
                s,
                ref="R2.1",
                status=Status.BLOCKED if day % 2 else Status.ON_TRACK,
                note=None,
                actor=LEAD,
                source=CMD,
                now=at(date(2027, 4, day)),
            )
            add_action(
                s,
                rec="R2",
                title=f"Later work {day}",
                owner=JANE,
                due=None,
                actor=LEAD,
                source=CMD,
                now=at(date(2027, 4, day)),
            )
    assert 0 < before < 25  # the trend (4) and the review decisions (1) are a query or so each
    assert count() == before
    assert "Later work" not in render_markdown(tracker_paper(tracker, panel=PANEL))
