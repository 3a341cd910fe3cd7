"""End to end: one panel cycle for a force that starts with its own workbook, through the real
`ncpi-bot serve` and the `ncpi-bot reminders run --at` command line, on SQLite and PostgreSQL.

The Merrow Constabulary imports its inspection (recommendations, actions with owners, people
with managers and a lead, the last and the next panel). The reminder sweep is run as of each
day it matters: 14, 7 and 2 days before the panel and the day before it (the 7-day morning
and the day before twice: the second sweep sends nothing).
Owners answer by button, by form, in the DM's thread and by command (with a correction);
one overdue action with no manager (and no digest channel) is escalated to the lead; the
readiness note names exactly the owners who never answered.

The server's clock is pinned (NCPI_CLOCK) to the morning after the 7-day countdown, when the
owners answer; each sweep says the instant it runs as (`--at`). Nothing waits on time. The
sweeps run the command line in this process (each would otherwise pay a Python start-up);
the import and the server are subprocesses.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from time import monotonic, sleep
from typing import Any

import pytest
from sqlmodel import select

from bot.ids import ActionId, CallbackId
from bot.shell import requests
from conversation import forms
from jobs.sweep import EVENT_TYPE
from models import service
from models.tables import Update
from tests.e2e_server import Server, cli_in_process, run_cli, server_env, start_server
from tests.factories import workbook
from tests.slack_standin import APP_ID, TEAM_ID, Call, SlackStandIn

pytestmark = pytest.mark.e2e

CODE = "NCPI-MR"
LEAD = "U0MRLEAD01"
MANAGER = "U0MRMANAGR"
BUTTON, FORM_OWNER, THREAD, COMMAND = "U0MRBUTTON", "U0MRFORM01", "U0MRTHREAD", "U0MRCOMMND"
SILENT, LATE = "U0MRSILENT", "U0MRLATE01"  # never answer; LATE has no manager
OWNER_OF = {
    "R1.1": BUTTON,
    "R1.2": FORM_OWNER,
    "R2.1": THREAD,
    "R2.2": COMMAND,
    "R3.1": SILENT,
    "R3.2": LATE,
}
ANSWERED = {BUTTON, FORM_OWNER, THREAD, COMMAND}
SILENT_OWNERS = {SILENT, LATE}

PREVIOUS_PANEL = date(2026, 10, 22)  # Thursday
PANEL = date(2027, 1, 21)  # Thursday; nothing near a bank holiday
FAR = date(2027, 3, 31)
LATE_DUE = date(2027, 1, 7)  # 5 working days overdue on Thu 14 Jan
# When the sweep runs (09:00 London, the reminder hour; GMT in January, so also UTC)
DAY_14 = date(2027, 1, 7)  # Thu
DAY_7 = date(2027, 1, 14)  # Thu
DAY_2 = date(2027, 1, 19)  # Tue
DAY_BEFORE = date(2027, 1, 20)  # Wed, the working day before the panel: readiness
IMPORT_AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # weeks before the panel
# The owners answer the morning after the 7-day countdown.
ANSWERS_AT = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)

# A second inspection, imported later, whose panel's 14-day countdown falls on DAY_7.
CODE_2 = "NCPI-WX"
OWNER_2 = "U0WXOWNER1"
PANEL_2 = date(2027, 1, 28)  # Thursday
PANEL_2_DAY_7 = date(2027, 1, 21)  # Thu


def merrowworkbook(path: Path) -> Path:
    """The force's own tracker: not the sample, not the template."""
    return workbook(
        path,
        {
            "Inspection": [
                ["Code", "Title", "Inspectorate", "Force", "Published"],
                [
                    CODE,
                    "National Child Protection Inspection, Merrow Constabulary",
                    "HMICFRS",
                    "Merrow Constabulary",
                    date(2026, 6, 30),
                ],
            ],
            "Recommendations": [
                ["Number", "Title", "Text", "Timescale", "Status"],
                [
                    1,
                    "Missing children",
                    "That Merrow improves its response to missing children.",
                    "Immediately",
                    "outstanding",
                ],
                [
                    2,
                    "Online abuse",
                    "That Merrow reduces delays in online child abuse cases.",
                    "Within three months",
                    "outstanding",
                ],
                [
                    3,
                    "Risk meetings",
                    "That Merrow reviews its multi-agency risk meetings.",
                    "Within six months",
                    "outstanding",
                ],
            ],
            "Actions": [
                ["Ref", "Recommendation", "Action", "Owner", "Due date", "Status"],
                [
                    "R1.1",
                    "R1",
                    "Overnight risk assessment for missing children",
                    BUTTON,
                    FAR,
                    "not started",
                ],
                [
                    "R1.2",
                    "R1",
                    "Supervisors review every missing episode",
                    FORM_OWNER,
                    FAR,
                    "not started",
                ],
                [
                    "R2.1",
                    "R2",
                    "Triage online abuse referrals within a day",
                    THREAD,
                    FAR,
                    "not started",
                ],
                ["R2.2", "R2", "Digital forensics backlog plan", COMMAND, FAR, "not started"],
                [
                    "R3.1",
                    "R3",
                    "Terms of reference for the risk meeting",
                    SILENT,
                    FAR,
                    "not started",
                ],
                ["R3.2", "R3", "Partner attendance audit", LATE, LATE_DUE, "on track"],
            ],
            "People": [
                ["Slack ID", "Name", "Role", "Manager"],
                [LEAD, "Head of Safeguarding", "lead", None],
                [MANAGER, "Detective Chief Inspector", "member", None],
                [BUTTON, "DI Button", "member", MANAGER],
                [FORM_OWNER, "DI Form", "member", MANAGER],
                [THREAD, "DS Thread", "member", MANAGER],
                [COMMAND, "DS Command", "member", MANAGER],
                [SILENT, "DI Silent", "member", MANAGER],
                [LATE, "DS Late", "member", None],  # no manager: escalation goes to the lead
            ],
            "Panel meetings": [
                ["Date", "Time", "Title", "Paper ref"],
                [PREVIOUS_PANEL, "10:00", "Accountability and Performance Panel", "AP26/05"],
                [PANEL, "10:00", "Accountability and Performance Panel", "AP27/01"],
            ],
        },
    )


def wessexworkbook(path: Path) -> Path:
    return workbook(
        path,
        {
            "Inspection": [
                ["Code", "Title", "Force"],
                [CODE_2, "National Child Protection Inspection, Wessex Police", "Wessex Police"],
            ],
            "Recommendations": [
                ["Number", "Text", "Status"],
                [1, "That Wessex improves its child protection supervision.", "outstanding"],
            ],
            "Actions": [
                ["Ref", "Recommendation", "Action", "Owner", "Due date", "Status"],
                [
                    "R1.1",
                    "R1",
                    "Supervision framework for child protection",
                    OWNER_2,
                    FAR,
                    "not started",
                ],
            ],
            "People": [["Slack ID", "Name", "Role"], [OWNER_2, "DI Wessex", "member"]],
            "Panel meetings": [["Date", "Paper ref"], [PANEL_2, "WX27/01"]],
        },
    )


# -- the server, once per database ----------------------------------------------------------


def _env(server: Server, at: datetime) -> dict[str, str]:
    return server_env(server.database_url, server.standin, NCPI_LEADS="", NCPI_CLOCK=at.isoformat())


@pytest.fixture(scope="module")
def cycle_server(
    e2e_database_url: str,
    slack_standin_server: SlackStandIn,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    """`ncpi-bot serve` on Merrow's imported tracker (imported by the CLI, as a force does)."""
    folder = tmp_path_factory.mktemp("cycle")
    extra = {"NCPI_LEADS": "", "NCPI_CLOCK": ANSWERS_AT.isoformat()}
    env = server_env(e2e_database_url, slack_standin_server, **extra)
    env["NCPI_CLOCK"] = IMPORT_AT.isoformat()
    done = run_cli("import", str(merrowworkbook(folder / "merrow.xlsx")), env=env)
    assert done.returncode == 0, done.stderr
    server = start_server(
        e2e_database_url,
        slack_standin_server,
        folder / "serve.log",
        load_sample=False,
        extra_env=extra,
    )
    yield server
    server.stop()


def sweep(server: Server, day: date) -> str:
    """`ncpi-bot reminders run --at DAYT09:00`, as an operator (or cron) runs it that morning."""
    at = datetime.combine(day, time(9, 0), tzinfo=UTC)
    done = cli_in_process("reminders", "run", "--at", at.isoformat(), env=_env(server, at))
    assert done.exit_code == 0, done.output
    assert " 0 failed" in done.stdout and "failed:" not in done.stderr, done.output
    return done.stdout


def sent_count(output: str) -> int:
    found = re.search(r"(\d+) sent", output)
    assert found, output
    return int(found.group(1))


# -- reading what reached Slack and what is stored -------------------------------------------


def reminders_in(standin: SlackStandIn, user: str) -> list[dict[str, Any]]:
    """The reminder messages in a user's DM, oldest first, each with its key."""
    return [
        m
        for m in standin.messages(standin.dm_channel(user))
        if (m.get("metadata") or {}).get("event_type") == EVENT_TYPE
    ]


def key_of(message: dict[str, Any]) -> str:
    return message["metadata"]["event_payload"]["key"]


def keys(standin: SlackStandIn, user: str, kind: str) -> list[str]:
    return [k for k in map(key_of, reminders_in(standin, user)) if k.startswith(kind + "|")]


def days_of(standin: SlackStandIn, user: str, kind: str) -> list[date]:
    return [date.fromisoformat(k.rsplit("|", 1)[1]) for k in keys(standin, user, kind)]


def latest_panel_dm(standin: SlackStandIn, user: str) -> dict[str, Any]:
    mine = [m for m in reminders_in(standin, user) if key_of(m).startswith("panel|")]
    assert mine, f"no panel countdown reached {user}"
    return mine[-1]


def action(server: Server, ref: str, inspection: str = CODE):
    with server.db.read() as session:
        return service.get_action(session, ref=ref, inspection=inspection)


def history(server: Server, ref: str, inspection: str = CODE) -> list[Update]:
    a = action(server, ref, inspection)
    with server.db.read() as session:
        return list(
            session.exec(select(Update).where(Update.action_id == a.id).order_by(Update.id)).all()
        )


def names(value: str | None, ref: str) -> bool:
    """A button's value names `ref`: `R1.1`, or with its inspection, `NCPI-MR:R1.1`."""
    return bool(value) and (value == ref or value.endswith(":" + ref))


def recorded(message: dict[str, Any], ref: str, status: str) -> bool:
    """The message shows `ref`'s row as recorded (`✔︎ R1.1 — on track, recorded 10:00 …`)."""
    shown = json.dumps(message.get("blocks") or [], ensure_ascii=False)
    return re.search(rf"(?:[\w-]+:)?{re.escape(ref)} — {status}, recorded", shown) is not None


def click(
    server: Server, user: str, message: dict[str, Any], ref: str, action_id: str
) -> dict[str, Any]:
    """Press the button `action_id` on `ref`'s row of a DM the bot sent, as Slack sends it:
    the button as the message drew it (block id, value, label) and the message itself."""
    for block in message.get("blocks") or []:
        if block.get("type") != "actions":
            continue
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id and names(element.get("value"), ref):
                pressed = requests.button(
                    action_id,
                    element["value"],
                    block_id=block["block_id"],
                    text=element["text"]["text"],
                )
                payload = requests.block_action(
                    pressed,
                    user=user,
                    team_id=TEAM_ID,
                    app_id=APP_ID,
                    trigger_id=f"{abs(hash((user, ref, action_id)))}.trigger",
                    channel=server.standin.dm_channel(user),
                    message=message,
                    response_url=server.standin.response_url(f"click-{user}"),
                )
                answer = server.interact(payload)
                assert answer.status == 200, answer
                return payload
    raise AssertionError(f"no {action_id} button for {ref} in {json.dumps(message)[:2000]}")


def first_answer(standin: SlackStandIn, methods: tuple[str, ...], timeout: float = 30) -> Call:
    """The first of `methods` the bot called: what it made of a click."""
    deadline = monotonic() + timeout
    while monotonic() < deadline:
        found = [c for c in list(standin.calls) if c.method in methods]
        if found:
            return found[0]
        sleep(0.05)  # polling a condition, not waiting on time passing
    raise AssertionError(f"no {methods} call; calls: {standin.methods()}")


def assert_slack_accepted_everything(standin: SlackStandIn) -> None:
    assert standin.rejected() == [], [(c.method, c.response) for c in standin.rejected()]
    assert standin.warnings() == []


# -- the cycle ----------------------------------------------------------------------------------


def test_a_panel_cycle_after_importing_a_forces_ownworkbook(
    cycle_server: Server, slack_standin: SlackStandIn
) -> None:
    server, standin = cycle_server, slack_standin
    everyone = ANSWERED | SILENT_OWNERS
    assert everyone == set(OWNER_OF.values())

    # 14 and 7 days before: every owner is chased (the import's own rows are no update);
    # sweeping the same morning again sends nothing more
    for day in (DAY_14, DAY_7):
        first = sweep(server, day)
        assert sent_count(first) >= len(everyone), first
    again = sweep(server, DAY_7)
    assert sent_count(again) == 0, again
    for owner in everyone:
        assert days_of(standin, owner, "panel") == [DAY_14, DAY_7], owner
    seven_days = latest_panel_dm(standin, BUTTON)
    assert "The panel meets in 7 days (Thu 21 Jan, AP27/01)" in seven_days["text"]

    # The overdue action with no manager and no digest channel: escalated to the lead by DM,
    # on the day it is 5 working days overdue
    escalations = keys(standin, LEAD, "escalation")
    assert len(escalations) == 1 and escalations[0].endswith(f":{LEAD}|{DAY_7}"), escalations
    (escalation,) = [m for m in reminders_in(standin, LEAD) if key_of(m) == escalations[0]]
    assert "R3.2" in escalation["text"] and f"<@{LATE}>" in escalation["text"]
    assert keys(standin, MANAGER, "escalation") == []

    # -- the owners answer, the morning after --------------------------------------------------

    # by button, on the countdown's row: changed in place, stored as a button update
    countdown = latest_panel_dm(standin, BUTTON)
    click(server, BUTTON, countdown, "R1.1", ActionId.ON_TRACK)
    changed = standin.wait_for("chat.update").args
    assert (changed["channel"], changed["ts"]) == (standin.dm_channel(BUTTON), countdown["ts"])
    (now_shown,) = [m for m in standin.messages(changed["channel"]) if m["ts"] == countdown["ts"]]
    assert recorded(now_shown, "R1.1", "on track"), now_shown["blocks"]
    row_buttons = [b for b in now_shown["blocks"] if b["type"] == "actions" and "R1.1" in str(b)]
    assert row_buttons == []  # the row's buttons gave way to what was recorded
    assert action(server, "R1.1").status == "on_track"
    assert [(u.field, u.after, u.source, u.actor) for u in history(server, "R1.1")[-1:]] == [
        ("status", "on_track", "button", BUTTON)
    ]

    # by form: the Update… button opens it; its submission is stored as a modal update
    click(server, FORM_OWNER, latest_panel_dm(standin, FORM_OWNER), "R1.2", ActionId.UPDATE)
    opened = standin.wait_for("views.open").response["view"]
    assert opened["callback_id"] == CallbackId.UPDATE
    values = {
        forms.STATUS: {"value": {"type": "static_select", "selected_option": {"value": "at_risk"}}},
        forms.NOTE: {"value": {"type": "plain_text_input", "value": "Audit slipped a week"}},
    }
    submitted = server.interact(
        requests.view_submission(opened, values, user=FORM_OWNER, team_id=TEAM_ID, app_id=APP_ID)
    )
    assert submitted.status == 200, submitted
    assert action(server, "R1.2").status == "at_risk"
    new = [u for u in history(server, "R1.2") if u.source == "modal"]
    assert {u.actor for u in new} == {FORM_OWNER}
    assert ("status", "at_risk") in {(u.field, u.after) for u in new}
    assert "Audit slipped a week" in {u.note for u in new}

    # by a reply in the countdown's thread: a note on its one action
    dm = standin.dm_channel(THREAD)
    parent = latest_panel_dm(standin, THREAD)
    text = "Triage rota agreed with the hub"
    reply = standin.add_message(dm, text, user=THREAD, thread_ts=parent["ts"])
    event = {
        "type": "message",
        "channel": dm,
        "channel_type": "im",
        "user": THREAD,
        "text": text,
        "ts": reply["ts"],
        "thread_ts": parent["ts"],
        "event_ts": reply["ts"],
    }
    assert server.event(event, event_id="Ev0CYCLETHREAD").status == 200
    standin.wait_for("reactions.add", where=lambda c: c.args.get("timestamp") == reply["ts"])
    assert [(u.field, u.note, u.source, u.actor) for u in history(server, "R2.1")[-1:]] == [
        ("note", text, "thread", THREAD)
    ]

    # by command, corrected within the minute: on track → at risk → on track ends on track
    # (the server's clock is pinned, so all three arrive in the same instant)
    for n, word in enumerate(("on track", "at risk", "on track"), start=1):
        key = f"command-{n}"
        sent = server.command(
            f"update R2.2 {word}", user=COMMAND, response_url=standin.response_url(key)
        )
        assert sent.status == 200, sent
        said = standin.wait_for_response(key).args["text"]
        assert "R2.2" in said and word in said, said
    assert action(server, "R2.2").status == "on_track"
    statuses = [
        (u.before, u.after, u.source)
        for u in history(server, "R2.2")
        if u.field == "status" and u.actor == COMMAND
    ]
    assert statuses == [
        ("not_started", "on_track", "command"),
        ("on_track", "at_risk", "command"),
        ("at_risk", "on_track", "command"),
    ]

    # -- 2 days before and the day before ---------------------------------------------------

    # 2 days before: only the owners who have not answered are chased
    assert sent_count(sweep(server, DAY_2)) >= len(SILENT_OWNERS)
    for owner in everyone:
        expected = [DAY_14, DAY_7, DAY_2] if owner in SILENT_OWNERS else [DAY_14, DAY_7]
        assert days_of(standin, owner, "panel") == expected, owner

    # the working day before: the lead's readiness note names exactly those who did not answer
    assert sent_count(sweep(server, DAY_BEFORE)) >= 1
    assert sent_count(sweep(server, DAY_BEFORE)) == 0
    readiness = [m for m in reminders_in(standin, LEAD) if key_of(m).startswith("readiness|")]
    assert [key_of(m).rsplit("|", 1)[1] for m in readiness] == [DAY_BEFORE.isoformat()]
    note = json.dumps(readiness[0]["blocks"])
    named = set(re.findall(r"<@(U[A-Z0-9]+)>", note))
    assert named == SILENT_OWNERS, note
    assert "R3.1" in note and "R3.2" in note
    assert not any(ref in note for ref in ("R1.1", "R1.2", "R2.1", "R2.2"))

    # over the whole cycle: each owner's countdowns once each, one escalation, nobody else
    # (the manager, the answered owners) chased for what they had done
    for owner in everyone:
        assert not [
            k for k, n in Counter(map(key_of, reminders_in(standin, owner))).items() if n > 1
        ], owner
    assert len(keys(standin, LEAD, "escalation")) == 1
    assert reminders_in(standin, MANAGER) == []
    assert_slack_accepted_everything(standin)


@pytest.fixture(scope="module")
def second_inspection(cycle_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Server:
    """A second force's workbook imported beside the first, as the server runs."""
    path = wessexworkbook(tmp_path_factory.mktemp("wessex") / "wessex.xlsx")
    env = _env(cycle_server, IMPORT_AT)
    done = cli_in_process("import", str(path), env=env)
    assert done.exit_code == 0, done.output
    return cycle_server


def test_a_second_inspections_owner_gets_their_own_countdown_once(
    second_inspection: Server, slack_standin: SlackStandIn
) -> None:
    server, standin = second_inspection, slack_standin
    sweep(server, DAY_7)  # 14 days before the second panel (Merrow's owners: already sent)
    assert days_of(standin, OWNER_2, "panel") == [DAY_7]
    countdown = latest_panel_dm(standin, OWNER_2)
    assert "The panel meets in 14 days (Thu 28 Jan, WX27/01)" in countdown["text"]
    assert "R1.1" in json.dumps(countdown["blocks"])
    assert_slack_accepted_everything(standin)


def test_a_second_inspections_owner_answers_their_countdown_by_button(
    second_inspection: Server, slack_standin: SlackStandIn
) -> None:
    server, standin = second_inspection, slack_standin
    sweep(server, PANEL_2_DAY_7)  # its 7-day countdown (the 14-day one is the test above)
    countdown = latest_panel_dm(standin, OWNER_2)
    assert key_of(countdown).endswith(PANEL_2_DAY_7.isoformat())
    rows = len(history(server, "R1.1", CODE_2))
    merrow = [(u.id, u.after) for u in history(server, "R1.1", CODE)]
    click(server, OWNER_2, countdown, "R1.1", ActionId.ON_TRACK)
    answer = first_answer(standin, ("chat.update", "response_url"))
    assert answer.method == "chat.update", answer.args  # the row changed, not a refusal
    assert action(server, "R1.1", CODE_2).status == "on_track"
    assert [(u.id, u.after) for u in history(server, "R1.1", CODE)] == merrow  # untouched
    assert [
        (u.field, u.after, u.source, u.actor) for u in history(server, "R1.1", CODE_2)[rows:]
    ] == [("status", "on_track", "button", OWNER_2)]
    (now_shown,) = [
        m for m in standin.messages(answer.args["channel"]) if m["ts"] == countdown["ts"]
    ]
    assert recorded(now_shown, "R1.1", "on track"), now_shown["blocks"]
    assert_slack_accepted_everything(standin)
