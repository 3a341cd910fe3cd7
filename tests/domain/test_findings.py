"""The paper's own wording: findings and improvement-required paragraphs per recommendation,
and the closing sections, written by leads (command, form, workbook) and printed as AP23/07
prints them. Editing the wording never edits history. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook

from models.errors import LeadOnly, UsageError
from models.paper import build_paper, render_docx, render_markdown
from models.sample import LEAD, WRITER
from models.service import history, rec_paragraphs, write_closing, write_findings
from models.tables import PaperSection, Source, Update
from models.transfer import ImportRejected, export_tracker, import_file
from tests.conftest import TZ
from tests.factories import BASE_SHEETS, count, wipe, workbook

FIND, IMPROVE = PaperSection.FINDINGS, PaperSection.IMPROVEMENT


def _import(db, clock, path, **kw):
    return import_file(db, path, now=clock.now(), today=clock.today(), tz=TZ, **kw)


def _md(db, clock):
    with db.read() as s:
        return render_markdown(build_paper(s, today=clock.today(), now=clock.now()))


def _write(db, clock, rec, sections, actor=LEAD, days=1):
    with db.write() as s:
        write_findings(
            s,
            rec=rec,
            sections=sections,
            actor=actor,
            now=clock.now() + timedelta(days=days),
            today=clock.today() + timedelta(days=days),
            source=Source.COMMAND,
        )


def test_a_leads_findings_print_numbered_under_ap23_07s_headings(db, clock, tmp_path):
    _import(db, clock, workbook(tmp_path / "w.xlsx", BASE_SHEETS))
    _write(
        db,
        clock,
        "R2",
        {FIND: ["Missing children are risk assessed.", "Return interviews improved."]},
    )
    _write(db, clock, "R2", {IMPROVE: ["Overnight supervision is still delayed."]})
    md = _md(db, clock)
    r2 = md.split("### Recommendation 2")[1]
    heading = (
        "#### Findings of the HMICFRS re-inspection and the Constabulary's response to "
        "continued recommendations"
    )
    assert heading in r2
    found = r2.index(heading)
    assert r2.index("Missing children are risk assessed.") > found
    numbers = [line.split()[0] for line in r2.splitlines() if line[:2] == "1."]
    assert numbers == sorted(numbers, key=lambda n: int(n.split(".")[1]))
    assert "Return interviews improved." in r2
    assert r2.index("#### Improvement required") < r2.index("Overnight supervision")
    assert "Progress since the last panel" not in r2  # nothing said since: the findings say it


def test_editing_the_wording_keeps_every_version_in_history(db, clock, tmp_path):
    _import(db, clock, workbook(tmp_path / "w.xlsx", BASE_SHEETS))
    _write(db, clock, "R2", {FIND: ["First wording."]})
    _write(db, clock, "R2", {FIND: ["Second wording."]}, days=2)
    _write(db, clock, "R2", {FIND: []}, days=3)
    with db.read() as s:
        rows = [u for u in history(s, ref="R2") if u.field == "paper_findings"]
        _rec, now = rec_paragraphs(s, rec="R2")
    assert [(u.before, u.after) for u in rows] == [
        (None, "First wording."),
        ("First wording.", "Second wording."),
        ("Second wording.", None),
    ]
    assert now[FIND] == []
    assert "Second wording" not in _md(db, clock)


def test_only_a_lead_writes_the_paper_and_personal_data_is_refused(sample, clock):
    with pytest.raises(LeadOnly):
        _write(sample, clock, "R2", {FIND: ["A finding."]}, actor="U0DIMISS01")
    with pytest.raises(UsageError, match="Findings, paragraph 1 looks like it carries personal"):
        _write(sample, clock, "R2", {FIND: ["Call 07700 900123 about the boy."]})


def test_the_findings_sheet_imports_with_a_dry_run_and_round_trips(db, clock, tmp_path):
    path = workbook(tmp_path / "w.xlsx", {**BASE_SHEETS, "Findings": FINDINGS})
    dry = _import(db, clock, path, dry_run=True)
    assert count(db, Update) == 0
    text = dry.text()
    assert "findings: 3 new, 0 changed" in text
    assert "Findings row 4, improvement: (none) → 'Ethnicity is not always recorded.'" in text
    report = _import(db, clock, path)
    assert report.created["findings"] == 3
    assert _import(db, clock, path).nothing_changed
    with db.read() as s:
        _rec, have = rec_paragraphs(s, rec="R2")
    assert [(p.text, p.written_on, p.author) for p in have[FIND]] == [
        ("Missing children are risk assessed.", date(2023, 10, 2), "DCI Jane Smith"),
    ]
    out = tmp_path / "out.xlsx"
    with db.read() as s:
        export_tracker(s, out, tz=TZ)
    rows = list(load_workbook(out)["Findings"].iter_rows(values_only=True))
    assert rows[0] == ("Recommendation", "Section", "Text", "Date", "Author")
    assert [r[:3] for r in rows[1:]] == [
        ("R2", "Findings", "Missing children are risk assessed."),
        ("R2", "Improvement required", "Overnight supervision is still delayed."),
        ("R2", "Improvement required", "Ethnicity is not always recorded."),
    ]
    wipe(db)
    _import(db, clock, out)
    with db.read() as s:
        _rec, again = rec_paragraphs(s, rec="R2")
    assert [(p.text, p.written_on, p.author) for p in again[FIND]] == [
        (p.text, p.written_on, p.author) for p in have[FIND]
    ]
    assert _import(db, clock, out).nothing_changed


def test_an_edited_findings_row_is_listed_and_a_bad_section_names_its_row(db, clock, tmp_path):
    _import(db, clock, workbook(tmp_path / "w.xlsx", {**BASE_SHEETS, "Findings": FINDINGS}))
    edited = [r[:] for r in FINDINGS]
    edited[2][2] = "Overnight supervision is now prompt."
    dry = _import(
        db, clock, workbook(tmp_path / "e.xlsx", {**BASE_SHEETS, "Findings": edited}), dry_run=True
    )
    assert (
        "Findings row 3, improvement: 'Overnight supervision is still delayed.' → "
        "'Overnight supervision is now prompt.'" in dry.text()
    )
    bad = [r[:] for r in FINDINGS]
    bad[1][1] = "Background"
    with pytest.raises(ImportRejected) as e:
        _import(db, clock, workbook(tmp_path / "b.xlsx", {**BASE_SHEETS, "Findings": bad}))
    assert "Findings row 2, Section 'Background': is not a section: write findings or " in str(
        e.value
    )
    unknown = [r[:] for r in FINDINGS]
    unknown[1][0] = "R7"
    with pytest.raises(ImportRejected, match="Findings row 2, Rec 'R7': unknown recommendation"):
        _import(db, clock, workbook(tmp_path / "u.xlsx", {**BASE_SHEETS, "Findings": unknown}))


def test_the_closing_sections_carry_forward_and_placeholders_only_when_none(db, clock, tmp_path):
    _import(db, clock, workbook(tmp_path / "w.xlsx", BASE_SHEETS))
    md = _md(db, clock)
    assert "3.1 [Author to complete before submission.]" in md
    assert "2.1 Of the 2 recommendations" in md  # the tracker's own account until written
    paper = [
        ["Section", "Text"],
        ["Summary", "Good progress has been made."],
        ["Financial implications", "There are no financial implications."],
        ["Chief officer conclusion", "This focus and effort will continue."],
    ]
    _import(db, clock, workbook(tmp_path / "p.xlsx", {"Paper": paper}), inspection="NCPI")
    md = _md(db, clock)
    assert "## 2. SUMMARY\n\n2.1 Good progress has been made." in md
    assert "## 3. FINANCIAL IMPLICATIONS\n\n3.1 There are no financial implications." in md
    assert "4.1 [Author to complete before submission.]" in md
    assert "5.1 This focus and effort will continue." in md
    with db.read() as s:
        doc = Document(
            io.BytesIO(render_docx(build_paper(s, today=clock.today(), now=clock.now())))
        )
    texts = [p.text for p in doc.paragraphs]
    assert "3.1\tThere are no financial implications." in texts
    with db.write() as s:  # a lead rewrites one in Slack: the others stay
        write_closing(
            s,
            sections={PaperSection.OTHER: ["None."]},
            actor=LEAD,
            now=clock.now(),
            today=clock.today(),
            source=Source.MODAL,
        )
    md = _md(db, clock)
    assert "4.1 None." in md and "3.1 There are no financial implications." in md
    bad = [["Section", "Text"], ["Findings", "Not a closing section."]]
    with pytest.raises(ImportRejected, match="Paper row 2, Section 'Findings': is not a section"):
        _import(db, clock, workbook(tmp_path / "bad.xlsx", {"Paper": bad}), inspection="NCPI")


FINDINGS = [
    ["Rec", "Section", "Paragraph", "Date written", "Written by"],
    ["R2", "Findings", "Missing children are risk assessed.", "02/10/2023", "DCI Jane Smith"],
    ["2", "Improvement required", "Overnight supervision is still delayed.", "02/10/2023", None],
    ["R2", "improvements", "Ethnicity is not always recorded.", None, None],
]


def test_the_samples_paper_reads_ap23_07s_own_findings(sample, clock):
    from tests.ap23_07 import read_ap23_07

    md = _md(sample, clock)
    r4 = read_ap23_07()[3]
    section = md.split("### Recommendation 4")[1].split("### Recommendation 5")[0]
    assert " ".join(r4.findings[0].split()) in section
    assert r4.improvement[1].splitlines()[0] in section
    assert section.index("#### Improvement required") < section.index(r4.improvement[0][:40])
    assert "5.1 The Chief Constable's Delivery Plan makes a commitment" in md


# -- in Slack: /ncpi findings (through the real app, driven by the shell adapter) ------------


def test_a_lead_adds_and_edits_paragraphs_by_command_and_form(sample, clock):
    from tests.slack_helpers import OWNER, make_shell

    shell, _fake = make_shell(sample, clock)
    out = shell.run("/ncpi findings R2 improvement Night cover is agreed with the MASH.")
    assert "improvement required, paragraph 3 added" in out
    out = shell.run("/ncpi findings R2")
    assert "Findings, paragraph 14" in out and "Improvement required, paragraph 3" in out
    out = shell.run('submit findings.1="" improvement.new="A fourth.\n\nA fifth."')
    assert "form error" not in out, out
    with sample.read() as s:
        _r, have = rec_paragraphs(s, rec="R2")
        rows = [u for u in history(s, ref="R2") if u.field.startswith("paper_")]
    assert len(have[FIND]) == 13 and have[FIND][0].text.startswith("In February 2023")
    assert have[FIND][0].author == WRITER  # moved up, not rewritten: still AP23/07's
    assert [p.text for p in have[IMPROVE]][2:] == [
        "Night cover is agreed with the MASH.",
        "A fourth.",
        "A fifth.",
    ]
    # the lead by name, as the paper's wording records people
    assert have[IMPROVE][3].author == "Head of Safeguarding (sample lead)"
    assert have[IMPROVE][3].written_on == clock.today()
    assert any(u.before and u.before.startswith("Arrangements to reduce risk") for u in rows)
    md = _md(sample, clock)
    assert "Night cover is agreed with the MASH." in md and "A fifth." in md
    member, _ = make_shell(sample, clock, user=OWNER)
    assert "Only a lead can write the paper's findings" in member.run("/ncpi findings R2")
    assert "Only a lead" in member.run("/ncpi findings R2 Something else.")


def test_a_lead_writes_the_closing_sections_by_command_and_form(sample, clock):
    from sqlmodel import select

    from models.service import closing_paragraphs
    from tests.slack_helpers import OWNER, make_shell

    shell, _fake = make_shell(sample, clock)
    out = shell.run("/ncpi paper financial No further funding is needed this year.")
    assert "Financial implications — paragraph" in out and "added" in out, out
    out = shell.run("/ncpi paper chief officer conclusion The Constabulary is on course.")
    assert "Chief officer conclusion — paragraph" in out, out
    out = shell.run("/ncpi paper budgets None.")
    assert "`budgets` is not a closing section" in out and "financial implications" in out
    out = shell.run("/ncpi paper")
    assert "Modal «Paper wording»" in out and "Financial implications, paragraph 1" in out
    with sample.read() as s:
        before = closing_paragraphs(s)
    n_fin = len(before[PaperSection.FINANCIAL])
    assert before[PaperSection.FINANCIAL][-1].text == "No further funding is needed this year."
    assert before[PaperSection.FINANCIAL][-1].author == "Head of Safeguarding (sample lead)"
    out = shell.run(f'submit financial.{n_fin}="" summary.new="The tracker shows steady progress."')
    assert "form error" not in out and "paper wording saved" in out, out
    with sample.read() as s:
        after = closing_paragraphs(s)
        rows = s.exec(select(Update).where(Update.field == "paper_financial")).all()
    assert [p.text for p in after[PaperSection.FINANCIAL]] == [
        p.text for p in before[PaperSection.FINANCIAL]
    ][:-1]
    assert after[PaperSection.SUMMARY][-1].text == "The tracker shows steady progress."
    assert any(u.before == "No further funding is needed this year." for u in rows)
    md = _md(sample, clock)
    assert "The tracker shows steady progress." in md
    assert "The Constabulary is on course." in md
    assert "No further funding is needed this year." not in md
    out = shell.run("/ncpi paper other The child born 14/03/2012 was seen.")
    assert "personal data" in out
    member, _ = make_shell(sample, clock, user=OWNER)
    assert "Only a lead" in member.run("/ncpi paper")
    assert "Only a lead" in member.run("/ncpi paper summary Something.")
