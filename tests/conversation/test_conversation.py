"""The conversation belongs to no chat platform: its operations run and answer outcomes
with no Slack code loaded, a second front end (plain text) renders them, and conversation/
imports nothing of Slack or of bot/."""

from __future__ import annotations

import ast
import subprocess
import sys

from conversation import plain, run, wording
from conversation.commands import HANDLERS
from conversation.grammar import Command
from conversation.outcomes import Done, Form, Held, Read
from conversation.said import Person, Strong
from models.settings import Settings
from models.tables import Source
from tests import ROOT
from tests.conversation.conftest import Deps
from tests.slack_helpers import LEAD, OWNER

NOT_HERE = ("slack_sdk", "slack_bolt", "bot")


def test_conversation_imports_nothing_of_slack_or_bot():
    found = []
    for path in sorted((ROOT / "conversation").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in NOT_HERE]
    assert found == []


def test_running_an_operation_loads_no_slack_code():
    """Importing and running the conversation pulls in no Slack library, even indirectly."""
    code = (
        "import sys, conversation.run, conversation.plain, conversation.commands;"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {NOT_HERE!r}];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_change_answers_an_outcome_a_plain_front_end_renders(sample, clock):
    deps = Deps(Settings(), sample, clock)
    answer = run.execute(
        deps,
        actor=LEAD,
        op="assign",
        args={"ref": "R2.2", "owner": "U0CCRINSP1", "note": "you lead on this now"},
        source=Source.COMMAND,
    )
    assert isinstance(answer, Done)
    assert answer.subject == "R2.2" and Person("U0CCRINSP1") in answer.what
    assert plain.answer(answer).splitlines()[0] == (
        "✔︎ R2.2 — offered to @U0CCRINSP1, recorded 10:00 by you."
    )
    told = {t.person: t for t in answer.tells}
    assert set(told) == {"U0CCRINSP1", OWNER}  # the new owner is offered it, the old one told
    offer = plain.tell(told["U0CCRINSP1"])
    assert offer.startswith(f"to @U0CCRINSP1: @{LEAD} has handed you R2.2. Will you take it on?")
    assert "“you lead on this now”" in offer and "[Accept]  [Decline…]" in offer
    assert [(o.intent, o.value) for o in told["U0CCRINSP1"].offers] == [
        ("accept", "NCPI:R2.2"),
        ("decline", "NCPI:R2.2"),
    ]
    assert "<@" not in offer and "*" not in offer  # no Slack markup in the words


def test_a_held_note_is_the_change_itself_and_nothing_is_written(sample, clock):
    deps = Deps(Settings(), sample, clock)
    note = "spoke to the mother on 07700 900123"
    answer = run.execute(
        deps, actor=OWNER, op="update", args={"ref": "R2.2", "note": note}, source=Source.COMMAND
    )
    assert isinstance(answer, Held)
    assert (answer.op, answer.args, answer.subject) == (
        "update",
        {"ref": "R2.2", "note": note},
        "note",
    )
    assert "Nothing has been saved yet" in plain.answer(answer)
    confirmed = run.execute(
        deps, actor=OWNER, op="update", args=answer.args, source=Source.COMMAND, confirmed=True
    )
    assert isinstance(confirmed, Done) and confirmed.what == (
        "note added, status unchanged (at risk)",
    )


def test_a_replay_gets_the_first_outcome_back_without_telling_anyone_again(sample, clock):
    deps = Deps(Settings(), sample, clock)

    def withdraw() -> Done:
        return run.execute(
            deps,
            actor=LEAD,
            op="withdraw",
            args={"ref": "R2.2", "reason": "merged into R2.1"},
            source=Source.COMMAND,
            replay="req:T1",
        )

    first, again = withdraw(), withdraw()
    assert first.tells and not again.tells and again.repeated
    assert wording.line(again) == wording.line(first) and again.detail == first.detail
    assert Strong("R2.2") in wording.line(again)


def test_a_receipt_kept_before_answers_were_outcomes_still_answers_its_replay(sample, clock):
    """A receipt written as Slack's reply (text and blocks) is read as its one line: the
    replay is answered, and nothing runs twice."""
    from models.tables import Receipt

    earlier = '{"text":"R2.2 — on track, recorded 09:00 by you","blocks":[],"in_channel":false}'
    with sample.write() as session:
        session.add(Receipt(key="req:T9", actor=OWNER, at=clock.now(), result=earlier))
    deps = Deps(Settings(), sample, clock)
    again = run.execute(
        deps,
        actor=OWNER,
        op="update",
        args={"ref": "R2.2", "status": "blocked"},
        source=Source.COMMAND,
        replay="req:T9",
    )
    assert again.repeated and plain.text(wording.short(again)).startswith("R2.2 — on track")
    with sample.read() as session:
        assert session.get(Receipt, "req:T9").result == earlier  # nothing ran, nothing kept


def test_a_command_answers_a_form_a_plain_front_end_renders(sample, clock):
    """`update R2.2` with nothing after it is a form to fill in, in no platform's terms:
    its fields, their kinds, what they start with and what may be chosen."""
    deps = Deps(Settings(), sample, clock)
    form = HANDLERS["update"](deps, Command("update R2.2", OWNER), "R2.2")
    assert isinstance(form, Form) and form.kind == "update"
    assert form.metadata == {"ref": "NCPI:R2.2"}
    assert [(f.id, f.kind, f.optional) for f in form.fields] == [
        ("status", "choice", False),
        ("note", "multiline", True),
        ("evidence", "text", True),
    ]
    shown = plain.form(form).splitlines()
    assert shown[0] == "Update an action" and shown[1].startswith("R2.2 ")
    assert shown[2] == (
        "Status (choose: Not started | On track | At risk | Blocked | Implemented): At risk"
    )
    assert shown[3] == "Note (optional, lines):"
    assert shown[-1] == "[Save]  [Cancel]"
    assert not any("<@" in line or "*" in line for line in shown)


def test_a_lead_adding_an_action_is_offered_the_recommendations_as_plain_choices(sample, clock):
    from datetime import date

    from conversation.commands.changing import add_form

    deps = Deps(Settings(), sample, clock)
    form = add_form(deps, LEAD, rec="R2", title="Train staff", owner=OWNER, due=date(2027, 2, 1))
    rec, title, owner, due = form.fields
    assert rec.kind == "choice" and rec.initial == "NCPI:R2" and len(rec.choices) > 1
    assert (title.initial, owner.kind, owner.initial, due.kind, due.initial) == (
        "Train staff",
        "user",
        OWNER,
        "date",
        "2027-02-01",
    )
    assert f"Owner (optional, a person): @{OWNER}" in plain.form(form)


def test_the_review_list_is_a_read_of_the_domain_model(sample, clock):
    deps = Deps(Settings(), sample, clock)
    read = HANDLERS["review"](deps, Command("review", LEAD), "")
    assert isinstance(read, Read) and read.kind == "review"
    assert read.model.panel_day is not None
