"""Two inspections tracked at once: the sample's NCPI and a second force's own workbook
(NCPI-WX), imported. Both have an action R2.2 owned by the same officer, so every button,
form, command and hint has to say which one it means (SQLite and PostgreSQL, the real Bolt
app through the shell)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlmodel import select

from bot.views.reminders import reminder_message
from jobs.sweep import sweep
from models.settings import Settings
from models.tables import Action, Inspection, Recommendation, Update
from models.transfer import import_file
from tests.conftest import TZ
from tests.factories import workbook
from tests.slack_helpers import LEAD, OWNER, make_shell

WX_OWNER = "U0WXOWNER1"
WX = {
    "Inspection": [
        ["Code", "Title", "Force"],
        ["NCPI-WX", "National Child Protection Inspection, Wessex Police", "Wessex Police"],
    ],
    "Recs": [
        ["Rec No", "Recommendation", "Time scale", "Status"],
        [1, "That Wessex Police improves its response to missing children.", "Now", "outstanding"],
        [2, "That Wessex Police reviews its MARAC arrangements.", "3 months", "outstanding"],
    ],
    "Action Tracker": [
        ["Rec", "Action", "Action owner", "Target date", "RAG"],
        [1, "Train control room staff in overnight risk", WX_OWNER, "31/03/2027", "on track"],
        [2, "MARAC minutes audited", WX_OWNER, "30/04/2027", "on track"],
        # R2.2, as in the sample, and the same owner: due in 3 working days, so chased today
        [2, "Philomena protocol in every children's home", OWNER, "30/11/2026", "not started"],
    ],
    "Panels": [["Meeting date", "Paper no"], ["22/01/2027", "WX27/01"]],
}
# Things the bot says when it does not accept what was typed.
REFUSED = (
    "is not a reference",
    "Several inspections",
    "is not something I know",
    "is not a date",
    "There is no",
    "is not an /ncpi command",
    "Write it as",
    "went wrong",
    "no button",
)
HINT = re.compile(r"`(/ncpi [^`]+)`")
READ_ONLY = {"show", "history", "summary", "panel", "mine", "report", "help"}


@pytest.fixture
def two(sample, clock, tmp_path: Path):
    """The sample (NCPI) and Wessex's own workbook (NCPI-WX), imported."""
    path = workbook(tmp_path / "wessex.xlsx", WX)
    import_file(sample, path, now=clock.now(), today=clock.today(), tz=TZ)
    return sample


def action(db, code: str, ref: str) -> Action:
    rec, number = (int(x) for x in ref.removeprefix("R").split("."))
    with db.read() as s:
        return s.exec(
            select(Action)
            .join(Recommendation, Recommendation.id == Action.recommendation_id)
            .join(Inspection, Inspection.id == Recommendation.inspection_id)
            .where(Inspection.code == code, Recommendation.number == rec, Action.number == number)
        ).one()


def notes(db, a: Action) -> list[str]:
    with db.read() as s:
        return [
            u.note
            for u in s.exec(select(Update).where(Update.action_id == a.id)).all()
            if u.note and u.source != "import"
        ]


def refused(out: str) -> list[str]:
    return [r for r in REFUSED if r in out]


class Seen:
    """Everything the journey showed, so each hint in it can be typed back afterwards."""

    def __init__(self, shell) -> None:
        self.shell, self.texts = shell, []

    def run(self, line: str) -> str:
        out = self.shell.run(line)
        self.texts.append(out)
        assert not refused(out), f"{line!r} was refused:\n{out}"
        return out

    def hints(self) -> set[str]:
        return {h for t in self.texts for h in HINT.findall(t)}


def test_owner_and_lead_work_both_inspections_by_button_form_and_command(two, clock):
    shell, fake = make_shell(two, clock, user=OWNER)
    seen = Seen(shell)
    ncpi, wx = action(two, "NCPI", "R2.2"), action(two, "NCPI-WX", "R2.2")
    try:
        # The owner's list names each action so it can be told apart (and typed back).
        out = seen.run("mine")
        assert "NCPI:R2.2" in out and "NCPI-WX:R2.2" in out

        # A one-click status on the mine row changes Wessex's R2.2 and nothing else.
        out = seen.run("click On track NCPI-WX:R2.2")
        assert "NCPI-WX:R2.2 — on track, recorded" in out
        assert action(two, "NCPI-WX", "R2.2").status == "on_track"
        assert action(two, "NCPI", "R2.2").status == ncpi.status == "at_risk"

        # The update form, opened from the row, saves to the sample's R2.2.
        assert "Modal «Update an action»" in seen.run("click Update… NCPI:R2.2")
        out = seen.run('submit status="on track" note="Athena fields live in March"')
        assert "form error" not in out and "NCPI:R2.2 — on track, note added" in out
        assert action(two, "NCPI", "R2.2").status == "on_track"
        assert notes(two, ncpi) == ["Athena fields live in March"]
        assert notes(two, wx) == []

        # The due-date reminder DM lists both; its Implemented… button and form mark Wessex's.
        settings = Settings(slack_api_url=fake.api_url, slack_bot_token=fake.token)
        client = WebClient(token=fake.token, base_url=fake.api_url)
        fake.printed.clear()
        sweep(db=two, client=client, settings=settings, now=clock.now(), render=reminder_message)
        dm = "\n".join(fake.printed)
        seen.texts.append(dm)
        assert "DM to @U0DIMISS01" in dm and "NCPI-WX:R2.2" in dm and "NCPI:R2.2" in dm
        assert "Modal «Mark implemented»" in seen.run("click Implemented… NCPI-WX:R2.2")
        out = seen.run("submit evidence=https://intranet.example/wx-philomena")
        assert "NCPI-WX:R2.2 — implemented" in out
        assert action(two, "NCPI-WX", "R2.2").status == "implemented"
        assert action(two, "NCPI", "R2.2").status == "on_track"

        # A thread reply under that DM: pick which action the note is for.
        out = seen.run("reply spoke to the children's homes managers")
        assert "Which action is this note for?" in out
        out = seen.run("click NCPI:R2.2")
        assert "NCPI:R2.2 — note added" in out
        assert notes(two, ncpi)[-1] == "spoke to the children's homes managers"

        # The lead hears it is waiting, verifies it by button from `show`.
        shell.run(f"as {LEAD}")
        told = [
            b
            for name, args in fake.calls
            if name == "chat.postMessage" and args.get("channel") == LEAD
            for b in [str(args.get("blocks") or args.get("text"))]
            if "implemented" in b
        ]
        assert told and "NCPI-WX:R2.2" in told[-1]
        seen.texts.append(" ".join(told))
        out = seen.run("show NCPI-WX:R2.2")
        assert "NCPI-WX:R2.2" in out and "[Verify]" in out
        out = seen.run("click Verify NCPI-WX:R2.2")
        assert "NCPI-WX:R2.2 — verified" in out
        assert action(two, "NCPI-WX", "R2.2").status == "verified"
        assert action(two, "NCPI", "R2.2").status == "on_track"

        # A handover DM: the owner accepts Wessex's R1.1 by its button.
        seen.run(f"assign NCPI-WX:R1.1 <@{OWNER}>")
        shell.run(f"as {OWNER}")
        out = seen.run("click Accept NCPI-WX:R1.1")
        assert "NCPI-WX:R1.1 — accepted" in out
        assert action(two, "NCPI-WX", "R1.1").owner_accepted

        # Inspection-wide commands take the inspection's code.
        shell.run(f"as {LEAD}")
        out = seen.run("summary NCPI-WX")
        assert "NCPI-WX action tracker" in out
        out = seen.run("summary NCPI-WX:R2")
        assert "NCPI-WX:R2.1" in out
        out = seen.run("panel NCPI-WX")
        assert "22 Jan 2027" in out and "WX27/01" in out and "AP" not in out
        out = seen.run("report NCPI-WX")
        assert "(file «" in out and "WX27/01" in out
        out = seen.run("report NCPI-WX 22/01/2027")
        assert "(file «" in out and "WX27/01" in out
        out = seen.run("history NCPI-WX:R2.2")
        assert "History of NCPI-WX:R2.2" in out and "verified" in out
        assert "History of NCPI-WX:R2.2" in seen.run("history NCPI-WX R2.2")
        out = seen.run("home")
        assert "App Home" in out

        # Every hint the bot printed on the way is accepted when typed back.
        hints = seen.hints()
        assert any("NCPI-WX:R2.2" in h for h in hints)
        for hint in sorted(hints):
            if re.search(r"[<\[…]", hint):  # a pattern to fill in, not a command
                continue
            name = hint.split()[1]
            typed = hint if name in READ_ONLY else None
            if typed is None:  # a change: check the ref it names instead
                refs = [w for w in hint.split()[2:] if re.match(r"^([A-Z-]+:)?R\d", w)]
                typed = f"/ncpi show {refs[0]}" if refs else None
            if typed:
                out = shell.run(typed)
                assert not refused(out), f"the bot printed `{hint}`, then refused it:\n{out}"
    finally:
        fake.stop()


def test_without_a_code_the_bot_says_how_to_name_one(two, clock):
    shell, fake = make_shell(two, clock, user=LEAD)
    try:
        for line, example in (
            ("summary", "/ncpi summary NCPI"),
            ("panel", "/ncpi panel NCPI"),
            ("report", "/ncpi report NCPI"),
            ("show R2.2", "NCPI:R2.2"),
            ("update R2.2 on track", "NCPI:R2.2"),
        ):
            out = shell.run(line)
            assert "Several inspections are tracked (NCPI, NCPI-WX)" in out, line
            assert example in out, (line, out)
        assert action(two, "NCPI", "R2.2").status == "at_risk"  # nothing changed
        out = shell.run("report NCPI-XX")
        assert "`NCPI-XX` is not an inspection or a date" in out and "NCPI, NCPI-WX" in out
    finally:
        fake.stop()


def test_a_lead_adds_a_panel_and_an_action_to_the_inspection_named(two, clock):
    shell, fake = make_shell(two, clock, user=LEAD)
    try:
        out = shell.run("panel NCPI-WX add 19/02/2027 10:00 WX27/02")
        assert "Panel meeting on" in out and "added" in out
        assert "WX27/02" in shell.run("panel NCPI-WX")
        assert "WX27/02" not in shell.run("panel NCPI")
        out = shell.run("panel NCPI-WX remove 19/02/2027")
        assert "cancelled" in out
        assert "Modal «Add an action»" in shell.run("add")
        out = shell.run(f'submit rec=NCPI-WX:R1 title="Audit overnight risk" owner={WX_OWNER}')
        assert "Added NCPI-WX:R1.2" in out
        with two.read() as s:
            created = s.exec(select(Action).where(Action.title == "Audit overnight risk")).one()
            rec = s.get(Recommendation, created.recommendation_id)
            assert s.get(Inspection, rec.inspection_id).code == "NCPI-WX"
        assert "Modal «Update an action»" in shell.run("update")
        out = shell.run('submit action=NCPI-WX:R1.1 status="at risk"')
        assert "NCPI-WX:R1.1 — at risk" in out
        assert action(two, "NCPI-WX", "R1.1").status == "at_risk"
    finally:
        fake.stop()


def test_with_one_inspection_refs_stay_short_and_old_buttons_still_work(sample, clock):
    """One inspection: R2.2 as before; buttons carry the code, so a second inspection
    imported later does not break the buttons already sent."""
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        out = shell.run("mine")
        assert "R2.2" in out and "NCPI:R2.2" not in out
        with sample.write() as s:
            s.add(Inspection(code="CSE", title="Child sexual exploitation", created_at=clock.now()))
        out = shell.run("click On track R2.2")
        assert "NCPI:R2.2 — on track, recorded" in out
        assert action(sample, "NCPI", "R2.2").status == "on_track"
    finally:
        fake.stop()
