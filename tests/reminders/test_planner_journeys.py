"""Reminder journeys: seed the tracker as people do (the sample, a late import, a lead's
edits, an owner's click), then ask what the sweep would send (`reminders run --dry-run`)
or let it send to the Slack stand-in, at an injected instant."""

from __future__ import annotations

import os
from datetime import date

from click.testing import CliRunner
from sqlalchemy import update

from bot.cli import cli
from models import service
from models.planner import owed, plan_reminders
from models.settings import Settings
from models.tables import Action, Role, Source, Status
from tests.reminder_fixtures import A, M, Tracker, build, local

D = date
LOADED = "2026-11-25T10:00:00Z"  # Wed 25 Nov 2026: the sample's next panel is Fri 18 Dec
SAMPLE_LEAD = "U0SAFELEAD"
SAMPLE_OWNERS = {"U0CCRINSP1", "U0DIMISS01", "U0DIICAIT1", "U0DIINTEL1", "U0MARACLD1"}


def _invoke(db, slack, *args: str, clock: str = ""):
    env = {"DATABASE_URL": db.url, "NCPI_CLOCK": clock, **slack.env()}
    result = CliRunner().invoke(cli, ["--env-file", os.devnull, *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _lines(output: str, kind: str) -> list[str]:
    return [line for line in output.splitlines() if line.split()[1:2] == [kind]]


def _recipients(output: str, kind: str) -> set[str]:
    return {line.split("→")[1].split()[0] for line in _lines(output, kind)}


# -- panel countdown and readiness after the sample (issue 9.1) --------------------------------


def test_after_load_sample_owners_are_chased_before_the_panel_until_they_update_themselves(
    db, slack_standin
) -> None:
    assert "sample tracker loaded" in _invoke(db, slack_standin, "load-sample", clock=LOADED)

    # 14 days before the panel: every owner with open actions gets the countdown DM
    before = _invoke(db, slack_standin, "reminders", "run", "--at", "2026-12-04T09:00", "--dry-run")
    assert _recipients(before, "panel") == SAMPLE_OWNERS
    assert "panel Fri 18 Dec in 14 days" in before

    # A lead re-dates and re-assigns (not the owner's update); one owner answers by button,
    # another by a note in the thread for one of their three actions.
    next_day = local(2026, 11, 26, 11)
    with db.write() as s:
        service.set_due(
            s,
            ref="R6.1",
            due=D(2027, 1, 29),
            actor=SAMPLE_LEAD,
            source=Source.COMMAND,
            now=next_day,
        )
        service.assign_action(
            s,
            ref="R2.2",
            owner="U0DIINTEL1",
            actor=SAMPLE_LEAD,
            source=Source.COMMAND,
            now=next_day,
        )
        service.update_action(
            s,
            ref="R2.1",
            actor="U0CCRINSP1",
            status=Status.ON_TRACK,
            note=None,
            source=Source.BUTTON,
            now=next_day,
        )
        service.update_action(
            s,
            ref="R4.3",
            actor="U0DIINTEL1",
            status=None,
            note="briefing written",
            source=Source.THREAD,
            now=next_day,
        )
    week_on = _invoke(
        db, slack_standin, "reminders", "run", "--at", "2026-12-11T09:00", "--dry-run"
    )
    # R2.1's owner updated their only action: ready. U0DIMISS01 has nothing left (R2.2 went
    # to U0DIINTEL1). The lead's edits do not make R6.1 or R2.2 "updated".
    assert _recipients(week_on, "panel") == {"U0DIICAIT1", "U0DIINTEL1", "U0MARACLD1"}
    (intel,) = [line for line in _lines(week_on, "panel") if "U0DIINTEL1" in line]
    assert "4 open actions" in intel  # R2.2, R4.3, R5.1, R5.2: one update is not all

    # The working day before the panel: the leads' readiness note names exactly the owners
    # who have not updated, and the actions.
    eve = _invoke(db, slack_standin, "reminders", "run", "--at", "2026-12-17T09:00", "--dry-run")
    readiness = _lines(eve, "readiness")
    assert {line.split("→")[1].split()[0] for line in readiness} == {SAMPLE_LEAD, "U0DCIPVP01"}
    for line in readiness:
        assert "8 actions with no update since the last panel" in line
        assert "owners U0DIICAIT1, U0DIINTEL1, U0MARACLD1" in line


# -- escalation of an action first seen long overdue (issue 9.3) -------------------------------


def test_an_action_imported_long_overdue_escalates_once_and_never_again(db, slack_standin) -> None:
    with db.write() as s:
        build(
            s,
            Tracker(
                [A("U1", D(2026, 9, 30)), A("U2", D(2027, 6, 30))],
                members=[M("U1", manager="U0BOSS"), M("U2", manager="U0BOSS")],
            ),
        )
    # first sweep after the import: R1.1 is 40 working days overdue
    first = _invoke(db, slack_standin, "reminders", "run", "--at", "2026-11-25T09:00")
    assert "2 owed: 2 sent" in first  # U1's due-date DM and the escalation
    sent = _invoke(db, slack_standin, "reminders", "list")
    assert "escalation  U0BOSS" in sent and "A1" in sent
    assert len(slack_standin.messages(slack_standin.dm_channel("U0BOSS"))) == 1

    # never again for that due date, inside or well past the catch-up window
    for at in ("2026-11-26T09:00", "2026-12-10T09:00", "2027-01-20T09:00"):
        later = _invoke(db, slack_standin, "reminders", "run", "--at", at, "--dry-run")
        assert _lines(later, "escalation") == [], later

    # a lead moves U2's due date into the past: escalated on the next sweep, once
    with db.write() as s:
        service.set_role(s, user_id="U0LEAD", role=Role.LEAD)
        service.set_due(
            s,
            ref="R1.2",
            due=D(2026, 12, 1),
            actor="U0LEAD",
            source=Source.COMMAND,
            now=local(2027, 1, 20, 12),
        )
    _invoke(db, slack_standin, "reminders", "run", "--at", "2027-01-21T09:00")
    listed = _invoke(db, slack_standin, "reminders", "list", "--day", "2027-01-21")
    (esc,) = [line for line in listed.splitlines() if "escalation" in line]
    assert "U0BOSS" in esc and " sent " in esc and esc.endswith("A2")
    assert len(slack_standin.messages(slack_standin.dm_channel("U0BOSS"))) == 2
    again = _invoke(db, slack_standin, "reminders", "run", "--at", "2027-01-22T09:00", "--dry-run")
    assert _lines(again, "escalation") == []


def test_an_escalation_is_still_sent_once_on_the_day_it_crosses_the_line(db) -> None:
    with db.write() as s:
        build(s, Tracker([A("U1", D(2026, 11, 16))], members=[M("U1", manager="U0BOSS")]))
    with db.read() as s:
        early = owed(s, now=local(2026, 11, 20, 9), settings=Settings())  # 4 working days
        on_the_day = owed(s, now=local(2026, 11, 23, 9), settings=Settings())  # 5
    assert [o for o in early if o.kind == "escalation"] == []
    (esc,) = [o for o in on_the_day if o.kind == "escalation"]
    assert esc.recipient == "U0BOSS" and esc.key == "escalation|A1|2026-11-23"
    assert esc.caught_up == ()


# -- escalation with no manager and no digest channel (issue 9.2) ------------------------------


def test_an_escalation_with_no_manager_and_no_digest_channel_reaches_the_leads_by_dm(
    db, slack_standin
) -> None:
    with db.write() as s:
        build(
            s,
            Tracker(
                [A("U1", D(2026, 11, 16))],
                members=[M("U1"), M("U0LEAD1", role="lead"), M("U0LEAD2", role="lead")],
            ),
        )
    dry = _invoke(db, slack_standin, "reminders", "run", "--at", "2026-11-23T09:00", "--dry-run")
    assert _recipients(dry, "escalation") == {"U0LEAD1", "U0LEAD2"}
    assert "escalated to the leads" in dry

    out = _invoke(db, slack_standin, "reminders", "run", "--at", "2026-11-23T09:00")
    assert "failed" not in out.replace("0 failed", "")
    for lead in ("U0LEAD1", "U0LEAD2"):
        (msg,) = [
            m
            for m in slack_standin.messages(slack_standin.dm_channel(lead))
            if (m.get("metadata") or {})
            .get("event_payload", {})
            .get("key", "")
            .startswith("escalation|")
        ]
        assert "Escalation: R1.1" in msg["text"] and "overdue by 5 working days" in msg["text"]
    listed = _invoke(db, slack_standin, "reminders", "list", "--day", "2026-11-23")
    assert listed.count("escalation") == 2 and listed.count(" sent ") >= 2

    nxt = _invoke(db, slack_standin, "reminders", "run", "--at", "2026-11-24T09:00", "--dry-run")
    assert _lines(nxt, "escalation") == []


def test_a_lead_who_owns_the_action_is_not_sent_their_own_escalation(db) -> None:
    with db.write() as s:
        build(
            s,
            Tracker(
                [A("U0LEAD1", D(2026, 11, 16))],
                members=[M("U0LEAD1", role="lead"), M("U0LEAD2", role="lead")],
            ),
        )
    with db.read() as s:
        got = owed(s, now=local(2026, 11, 23, 9), settings=Settings())
    assert [o.recipient for o in got if o.kind == "escalation"] == ["U0LEAD2"]


# -- one impossible date never stops the planner (issue 13.1) ----------------------------------


def test_one_impossible_due_date_is_skipped_and_reported_and_everyone_else_is_reminded(
    db, slack_standin
) -> None:
    with db.write() as s:
        ids = build(
            s,
            Tracker(
                [
                    A("U1", D(2026, 11, 30)),
                    A("U2", D(2026, 11, 30)),
                    A("U3", D(2026, 11, 23)),
                    A("U4", D(2026, 11, 30)),
                ],
            ),
        )
        # written behind the bot's back (raw SQL, an old import): dates no entry point accepts
        s.execute(update(Action).where(Action.id == ids[1]).values(due=D(9999, 12, 31)))
        s.execute(update(Action).where(Action.id == ids[3]).values(due=D(1, 1, 1)))

    dry = _invoke(db, slack_standin, "reminders", "run", "--at", "2026-11-25T09:00", "--dry-run")
    assert _recipients(dry, "due") == {"U1", "U3"}
    assert "skipped NCPI:R1.2: due date 9999-12-31 is outside 2000-2100" in dry

    with db.read() as s:
        got = plan_reminders(s, now=local(2026, 11, 25, 9), settings=Settings())
    assert {(o.kind, o.recipient) for o in got.owed} == {("due", "U1"), ("due", "U3")}
    assert [(k.ref, k.reason) for k in got.skipped] == [
        ("NCPI:R1.2", "due date 9999-12-31 is outside 2000-2100"),
        ("NCPI:R1.4", "due date 0001-01-01 is outside 2000-2100"),
    ]

    out = _invoke(db, slack_standin, "reminders", "run", "--at", "2026-11-25T09:00")
    assert "2 owed: 2 sent" in out and "skipped NCPI:R1.4" in out
    assert slack_standin.messages(slack_standin.dm_channel("U1"))
    assert not slack_standin.messages(slack_standin.dm_channel("U2"))

    # once the date is corrected the action is planned again
    with db.write() as s:
        s.execute(update(Action).where(Action.id == ids[1]).values(due=D(2026, 11, 30)))
    with db.read() as s:
        fixed = plan_reminders(s, now=local(2026, 11, 25, 9), settings=Settings())
    assert ("due", "U2") in {(o.kind, o.recipient) for o in fixed.owed}
    assert [k.ref for k in fixed.skipped] == ["NCPI:R1.4"]
