"""What a reader of the drafted paper sees: prose not a change log, no personal data, names not
ids, AP23/07's subject and sections, and a Word file laid out on A4 with page numbers."""

from __future__ import annotations

import io
from datetime import timedelta

from docx import Document

from models.paper import build_paper, chart_png, render_docx, render_markdown
from models.sample import LEAD
from models.service import reopen, sign_off, update_action
from models.tables import Source, Status

KEPT = "child born 14/03/2012 went missing again"


def _draft(db, now):
    with db.read() as session:
        paper = build_paper(session, today=now.date(), now=now)
    md = render_markdown(paper)
    doc = Document(io.BytesIO(render_docx(paper, chart=chart_png(paper))))
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n" + "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    return md, doc, text


def test_progress_is_what_people_said_never_the_change_log(sample, clock):
    later = clock.now() + timedelta(days=1)
    with sample.write() as s:
        update_action(
            s,
            ref="R2.1",
            actor="U0CCRINSP1",
            note="Met the MASH about night cover",
            status=None,
            source=Source.COMMAND,
            now=later,
        )
        update_action(
            s,
            ref="R4.1",
            status=Status.AT_RISK,
            note=None,
            actor=LEAD,
            source=Source.COMMAND,
            now=later,
        )
    md, _doc, text = _draft(sample, later)
    for out in (md, text):
        assert "Met the MASH about night cover" in out
        assert "(Inspector, Contact and Control Room (sample), 26 November 2026)." in out
        assert "1 other status change recorded: 1 to at risk." in out
        for system in ("status changed from", "assigned to", "added:", "Imported", "U0CCRINSP1"):
            assert system not in out


def test_a_note_kept_against_the_personal_data_check_is_never_printed(sample, clock):
    later = clock.now() + timedelta(days=1)
    with sample.write() as s:
        update_action(
            s,
            ref="R2.1",
            actor="U0CCRINSP1",
            note=KEPT,
            status=None,
            source=Source.COMMAND,
            now=later,
            confirmed=True,
        )
    md, _doc, text = _draft(sample, later)
    for out in (md, text):
        assert "14/03/2012" not in out and "went missing again" not in out
        assert "1 note on R2.1 kept against the personal-data check left out" in out


def test_a_recommendation_reopened_since_sign_off_is_not_reported_signed_off(sample, clock):
    later = clock.now() + timedelta(days=1)
    with sample.write() as s:
        sign_off(s, rec="R6", actor=LEAD, source=Source.COMMAND, now=later, today=later.date())
        reopen(s, rec="R6", actor=LEAD, source=Source.COMMAND, now=later, note="new MARAC gaps")
    md, doc, text = _draft(sample, later)
    for out in (md, text):
        assert "Recommendation 6 – Remains outstanding" in out
        assert "Recommendation 6 (Multi-agency risk meetings) has been signed off" not in out
        assert "Recommendation 6 was reopened by Head of Safeguarding (sample lead)" in out


def test_subject_and_sections_follow_ap23_07(sample, clock):
    md, doc, text = _draft(sample, clock.now())
    subject = (
        "UPDATE IN RESPONSE TO RECOMMENDATIONS CONTAINED WITHIN THE NATIONAL CHILD PROTECTION "
        "INSPECTION (NCPI) RE-INSPECTION REPORT FOR SUFFOLK CONSTABULARY"
    )
    assert subject in md and subject in text
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[2:] == [
        "1. HMICFRS NATIONAL CHILD PROTECTION INSPECTION (NCPI) RE-INSPECTION FINDINGS",
        "2. SUMMARY",
        "3. FINANCIAL IMPLICATIONS",
        "4. OTHER IMPLICATIONS AND RISKS",
        "5. CHIEF OFFICER CONCLUSION",
    ]
    assert "## 2. SUMMARY" in md and "2.1 Of the 10 recommendations, 6 have been signed off" in md
    assert "3.1 There are no financial implications." in md  # AP23/07's, in the sample


def test_word_file_is_a4_with_page_numbers_marking_and_the_forces_properties(sample, clock):
    _md, doc, _text = _draft(sample, clock.now())
    sec = doc.sections[0]
    assert (round(sec.page_width.cm, 1), round(sec.page_height.cm, 1)) == (21.0, 29.7)
    assert round(sec.left_margin.cm, 1) == 2.0
    assert sec.header.paragraphs[0].text == "OFFICIAL"
    footer = sec.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert sec.footer.paragraphs[0].text.startswith("Page ")
    assert [p.text for p in sec.footer.paragraphs][-1] == "OFFICIAL"
    props = doc.core_properties
    assert props.author == "Suffolk Constabulary"
    assert props.title.startswith("Update in response to recommendations")
    assert props.created.date() == clock.now().date()


def test_an_action_imported_with_a_status_is_new_work_not_a_status_change(sample, clock, tmp_path):
    """A workbook that adds an action already "at risk" adds work; it changes no status, so
    the paper does not count it among the status changes (its owner's own later change is)."""
    from models.transfer import import_file
    from tests.conftest import TZ

    later = clock.now() + timedelta(days=1)
    added = tmp_path / "added.csv"
    added.write_text(
        "Rec No,Action,Action owner,Target date,RAG\n"
        "R2,Night cover rota agreed with the MASH,U0DIMISS01,01/02/2027,amber\n"
    )
    report = import_file(sample, added, now=later, today=later.date(), tz=TZ)
    assert report.created["actions"] == 1
    md, _doc, text = _draft(sample, later)
    for out in (md, text):
        assert "status change" not in out
    with sample.write() as s:
        update_action(
            s,
            ref="R2.2",
            status=Status.ON_TRACK,
            note=None,
            actor=LEAD,
            source=Source.COMMAND,
            now=later + timedelta(hours=1),
        )
    md, _doc, text = _draft(sample, later + timedelta(hours=1))
    for out in (md, text):
        assert "1 other status change recorded: 1 to on track." in out


def test_a_colleague_a_note_names_is_printed_by_name_never_by_id(sample, clock):
    """An owner's note mentions a colleague the Slack way (`<@U…>`); the paper names them as
    it names everyone, and prints no id and no Slack markup."""
    from tests.slack_helpers import make_shell

    shell, fake = make_shell(sample, clock, user="U0CCRINSP1")  # owns R2.1
    try:
        shell.run("note R2.1 night cover agreed with <@U0DIMISS01|dimiss> and the MASH")
    finally:
        fake.stop()
    md, _doc, text = _draft(sample, clock.now())
    for out in (md, text):
        assert "night cover agreed with DI Missing Persons (sample) and the MASH" in out
        assert "U0DIMISS01" not in out and "<@" not in out
