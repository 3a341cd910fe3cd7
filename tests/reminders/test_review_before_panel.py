"""Review before the panel (issue 11, item 3): NCPI_REVIEW_DAYS working days before a panel
each lead is asked, once, to review the draft's progress since the last panel; per
recommendation each candidate paragraph is included, edited (the paper's wording, not the
note) or left out, and `/ncpi report` prints what was reviewed and marks the rest for the
author. A note kept against the personal-data check is never printed: it is listed to the
lead at review. Through the real Bolt app (the shell adapter) and the sweep against the Slack
stand-in, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from docx import Document
from sqlmodel import select

from bot.ids import ActionId
from bot.views.reminders import reminder_message
from jobs.sweep import reminder_client, sweep
from models.clock import Clock
from models.errors import LeadOnly, UsageError
from models.paper import build_paper, render_docx, render_markdown
from models.paper.review import Choice, apply_review, review_for
from models.sample import LEAD
from models.service import history
from models.settings import Settings
from models.tables import PanelMeeting, ReviewDecision, Source, Update
from tests.conftest import TZ
from tests.reminder_fixtures import keys_at, local
from tests.slack_helpers import OWNER, make_shell

OTHER_LEAD = "U0DCIPVP01"  # the sample's second lead
PANEL = date(2026, 12, 18)  # the sample's next panel (AP26/04)
REVIEW_DAY = date(2026, 12, 11)  # 5 working days before it
KEPT = "child born 14/03/2012 went missing again"
UNREVIEWED = r"\[Unreviewed\]"  # as Markdown writes "[Unreviewed]"


def _md(db, clock) -> str:
    with db.read() as s:
        return render_markdown(build_paper(s, today=clock.today(), now=clock.now()))


def _r2(md: str) -> str:
    return md.split("### Recommendation 2")[1].split("### Recommendation 3")[0]


def _owner_says(db, clock, *notes: str) -> None:
    owner, _ = make_shell(db, clock, user=OWNER)
    for note in notes:
        out = owner.run(f"/ncpi note R2.2 {note}")
        if "Keep as written" in out:  # held by the personal-data check: its author keeps it
            out = owner.run("click Keep as written")
        assert "note added" in out, out


def _rows(modal: dict) -> dict[str, int]:
    """Each candidate's history row id in the review form, by what was said."""
    out = {}
    blocks = modal["blocks"]
    for i, b in enumerate(blocks):
        if b.get("type") == "input" and b["block_id"].startswith("choice."):
            said = blocks[i - 1]["text"]["text"]
            out[said] = int(b["block_id"].split(".")[1])
    return out


def _row_for(modal: dict, words: str) -> int:
    (row,) = [r for said, r in _rows(modal).items() if words in said]
    return row


# -- the request: once to each lead, N working days before ----------------------------------


def test_each_lead_is_asked_once_five_working_days_before_the_panel(sample, slack_standin):
    settings = Settings(slack_api_url=slack_standin.api_url, slack_bot_token=slack_standin.token)

    def run(now):
        return sweep(
            db=sample,
            client=reminder_client(settings),
            settings=settings,
            now=now,
            render=reminder_message,
        )

    def reviews():
        return sorted(k for k in keys_at(slack_standin) if k.startswith("review|"))

    run(local(2026, 12, 10, 9, 5))  # the working day before: not yet
    assert reviews() == []
    first = run(local(2026, 12, 11, 9, 5))
    run(local(2026, 12, 11, 15, 0))  # a second sweep the same day
    run(local(2026, 12, 14, 9, 5))  # and the next working day
    with sample.read() as s:
        panel_id = s.exec(select(PanelMeeting).where(PanelMeeting.day == PANEL)).one().id
    assert reviews() == sorted(
        f"review|P{panel_id}:{lead}|2026-12-11" for lead in (LEAD, OTHER_LEAD)
    )
    assert [o.state for o in first.outcomes if o.owed.kind == "review"] == ["sent", "sent"]
    dm = next(
        c
        for c in slack_standin.calls_to("chat.postMessage")
        if c.response.get("channel") == slack_standin.dm_channel(LEAD) and "review" in str(c.args)
    )
    assert "Please review the draft paper's progress" in dm.args["text"]
    buttons = [e for b in dm.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(e["action_id"], e["value"]) for e in buttons] == [
        (ActionId.REVIEW_OPEN, str(panel_id))
    ]


def test_app_home_offers_the_review_to_leads_once_it_is_due(sample):
    before = Clock(TZ, local(2026, 12, 10, 10))
    due = Clock(TZ, local(2026, 12, 11, 10))
    lead, _ = make_shell(sample, before)
    assert "Review the paper" not in lead.run("home")
    lead, _ = make_shell(sample, due)
    home = lead.run("home")
    assert "Review the paper for Fri 18 Dec 2026 (AP26/04)" in home
    out = lead.run("click Review the paper")
    assert "Review the paper for Fri 18 Dec 2026 (AP26/04)" in out
    member, _ = make_shell(sample, due, user=OWNER)
    assert "Review the paper" not in member.run("home")


# -- include / edit / leave out --------------------------------------------------------------


def test_include_edit_and_leave_out_show_in_the_draft_and_the_rest_is_marked(sample, clock):
    _owner_says(
        sample,
        clock,
        "Night cover agreed with the MASH",
        "Athena fields now compulsory, staff told",
        "Chased IT again, no reply",
        "Audit of ten records booked",
    )
    lead, fake = make_shell(sample, clock)
    out = lead.run("/ncpi review")
    assert "R2 Missing children — 4 paragraphs, 4 unreviewed" in out
    out = lead.run("click Review R2")
    modal = fake.modals[-1]
    include = _row_for(modal, "Night cover agreed")
    edit = _row_for(modal, "Athena fields")
    leave = _row_for(modal, "Chased IT")
    out = lead.run(
        f"submit choice.{include}=include choice.{edit}=edit "
        f'wording.{edit}="R2.2: Mandatory ethnicity fields are live in Athena." '
        f"choice.{leave}=leave_out"
    )
    assert "3 decisions recorded" in out and "1 unreviewed in the draft" in out, out

    md = _md(sample, clock)
    r2 = _r2(md)
    assert "Night cover agreed with the MASH (DI Missing Persons (sample), 25 November 2026)." in r2
    assert "R2.2: Mandatory ethnicity fields are live in Athena (DI Missing Persons" in r2
    assert "Athena fields now compulsory" not in md  # the note, not the paper's wording
    assert "Chased IT again" not in md
    assert f"{UNREVIEWED} R2.2: Audit of ten records booked" in r2
    assert "Unreviewed\\] R2.2: Night cover" not in md
    with sample.read() as s:
        doc = Document(
            io.BytesIO(render_docx(build_paper(s, today=clock.today(), now=clock.now())))
        )
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "[Unreviewed] R2.2: Audit of ten records booked" in text
    assert "Mandatory ethnicity fields are live in Athena (" in text and "Chased IT" not in text

    # history: the notes as they were said; each decision with who and when
    with sample.read() as s:
        rows = history(s, ref="R2")
        decided = s.exec(select(ReviewDecision)).all()
    notes = [u.note for u in rows if u.field == "note" and u.actor == OWNER]
    assert "Athena fields now compulsory, staff told" in notes
    reviews = [u for u in rows if u.field == "review"]
    assert len(reviews) == 3 and {u.actor for u in reviews} == {LEAD}
    assert {u.after.rsplit(": ", 1)[1] for u in reviews} == {"include", "edit", "leave out"}
    assert all(u.at == clock.now() and u.source == "modal" for u in reviews)
    assert {d.reviewed_by for d in decided} == {LEAD} and len(decided) == 3

    # made once: a new app (a restart) keeps them; the form opens with them chosen
    again, fake2 = make_shell(sample, clock)
    again.run("/ncpi review R2")
    chosen = {
        b["block_id"]: b["element"].get("initial_option", {}).get("value")
        for b in fake2.modals[-1]["blocks"]
        if b.get("type") == "input" and b["block_id"].startswith("choice.")
    }
    assert chosen[f"choice.{include}"] == "include" and chosen[f"choice.{leave}"] == "leave_out"
    assert chosen[f"choice.{edit}"] == "edit"
    assert "1 unreviewed" in again.run("/ncpi review")
    assert _md(sample, clock) == md


def test_an_edit_is_checked_as_paper_wording(sample, clock):
    _owner_says(sample, clock, "Night cover agreed with the MASH")
    lead, fake = make_shell(sample, clock)
    lead.run("/ncpi review R2")
    row = _row_for(fake.modals[-1], "Night cover")
    out = lead.run(f'submit choice.{row}=edit wording.{row}="Call 07700 900123 about the boy."')
    assert "looks like it carries personal data" in out
    out = lead.run(f'submit choice.{row}=edit wording.{row}=""')
    assert "the paper wording is empty" in out
    assert f"{UNREVIEWED} R2.2: Night cover" in _md(sample, clock)


# -- a note kept against the personal-data check --------------------------------------------


def test_a_kept_personal_data_note_is_never_printed_but_is_listed_at_review(sample, clock):
    _owner_says(sample, clock, KEPT)
    md = _md(sample, clock)
    assert "14/03/2012" not in md and "went missing again" not in md
    assert "1 note on R2.2 kept against the personal-data check left out" in md
    lead, fake = make_shell(sample, clock)
    out = lead.run("/ncpi review R2")
    assert "kept against the personal-data check" in out and KEPT in out  # to the lead only
    modal = fake.modals[-1]
    row = _row_for(modal, KEPT)
    options = next(
        b["element"]["options"] for b in modal["blocks"] if b.get("block_id") == f"choice.{row}"
    )
    assert [o["value"] for o in options] == ["edit", "leave_out"]  # no "include as said"
    wording = next(b for b in modal["blocks"] if b.get("block_id") == f"wording.{row}")
    assert not wording["element"].get("initial_value")  # rewritten, never copied
    with sample.write() as s:  # a forged "include" is refused by the domain
        panel_id = s.exec(select(PanelMeeting).where(PanelMeeting.day == PANEL)).one().id
        with pytest.raises(UsageError, match="kept against the personal-data check"):
            apply_review(
                s,
                actor=LEAD,
                panel_id=panel_id,
                choices=[Choice(row, "include")],
                today=clock.today(),
                now=clock.now(),
                source=Source.MODAL,
            )
    out = lead.run(
        f'submit choice.{row}=edit wording.{row}="R2.2: A child reported missing again was '
        'found within the hour."'
    )
    assert "1 decision recorded" in out, out
    md = _md(sample, clock)
    assert "A child reported missing again was found within the hour (" in md
    assert "14/03/2012" not in md and "kept against the personal-data check" not in _r2(md)
    with sample.read() as s:
        kept = s.exec(select(Update).where(Update.note == KEPT)).one()
    assert kept.note == KEPT  # history keeps what was said, untouched


def test_a_kept_note_left_out_leaves_no_trace_in_the_paper(sample, clock):
    _owner_says(sample, clock, KEPT)
    lead, fake = make_shell(sample, clock)
    lead.run("/ncpi review R2")
    row = _row_for(fake.modals[-1], KEPT)
    assert "1 decision recorded" in lead.run(f"submit choice.{row}=leave_out")
    md = _md(sample, clock)
    assert "went missing again" not in md and "kept against the personal-data check" not in md


# -- who may review ---------------------------------------------------------------------------


def test_a_non_lead_is_refused(sample, clock):
    _owner_says(sample, clock, "Night cover agreed with the MASH")
    member, _ = make_shell(sample, clock, user=OWNER)
    assert "Only a lead can review the paper" in member.run("/ncpi review")
    assert "Only a lead can review the paper" in member.run("/ncpi review R2")
    with sample.read() as s:
        with pytest.raises(LeadOnly):
            review_for(s, actor=OWNER, today=clock.today(), now=clock.now())
    lead, fake = make_shell(sample, clock)
    lead.run("/ncpi review R2")
    row = _row_for(fake.modals[-1], "Night cover")
    with sample.write() as s:
        panel_id = s.exec(select(PanelMeeting).where(PanelMeeting.day == PANEL)).one().id
        with pytest.raises(LeadOnly):
            apply_review(
                s,
                actor=OWNER,
                panel_id=panel_id,
                choices=[Choice(row, "leave_out")],
                today=clock.today(),
                now=clock.now(),
                source=Source.MODAL,
            )
    assert f"{UNREVIEWED} R2.2: Night cover" in _md(sample, clock)


def test_a_row_from_before_the_last_panel_is_not_a_candidate(sample, clock):
    """Only this panel's candidates can be decided: an older history row is refused."""
    with sample.read() as s:
        panel_id = s.exec(select(PanelMeeting).where(PanelMeeting.day == PANEL)).one().id
        old = s.exec(select(Update).order_by(Update.id)).first()
    with sample.write() as s, pytest.raises(UsageError, match="not in this panel's draft"):
        apply_review(
            s,
            actor=LEAD,
            panel_id=panel_id,
            choices=[Choice(old.id, "leave_out")],
            today=clock.today(),
            now=clock.now() + timedelta(minutes=1),
            source=Source.COMMAND,
        )


# -- end to end: `ncpi-bot serve` with its scheduler, signed requests ------------------------


@pytest.mark.e2e
def test_serve_asks_each_lead_once_and_the_button_opens_the_review(db_url, slack_standin, tmp_path):
    from tests.e2e_server import LEAD as SETTING_LEAD
    from tests.e2e_server import run_cli, server_env, start_server, wait_for_log
    from tests.slack_requests import block_action

    done = run_cli("load-sample", env=server_env(db_url, slack_standin))  # as of 25 November
    assert done.returncode == 0, done.stderr
    env = {"NCPI_CLOCK": local(2026, 12, 11, 9, 30).isoformat()}  # the review day
    leads = sorted((LEAD, OTHER_LEAD, SETTING_LEAD))

    def reviews():
        return sorted(k for k in keys_at(slack_standin) if k.startswith("review|"))

    first = start_server(
        db_url, slack_standin, tmp_path / "a.log", load_sample=False, extra_env=env, args=()
    )
    try:
        slack_standin.wait_for(
            "chat.postMessage",
            count=len(leads),
            timeout=60,
            where=lambda c: "review|" in str(c.args.get("metadata")),
        )
        second = start_server(
            db_url, slack_standin, tmp_path / "b.log", load_sample=False, extra_env=env, args=()
        )
        try:  # a second replica's first sweep finds every reminder already sent
            line = wait_for_log(second, r"reminder sweep at \S+: (\d+) owed, (\d+) sent")
            assert line.group(2) == "0", second.logs()
        finally:
            second.stop()
        assert [k.split("|")[1].split(":")[1] for k in reviews()] == leads
        url = slack_standin.response_url("review")
        answer = first.interact(
            block_action(
                ActionId.REVIEW_OPEN,
                reviews()[0].split("|")[1].split(":")[0].removeprefix("P"),
                user=SETTING_LEAD,
                response_url=url,
            )
        )
        assert answer.status == 200
        listing = slack_standin.wait_for_response("review").args
        assert "Review the paper for Fri 18 Dec 2026 (AP26/04)" in str(listing), listing
        answer = first.interact(
            block_action(ActionId.REVIEW_OPEN, "1", user=OWNER, response_url=url)
        )
        refused = slack_standin.wait_for_response("review", count=2).args
        assert "Only a lead can review the paper" in str(refused), refused
    finally:
        first.stop()
    assert len(reviews()) == len(set(reviews())) == len(leads)


def test_many_long_paragraphs_stay_within_block_kit_limits(sample, clock):
    from bot.slack_rules import check_blocks
    from bot.views.review import PER_FORM, review_blocks, review_modal
    from models.service import MAX_NOTE, update_action

    with sample.write() as s:
        for i in range(PER_FORM + 5):
            update_action(
                s,
                ref="R2.2",
                actor=OWNER,
                note=f"Note {i} " + "x" * (MAX_NOTE - 20),
                status=None,
                source=Source.COMMAND,
                now=clock.now() + timedelta(seconds=i),
            )
    with sample.read() as s:
        review = review_for(
            s, actor=LEAD, today=clock.today(), now=clock.now() + timedelta(hours=1)
        )
    modal = review_modal(review, "R2").to_dict()
    assert check_blocks(modal["blocks"], limit=100, pointer="/view/blocks") == []
    choices = [b for b in modal["blocks"] if b.get("block_id", "").startswith("choice.")]
    assert len(choices) == PER_FORM
    assert "open it again for the other 5" in str(modal["blocks"][-1])
    listing = [b.to_dict() for b in review_blocks(review)]
    assert check_blocks(listing, limit=50, pointer="/blocks") == []
