"""A front end that is not Slack (the shape a Teams front end takes) needs only the
conversation: it hands `conversation.commands.answer` the typed text and who typed it, and
draws the outcome (here `conversation.plain`). A lead's and an owner's week runs through it
as a separate process that loads no Slack library and nothing of bot/."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conversation import forms, plain, run
from conversation.submitting import Unanswered, submitted
from models import service
from models.settings import Settings
from models.tables import Source
from tests import ROOT
from tests.conversation.conftest import Deps

LEAD = "U0SAFELEAD"
OWNER = "U0DIMISS01"  # owns R2.2 in the sample

# Each line as a person types it; the front end's own syntax for a person is `@U…` here, so
# its `words` is the identity.
JOURNEY = [
    (LEAD, "summary"),
    (LEAD, "add R2 Brief the night staff on the MASH rota owner:@U0DIMISS01 due:29/1/2027"),
    (OWNER, "mine"),
    (OWNER, "update R2.3 at risk waiting on the rota from HR"),
    (OWNER, "done R2.3 https://intranet.example/mash-rota"),
    (LEAD, "verify R2.3"),
    (LEAD, "show R2.3"),
    (LEAD, "assign R2.2 jane"),
    (LEAD, "frobnicate"),
]

SCRIPT = """
import json, sys
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from conversation import plain
from conversation.commands import answer
from models.clock import Clock
from models.db import Database
from models.errors import NcpiError
from models.settings import Settings

url, at, journey = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
tz = ZoneInfo("Europe/London")


@dataclass
class Deps:
    settings: Settings
    db: Database
    clock: Clock


deps = Deps(Settings(), Database(url), Clock(tz, datetime.fromisoformat(at)))
said = []
for actor, text in journey:
    try:
        said.append(plain.outcome(answer(deps, text, actor=actor), tz=tz))
    except NcpiError as e:
        said.append("refused: " + e.message)
loaded = sorted({m.split(".")[0] for m in sys.modules} & {"slack_sdk", "slack_bolt", "bot"})
print(json.dumps({"said": said, "loaded": loaded}))
"""


def test_a_week_runs_through_the_conversation_alone(sample, clock, db_url):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, db_url, clock.now().isoformat(), json.dumps(JOURNEY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["loaded"] == []
    summary, added, mine, update, implemented, verified, show, bad_person, unknown = out["said"]

    assert summary.startswith("NCPI · ") and "4 outstanding · 10 open actions" in summary
    assert summary.endswith("[Post to channel]  [Draft panel paper]")  # a lead's next steps
    assert added.startswith("✔︎ Added R2.3 Brief the night staff on the MASH rota")
    assert "to @U0DIMISS01: @U0SAFELEAD has handed you R2.3. Will you take it on?" in added
    assert added.endswith("[Accept]  [Decline…]")
    assert "Your open actions (2)" in mine
    assert "[On track]  [At risk]  [Implemented…]  [Update…]" in mine  # R2.2, theirs
    assert mine.endswith("[Accept]  [Decline…]")  # R2.3, offered to them
    assert update.startswith("✔︎ R2.3 — at risk, note added, recorded 10:00 by you.")
    assert implemented.startswith("✔︎ R2.3 — implemented, recorded 10:00 by you.")
    assert f"to @{LEAD}: @{OWNER} marked R2.3 Brief the night staff" in implemented
    assert verified.startswith("✔︎ R2.3 — verified, recorded 10:00 by you.")
    assert f"to @{OWNER}: @{LEAD} verified R2.3 Brief the night staff" in verified
    assert "Status: ✅ verified" in show
    assert "waiting on the rota from HR" in show and "https://intranet.example/mash-rota" in show
    assert bad_person == (
        "refused: `jane` is not a person. Mention them with @, e.g. owner:@jane.smith. "
        "Write it as `/ncpi assign R2.1 @jane`."
    )
    # a word that is no command is not taken for one it merely resembles
    assert unknown == (
        "refused: `frobnicate` is not an /ncpi command. `/ncpi help` lists them all, with examples."
    )
    for text in out["said"]:
        assert "<@" not in text and "*R2" not in text  # no Slack markup anywhere


def test_a_form_is_answered_by_the_same_rules_on_any_front_end(sample, clock):
    """A front end sends back a form's answers by field id; the conversation says what
    they ask for, or which field to put right, before anything runs."""
    with sample.read() as s:
        (v,) = service.action_views(
            s, actions=[service.get_action(s, ref="R2.2")], today=clock.today()
        )
    form = forms.update(v)
    ids = {f.id for f in form.fields}
    assert {forms.STATUS, forms.NOTE, forms.EVIDENCE} <= ids

    with pytest.raises(Unanswered) as no_evidence:  # implemented needs its evidence
        submitted("update", {forms.STATUS: "implemented"}, ref=v.qualified_ref)
    assert no_evidence.value.field == forms.EVIDENCE
    assert "Add the evidence" in no_evidence.value.message

    done = submitted(
        "update",
        {forms.STATUS: "implemented", forms.NOTE: "https://intranet.example/athena"},
        ref=v.qualified_ref,
    )
    assert (done.op, done.done) == ("done", "Implemented")  # the note is taken as evidence
    answer = run.execute(
        Deps(Settings(), sample, clock),
        actor=OWNER,
        op=done.op,
        args=done.args,
        source=Source.MODAL,
    )
    assert plain.answer(answer).startswith("✔︎ R2.2 — implemented")

    add = forms.adding(recs=[("NCPI:R2", "R2", "Missing children")])
    assert forms.REC in {f.id for f in add.fields}
    with pytest.raises(Unanswered) as no_item:
        submitted("add", {forms.TITLE: "Brief the night staff"}, ref=None)
    assert no_item.value.field == forms.REC
    assert no_item.value.message == "Choose where it goes, e.g. R2, AFI3 or C1."

    wording = submitted(
        "findings",
        {"findings.1": "First finding.\n\nSecond finding.", "findings.new": "Third."},
        ref="NCPI:R2",
    )
    assert wording.op == "findings_set"
    assert wording.args["findings"] == ["First finding.", "Second finding.", "Third."]
