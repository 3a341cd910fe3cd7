"""The safeguarding guardrail: notes that look like personal data are held back."""

from __future__ import annotations

import pytest
from sqlmodel import select

from models import service
from models.errors import NeedsConfirmation
from models.guardrail import confirmation_prompt, personal_data_findings
from models.sample import LEAD
from models.tables import Source, Status, Update
from tests.conftest import NOW
from tests.factories import refusal_snapshot, refused, run
from tests.slack_helpers import OTHER, OWNER_21

HELD = [
    ("DOB 03/04/2012 missing again", "a date of birth or age"),
    ("d.o.b. 3/4/12", "a date of birth or age"),
    ("born 2012, lives with gran", "a date of birth or age"),
    ("girl aged 14 found", "a date of birth or age"),
    ("a 14 year old was found", "a date of birth or age"),
    ("see crime ref 37/12345/24", "a crime or incident reference"),
    ("linked to incident 123 of 12/11", "a crime or incident reference"),
    ("CAD 4567 overnight", "a crime or incident reference"),
    ("Occurrence 42/56789/23", "a crime or incident reference"),
    ("URN 37SS1234523 charged", "a crime or incident reference"),
    ("call mum on 07700 900123", "a phone number"),
    ("+44 7700 900123", "a phone number"),
    ("school on 01473 613500", "a phone number"),
    ("+44 (0)1473 613500", "a phone number"),
    ("email jane.smith@school.example.org", "an email address"),
    ("lives at IP1 2AB", "a postcode"),
    ("found near ip12ab", "a postcode"),
    # common phrasings the first version missed
    ("a 9-year-old boy reported missing", "a date of birth or age"),
    ("9yo seen with adults", "a date of birth or age"),
    ("born on the 3rd of April 2015", "a date of birth or age"),
    ("born in May 2015", "a date of birth or age"),
    ("birthday 03/04/2015", "a date of birth or age"),
    ("Jayden (03/04/2015) placed out of area", "a date of birth or age"),
    ("Jayden Smith age fourteen", "a date of birth or age"),
    ("a fourteen-year-old girl", "a date of birth or age"),
    ("age: 14", "a date of birth or age"),
    ("call (07700) 900123", "a phone number"),
    ("call 07700.900.123", "a phone number"),
    ("call 07700-900-123", "a phone number"),
    ("0044 7700 900123", "a phone number"),
    ("(01473) 613500", "a phone number"),
    ("email jane.smith(at)example.org", "an email address"),
    ("jane.smith [at] example [dot] org", "an email address"),
    ("jane.smith at example dot org", "an email address"),
    ("lives at IP1-2AB", "a postcode"),
    # the same, with invisible or full-width characters inside
    ("call 07700\u200b900123", "a phone number"),
    ("call ０７７００ ９００１２３", "a phone number"),
    ("email jane.smith\u200d@example.org", "an email address"),
    ("email jane.smith＠example.org", "an email address"),
    ("lives at ＩＰ１ ２ＡＢ", "a postcode"),
    ("lives at IP1\u2060-2AB", "a postcode"),
    ("a 9\u2011year\u2011old boy", "a date of birth or age"),
    ("D\u200bO\u200bB 03/04/2012", "a date of birth or age"),
    ("ａｇｅｄ １４", "a date of birth or age"),
    ("see crime ref 37/１２３４５/24", "a crime or incident reference"),
]

CLEAN = [
    "Training delivered to 40 officers on 12/11/2026",
    "Uploaded 1,200 images to CAID since June",
    "MASH review 2 of 3 complete",
    "Updated AP23/07 para 1.23",
    "R2.1 due 2027-01-29, on track",
    "Policy agreed at board: https://sharepoint.example/sites/IP1-2AB/doc?id=07700900123",
    "Cost £12,500 approved",
    "between 0900 and 1700 on weekdays",
    "open 0900-1700 Monday to Friday",
    "reference AP23/07",
    "see panel paper ref AP27/01, para 4",
    "newborn screening pathway agreed with health",
    "Stage 2 of the age-appropriate training done",
    "3-year plan agreed; policy is due 31/03/2027 (version 1.2)",
    "Briefing at 10.30 in the MASH",
    "Link: <https://intranet.example/people/jane.smith@example.org|guidance>",
    "See https://example.org/case/born-on-03-04-2015/age-14/07700900123",
    "Training for 40 officers\u200b on 12/11/2026",
]


@pytest.mark.parametrize(("note", "finding"), HELD)
def test_personal_data_is_found(note, finding):
    assert finding in personal_data_findings(note)


@pytest.mark.parametrize("note", CLEAN)
def test_clean_notes_pass(note):
    assert personal_data_findings(note) == []


def test_prompt_names_what_was_found_and_that_nothing_was_saved():
    prompt = confirmation_prompt(["a phone number", "a postcode"])
    assert "a phone number and a postcode" in prompt
    assert "Nothing has been saved yet" in prompt


@pytest.mark.parametrize(("note", "finding"), HELD[::4])
def test_update_with_personal_data_stores_nothing(sample, note, finding):
    before = refusal_snapshot(sample)
    with pytest.raises(NeedsConfirmation) as info:
        run(
            sample,
            service.update_action,
            ref="R2.1",
            actor=OWNER_21,
            status=Status.ON_TRACK,
            note=note,
            source=Source.COMMAND,
            now=NOW,
        )
    assert refusal_snapshot(sample) == before
    assert finding in info.value.findings
    assert "rewrite it" in info.value.message


def test_every_free_text_entry_is_checked(sample):
    note = "call 07700 900123"
    common = dict(source=Source.COMMAND, now=NOW)
    refused(
        sample,
        service.mark_implemented,
        NeedsConfirmation,
        ref="R9.2",
        actor=OTHER,
        evidence=note,
        **common,
    )
    refused(
        sample,
        service.add_action,
        NeedsConfirmation,
        rec="R2",
        title=f"Ring mum {note}",
        owner=None,
        due=None,
        actor=LEAD,
        **common,
    )
    refused(
        sample,
        service.return_action,
        NeedsConfirmation,
        ref="R9.2",
        actor=LEAD,
        reason=note,
        **common,
    )
    refused(
        sample,
        service.sign_off,
        NeedsConfirmation,
        rec="R2",
        actor=LEAD,
        today=NOW.date(),
        note=note,
        **common,
    )
    refused(
        sample,
        service.assign_action,
        NeedsConfirmation,
        ref="R2.1",
        owner=OTHER,
        actor=LEAD,
        note=note,
        **common,
    )


def test_confirmed_note_is_stored(sample):
    before = refusal_snapshot(sample)["updates"]
    note = "school office 01473 613500 (public switchboard)"
    run(
        sample,
        service.update_action,
        ref="R2.1",
        actor=OWNER_21,
        status=None,
        note=note,
        source=Source.COMMAND,
        now=NOW,
        confirmed=True,
    )
    with sample.read() as s:
        rows = s.exec(select(Update).order_by(Update.id)).all()
    assert len(rows) == before + 1
    assert rows[-1].note == note


def test_clean_note_needs_no_confirmation(sample):
    run(
        sample,
        service.update_action,
        ref="R2.1",
        actor=OWNER_21,
        status=None,
        note=CLEAN[0],
        source=Source.COMMAND,
        now=NOW,
    )
    with sample.read() as s:
        assert service.history(s, ref="R2.1")[-1].note == CLEAN[0]
