"""The draft panel paper on the sample tracker: statuses, open actions, history, Word, chart."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, timedelta

import pytest
from docx import Document
from sqlalchemy import event

from models.errors import NotFound
from models.paper import build_paper, chart_png, render_docx, render_markdown, write_paper
from models.sample import ACTIONS, LEAD
from models.service import mark_implemented, set_due, sign_off, verify_action
from models.tables import Source
from tests import ROOT

OUTSTANDING = {2, 4, 6, 9}
PNG = b"\x89PNG\r\n\x1a\n"


def _paper(db, clock, **kw):
    with db.read() as session:
        return build_paper(session, today=clock.today(), now=clock.now(), **kw)


def _open_refs(rec: int) -> list[str]:
    n = [a for a in ACTIONS if a.rec == rec]
    return [f"R{rec}.{i}" for i in range(1, len(n) + 1)]


def test_markdown_names_every_recommendation_with_its_status_and_open_actions(sample, clock):
    paper = _paper(sample, clock)
    md = render_markdown(paper, chart_file="chart.png")
    assert "**PAPER NO:** AP26/04" in md
    assert "ACCOUNTABILITY AND PERFORMANCE PANEL – 18 DECEMBER 2026" in md
    for n in range(1, 11):
        status = "Remains outstanding" if n in OUTSTANDING else "Signed off"
        assert f"### Recommendation {n} – {status}" in md
    sections = md.split("### Recommendation ")[1:]
    for n in OUTSTANDING:
        body = sections[n - 1]
        assert "#### Improvement required" in body
        for ref in _open_refs(n):
            assert f"| {ref} |" in body
    assert "4 remain outstanding" in md
    assert "![Actions by RAG status per recommendation](chart.png)" in md
    assert "## 3. FINANCIAL IMPLICATIONS" in md and "## 4. OTHER IMPLICATIONS AND RISKS" in md


def test_word_file_has_headings_numbered_lists_tables_and_the_chart(sample, clock):
    paper = _paper(sample, clock)
    doc = Document(io.BytesIO(render_docx(paper, chart=chart_png(paper))))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Head")]
    names = [t for _, t in headings]
    assert ("Heading 1", "SUMMARY") in headings
    assert ("Heading 1", "RECOMMENDATION") in headings
    assert ("Heading 1", "3. FINANCIAL IMPLICATIONS") in headings
    assert ("Heading 1", "4. OTHER IMPLICATIONS AND RISKS") in headings
    for n in range(1, 11):
        status = "Remains outstanding" if n in OUTSTANDING else "Signed off"
        assert ("Heading 2", f"Recommendation {n} – {status}") in headings
    assert names.count("Improvement required") == 4
    numbered = [p for p in doc.paragraphs if p.style.name == "List Number"]
    assert numbered and numbered[0].text.startswith(
        "HMICFRS completed the National Child Protection Inspection (NCPI) of Suffolk Constabulary"
    )
    # one overview table plus one table of open actions per recommendation that has them
    tables = doc.tables
    assert [c.text for c in tables[0].rows[0].cells][:2] == ["Recommendation", "Status"]
    assert len(tables[0].rows) == 11
    action_tables = tables[1:]
    assert [c.text for c in action_tables[0].rows[0].cells] == [
        "Ref",
        "Action",
        "Owner",
        "Due",
        "Status",
        "RAG",
    ]
    refs = {row.cells[0].text for t in action_tables for row in t.rows[1:]}
    for n in OUTSTANDING:
        assert set(_open_refs(n)) <= refs
    r2 = action_tables[0].rows[1].cells
    assert r2[0].text == "R2.1" and r2[5].text == "Red" and r2[4].text == "at risk"
    assert "Inspector, Contact and Control Room" in r2[2].text
    blips = doc.inline_shapes
    assert len(blips) == 1
    rel = doc.part.related_parts[blips[0]._inline.graphic.graphicData.pic.blipFill.blip.embed]
    assert rel.blob.startswith(PNG)
    assert doc.core_properties.title.startswith("Update in response")


def test_changes_since_the_last_panel_are_dated_and_attributed(sample, clock):
    later = clock.now() + timedelta(days=1)
    with sample.write() as s:
        mark_implemented(
            s,
            ref="R2.2",
            actor="U0DIMISS01",
            evidence="Athena fields made compulsory",
            source=Source.COMMAND,
            now=later,
        )
        verify_action(s, ref="R2.2", actor=LEAD, source=Source.COMMAND, now=later)
        set_due(
            s,
            ref="R4.1",
            due=date(2027, 3, 31),
            actor=LEAD,
            reason="training slots moved to the new year",
            source=Source.COMMAND,
            now=later,
        )
        sign_off(s, rec="R6", actor=LEAD, source=Source.COMMAND, now=later, today=later.date())
    with sample.read() as session:
        paper = build_paper(session, today=later.date(), now=later)
    md = render_markdown(paper)
    assert "verified the evidence for R2.2" in md
    assert "Recommendation 6 (Multi-agency risk meetings) has been signed off" in md
    assert "R4.1 moved from 15 December 2026 to 31 March 2027" in md
    assert "training slots moved to the new year" in md
    assert "### Recommendation 6 – Signed off" in md
    assert "R2.2 was reported implemented by DI Missing Persons (sample) on 26 November 2026." in md
    assert "R2.2 was verified by Head of Safeguarding (sample lead) on 26 November 2026." in md
    assert "Athena fields made compulsory (DI Missing Persons (sample), 26 November 2026)" in md


def test_paper_gathers_in_a_fixed_number_of_queries(sample, clock):
    def count() -> int:
        n = 0

        def bump(*_a, **_k):
            nonlocal n
            n += 1

        engine = sample.read_engine
        event.listen(engine, "before_cursor_execute", bump)
        try:
            _paper(sample, clock)
        finally:
            event.remove(engine, "before_cursor_execute", bump)
        return n

    before = count()
    with sample.write() as s:
        for ref in ("R4.1", "R4.2", "R4.3", "R9.2"):
            mark_implemented(
                s,
                ref=ref,
                actor=LEAD,
                evidence="board minutes",
                source=Source.COMMAND,
                now=clock.now(),
            )
    assert 0 < before < 25  # the trend adds four, however many panels have sat
    assert count() == before


def test_unknown_panel_date_is_refused(sample, clock):
    with pytest.raises(NotFound, match="no panel meeting on 01/01/2027"):
        _paper(sample, clock, panel=date(2027, 1, 1))


def test_cli_writes_word_and_markdown_with_png_beside_it(sample, clock, tmp_path, db_url):
    env = {"DATABASE_URL": db_url, "NCPI_CLOCK": clock.now().isoformat(), "PATH": "/usr/bin:/bin"}
    md = tmp_path / "paper.md"
    docx = tmp_path / "paper.docx"
    for out in (md, docx):
        r = subprocess.run(
            [sys.executable, "-m", "bot", "report", "--out", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 0, r.stderr
    png = tmp_path / "paper-rag-chart.png"
    assert png.read_bytes().startswith(PNG)
    assert "(paper-rag-chart.png)" in md.read_text()
    assert Document(str(docx)).tables


def test_write_paper_refuses_other_formats(sample, clock, tmp_path):
    from models.errors import UsageError

    with pytest.raises(UsageError):
        write_paper(_paper(sample, clock), tmp_path / "paper.pdf")
