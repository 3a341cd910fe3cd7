"""What people read says it right: counts agree with their nouns at 0, 1 and 2, panel days
read "today", "tomorrow", "in 2 days", examples are dated from today's clock, and a force
other than Suffolk sees its own name and board. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import select

from conversation.plain import summary_text
from models import service
from models.calendar import local_to_utc
from models.clock import Clock
from models.paper import build_paper
from models.paper.markdown import render_markdown
from models.parsing import example_day
from models.tables import Action, Inspection, Member, PanelMeeting, Recommendation, Role, Update
from models.wording import plural
from tests.conftest import NOW, TZ
from tests.slack_helpers import make_shell

LEAD = "U0WMLEAD01"
OWNER = "U0WMOWNER1"
TODAY = NOW.astimezone(TZ).date()  # Wednesday 25 November 2026
FORCE = "West Mercia Police"
BOARD = "Safeguarding Improvement Board"

WORDS = {0: "0 open actions", 1: "1 open action", 2: "2 open actions"}
WHEN = {0: "today", 1: "tomorrow", 2: "in 2 days"}


def seed(db, *, recs: int = 2, open_actions: int = 1, panel_in: int = 7, changes: int = 0):
    """Another force's tracker: `recs` recommendations, `open_actions` open actions on R1
    (R2 has one more when there are two), a panel `panel_in` days away, and R1.1 changed
    `changes` times."""
    with db.write() as s:
        s.add(Member(user_id=LEAD, display_name="Lee Lead", role=Role.LEAD))
        s.add(Member(user_id=OWNER, display_name="Olu Owner"))
        insp = Inspection(
            code="WMP",
            title=f"National Child Protection Inspection, {FORCE}",
            force=FORCE,
            created_at=NOW - timedelta(days=60),
        )
        s.add(insp)
        s.flush()
        rows = []
        for n in range(1, recs + 1):
            r = Recommendation(inspection_id=insp.id, number=n, title=f"Rec {n}", text="x")
            s.add(r)
            rows.append(r)
        s.flush()
        for n in range(1, open_actions + 1):
            s.add(
                Action(
                    recommendation_id=rows[0].id,
                    number=n,
                    title=f"Action {n}",
                    owner=OWNER,
                    due=TODAY + timedelta(days=30),
                    status="on_track",
                    created_at=NOW - timedelta(days=60),
                    updated_at=NOW - timedelta(days=60),
                )
            )
        s.flush()
        first = s.exec(select(Action).where(Action.number == 1)).first()
        for k in range(changes):
            s.add(
                Update(
                    inspection_id=insp.id,
                    recommendation_id=rows[0].id,
                    action_id=first.id,
                    actor=OWNER,
                    at=NOW - timedelta(days=10 - k),
                    field="note",
                    note=f"progress {k}",
                    source="command",
                )
            )
        day = TODAY + timedelta(days=panel_in)
        s.add(
            PanelMeeting(
                inspection_id=insp.id,
                day=day,
                starts_at=local_to_utc(day, time(14), TZ),
                paper_ref="AP26/09",
            )
        )
        earlier = TODAY - timedelta(days=40)
        s.add(
            PanelMeeting(
                inspection_id=insp.id, day=earlier, starts_at=local_to_utc(earlier, time(14), TZ)
            )
        )


def shell_run(db, clock, user, *lines, **settings) -> str:
    shell, fake = make_shell(db, clock, user=user, **settings)
    try:
        return "\n".join(shell.run(line) for line in lines)
    finally:
        fake.stop()


# -- 9.23 counted phrases, through what people see -----------------------------------------------


def test_the_wording_helpers_at_0_1_and_2():
    from models.wording import and_list, in_days

    assert [plural(n, "day") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]
    assert [in_days(n) for n in (0, 1, 2)] == ["today", "tomorrow", "in 2 days"]
    assert [and_list(["R2", "R9", "R10"][:n]) for n in (0, 1, 2)] == ["", "R2", "R2 and R9"]


@pytest.mark.parametrize("n", [0, 1, 2])
def test_summary_counts_and_the_panel_day_read_right(db, clock, n):
    seed(db, open_actions=n, panel_in=n, recs=max(n, 1))
    out = shell_run(db, clock, OWNER, "summary")
    with db.read() as s:
        plain = summary_text(service.summary(s, today=TODAY))
    for text in (out, plain):
        assert WORDS[n] in text, text
        assert f"{WHEN[n]}" in text, text
        assert "in 0 days" not in text and "1 days" not in text and "in 1 day" not in text
        assert "1 open actions" not in text and "(s)" not in text
        rec = "recommendation" if max(n, 1) == 1 else "recommendations"
        assert f"of {max(n, 1)}* {rec}" in text or f"of {max(n, 1)} {rec}" in text, text


@pytest.mark.parametrize("n", [0, 1, 2])
def test_the_panel_list_says_today_tomorrow_in_2_days(db, clock, n):
    seed(db, panel_in=n)
    out = shell_run(db, clock, OWNER, "panel")
    assert f"AP26/09 — {WHEN[n]}" in out, out
    assert "in 0 days" not in out and "in 1 days" not in out


@pytest.mark.parametrize("n", [1, 2])
def test_history_counts_its_changes(db, clock, n):
    seed(db, changes=n)
    out = shell_run(db, clock, OWNER, "history R1.1")
    assert f"{plural(n, 'change')}, oldest first" in out, out
    assert "1 changes" not in out


@pytest.mark.parametrize("n", [1, 2])
def test_signed_off_recommendations_in_the_summary_and_the_paper(db, clock, n):
    """`signoff R1` (and R2) → the summary's signed-off line counts the further actions, and
    the paper says "Recommendation 1 (…) has been" or "… and Recommendation 2 (…) have been"."""
    seed(db, recs=2, open_actions=1)
    lines = [f"signoff R{k} agreed at panel" for k in range(1, n + 1)]
    shell_run(db, clock, LEAD, *lines)
    out = shell_run(db, clock, OWNER, "summary")
    with db.read() as s:
        plain = summary_text(service.summary(s, today=TODAY))
        paper = build_paper(s, today=TODAY, now=NOW)
    for text in (out, plain):
        assert "R1: 1 further action open" in text, text
        assert "action(s)" not in text
    md = render_markdown(paper)
    signed = " and ".join(f"Recommendation {k} (Rec {k})" for k in range(1, n + 1))
    verb = "has" if n == 1 else "have"
    assert f"{signed} {verb} been signed off." in md, md
    assert f"{n} of the 2 recommendations {verb} been signed off; " in md, md
    left = {1: "1 remains outstanding", 2: "0 remain outstanding"}[n]
    assert left in md, md
    assert "R1 and R2 has been" not in md and "1 have been" not in md


# -- 9.24 examples are dated from today ------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "line"),
    [
        (OWNER, "help"),
        (LEAD, "add R1 Train staff owner:<@U0WMOWNER1> due:someday soon"),
        (LEAD, "panel add"),
        (LEAD, "panel remove"),
        (LEAD, "panel frobnicate"),
        (LEAD, "report banana"),
        (LEAD, "due R1.1 banana"),
        (LEAD, "ad R1 x"),
    ],
)
def test_help_and_refusals_give_examples_dated_from_today(db, user, line):
    """Years from now, help and a refusal still show a date a little ahead of today, never
    one from the year the bot was written."""
    later = Clock(TZ, datetime(2031, 6, 4, 9, 0, tzinfo=UTC))
    seed(db)
    out = shell_run(db, later, user, line)
    for stale in ("2025", "2026", "2027"):
        assert stale not in out, out
    if line != "ad R1 x":
        assert f"{example_day(later.today()):%d/%m/%Y}" in out, out


# -- 9.25 the force's name and its board ------------------------------------------------------------


def test_another_force_sees_its_own_board_and_name(db, clock):
    """A non-lead refused at West Mercia is told to ask its own board; its paper names
    West Mercia Police and its board, never Suffolk's."""
    seed(db)
    refused = shell_run(
        db, clock, OWNER, "signoff R1 agreed", "panel add 19/12/2026", board_name=BOARD
    )
    assert f"Ask a lead on the {BOARD}." in refused, refused
    with db.read() as s:
        paper = build_paper(s, today=TODAY, now=NOW, board=BOARD)
    md = render_markdown(paper)
    assert f"{FORCE}'s response" in md
    assert f"progress made by {FORCE}" in md
    assert f"kept by the {BOARD}" in md
    for text in (refused, md):
        for suffolk in ("Delivery Board", "Constabulary", "Suffolk"):
            assert suffolk not in text, text


def test_with_no_board_set_a_refusal_just_says_ask_a_lead(db, clock):
    seed(db)
    refused = shell_run(db, clock, OWNER, "signoff R1 agreed")
    assert "Only a lead can sign off recommendations. Ask a lead." in refused, refused
    assert "Delivery Board" not in refused


def test_the_sample_keeps_suffolk_wording(sample, clock):
    from models.sample import BOARD as SAMPLE_BOARD

    refused = shell_run(sample, clock, "U0DIMISS01", "signoff R2 x", board_name=SAMPLE_BOARD)
    assert "Ask a lead on the Child Protection Delivery Board." in refused
    with sample.read() as s:
        md = render_markdown(build_paper(s, today=TODAY, now=NOW, board=SAMPLE_BOARD))
    assert "Suffolk Constabulary's response" in md
    assert "kept by the Child Protection Delivery Board" in md


def test_a_form_refused_to_a_non_lead_names_the_board_too(db, clock):
    """The add form, opened by a lead and submitted by someone who is not one: the form's
    error says which board to ask, and no action is added."""
    seed(db, open_actions=1)
    shell, fake = make_shell(db, clock, user=LEAD, board_name=BOARD)
    try:
        assert "Modal «Add an action»" in shell.run("add R1 Audit the referrals")
        shell.user = OWNER
        out = shell.run('submit title="Audit the referrals" owner=U0WMOWNER1 due=2027-02-01')
    finally:
        fake.stop()
    assert f"Only a lead can add actions. Ask a lead on the {BOARD}." in out, out
    with db.read() as s:
        assert len(s.exec(select(Action)).all()) == 1


def test_the_board_setting_is_read_once_without_a_leading_the():
    from models.errors import ConfigError
    from models.settings import load_settings

    assert load_settings({}).board_name is None
    named = load_settings({"NCPI_BOARD_NAME": "  the Safeguarding  Improvement Board "})
    assert named.board_name == BOARD
    with pytest.raises(ConfigError, match="NCPI_BOARD_NAME"):
        load_settings({"NCPI_BOARD_NAME": "<!channel> Board"})


@pytest.mark.parametrize("n", [1, 2])
def test_the_command_line_paper_and_export_say_it_right(db, db_url, tmp_path, n):
    """`ncpi-bot report` with NCPI_BOARD_NAME names that board and the force; `export
    --history` counts its rows in words that agree."""
    from tests.e2e_server import cli_env, run_cli

    seed(db, changes=n)
    env = cli_env(
        DATABASE_URL=db_url, NCPI_CLOCK="2026-11-25T10:00:00Z", NCPI_BOARD_NAME=f"the {BOARD}"
    )
    done = run_cli("report", "--out", str(tmp_path / "paper.md"), env=env)
    assert done.returncode == 0, done.stderr
    md = (tmp_path / "paper.md").read_text()
    assert f"kept by the {BOARD}." in md and f"{FORCE}'s response" in md
    assert "Delivery Board" not in md and "Constabulary" not in md
    assert "against the 2 recommendations" in md
    out = run_cli("export", "--history", str(tmp_path / "h.csv"), env=env)
    assert out.returncode == 0, out.stderr
    assert f"wrote {plural(n, 'history row')} to" in out.stdout, out.stdout


def test_the_paper_uploaded_in_slack_names_the_board_setting(sample, clock, slack_standin):
    """`/ncpi report` through the app, NCPI_BOARD_NAME set: the Word file in the lead's DM
    says whose tracker it is and whose response, and its upload note counts right."""
    import io
    from urllib.parse import urlencode

    from docx import Document
    from slack_bolt.request import BoltRequest

    from bot.app import Deps, create_app
    from models.sample import LEAD as SAMPLE_LEAD
    from models.settings import load_settings

    settings = load_settings({**slack_standin.env(), "NCPI_BOARD_NAME": BOARD})
    app = create_app(
        Deps(settings, sample, clock), verify_requests=False, process_before_response=True
    )
    form = {
        "team_id": "T0STANDIN",
        "channel_id": "C0PANEL01",
        "user_id": SAMPLE_LEAD,
        "command": "/ncpi",
        "text": "report",
        "api_app_id": "A0STANDIN",
        "response_url": slack_standin.response_url("report"),
        "trigger_id": "t.1",
    }
    headers = {"content-type": ["application/x-www-form-urlencoded"]}
    assert app.dispatch(BoltRequest(body=urlencode(form), headers=headers)).status == 200
    (stored,) = slack_standin.files.values()
    text = "\n".join(p.text for p in Document(io.BytesIO(stored["content"])).paragraphs)
    assert f"kept by the {BOARD}." in text
    # the force is named from the inspection (the sample's paragraphs are AP23/07's own words)
    assert "Suffolk Constabulary" in text
    assert "6 of 10 recommendations signed off, 4 outstanding" in stored["initial_comment"]
