"""A person is named in the conversation's own words (`@U123`, or the bare id): `add` and
`assign` are the conversation's commands, answered with no chat platform involved, and
Slack's mention (`<@U123|jane>`) is turned into those words by the Slack front end before
the command is read. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conversation import plain
from conversation.commands import HANDLERS
from conversation.grammar import Command, Refusal
from conversation.outcomes import Done, Form
from models import service
from models.clock import Clock
from models.db import Database
from models.settings import Settings
from tests import ROOT
from tests.conversation.conftest import Deps
from tests.slack_helpers import LEAD, OTHER, OWNER, counts, make_shell

NOT_A_PERSON = "`jane` is not a person. Mention them with @, e.g. owner:@jane.smith."


def answer(deps: Deps, line: str, *, actor: str = LEAD):
    """One command as a front end with no syntax of its own dispatches it."""
    name, _, rest = line.partition(" ")
    return HANDLERS[name](deps, Command(line, actor), rest)


def owner_of(db: Database, ref: str, clock: Clock) -> str | None:
    with db.read() as session:
        return service.show_action(session, ref=ref, today=clock.today()).owner


@pytest.mark.parametrize("who", [f"@{OWNER}", OWNER])
def test_the_conversation_assigns_to_a_person_in_its_own_words(sample, clock, who):
    deps = Deps(Settings(), sample, clock)
    done = answer(deps, f"assign R2.1 {who} you lead on this now")
    assert isinstance(done, Done)
    assert plain.answer(done).startswith(f"✔︎ R2.1 — offered to @{OWNER}")
    assert OWNER in {t.person for t in done.tells}
    assert owner_of(sample, "R2.1", clock) == OWNER


def test_the_conversation_adds_an_action_owned_by_a_person_in_its_own_words(sample, clock):
    deps = Deps(Settings(), sample, clock)
    done = answer(deps, f"add R2 Train CCR staff owner:@{OWNER} due:31/03/2027")
    assert isinstance(done, Done) and "Added R2.3" in plain.answer(done)
    assert owner_of(sample, "R2.3", clock) == OWNER


def test_an_add_with_something_missing_is_the_form_with_the_person_filled_in(sample, clock):
    deps = Deps(Settings(), sample, clock)
    form = answer(deps, f"add AFI1 Second ethnicity audit owner:@{OWNER}")
    assert isinstance(form, Form) and form.kind == "add"
    shown = plain.form(form)
    assert f"Owner (optional, a person): @{OWNER}" in shown
    assert "Due (optional, a date):" in shown
    # the first field takes any kind of item an action can be under, and says so
    assert shown.splitlines()[1].startswith(
        "Recommendation, area for improvement or cause of concern (choose: "
    )


@pytest.mark.parametrize(
    ("line", "command"),
    [("assign R2.1 jane", "assign"), ("add R2 Train staff owner:jane due:31/03/2027", "add")],
)
def test_a_word_that_is_not_a_person_is_refused_with_how_to_name_one(sample, clock, line, command):
    deps = Deps(Settings(), sample, clock)
    before = counts(sample)
    with pytest.raises(Refusal) as refused:
        answer(deps, line)
    assert (refused.value.message, refused.value.name) == (NOT_A_PERSON, command)
    assert counts(sample) == before


def test_slack_markup_is_not_the_conversations_person(sample, clock):
    """A front end that wrote a Slack mention into the conversation unread would be refused:
    reading it is the Slack front end's work, not the conversation's."""
    deps = Deps(Settings(), sample, clock)
    with pytest.raises(Refusal, match="is not a person"):
        answer(deps, f"assign R2.1 <@{OWNER}>")


def test_add_and_assign_run_with_no_slack_code_loaded():
    code = (
        "import sys, conversation.commands;"
        "from conversation.commands import HANDLERS;"
        "assert {'add', 'assign'} <= set(HANDLERS);"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('slack_sdk', 'slack_bolt', 'bot')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def slack(sample, clock):
    """The real Bolt app, driven as Slack drives it, and the Slack stand-in it talks to."""
    shell, fake = make_shell(sample, clock)
    yield shell, fake
    fake.stop()


@pytest.mark.parametrize(
    "mention", [f"<@{OWNER}|jane.smith>", f"<@{OWNER}|Jane Smith (CCR)>", f"<@{OWNER}>"]
)
def test_a_slack_mention_still_names_the_person_through_the_real_app(slack, sample, clock, mention):
    shell, _ = slack
    out = shell.run(f"add R2 Train CCR staff owner:{mention} due:31/03/2027")
    assert "Added R2.3" in out, out
    assert owner_of(sample, "R2.3", clock) == OWNER
    out = shell.run(f"assign R9.1 {mention} handing over")
    assert f"R9.1 — offered to @{OWNER}" in out, out
    assert owner_of(sample, "R9.1", clock) == OWNER


def test_a_bad_person_in_slack_gets_the_sentence_and_how_to_write_it(slack, sample):
    shell, _ = slack
    before = counts(sample)
    out = shell.run("assign R2.1 jane")
    assert NOT_A_PERSON in out and "Write it as `/ncpi assign R2.1 @jane`" in out, out
    assert counts(sample) == before


def test_a_mention_in_a_note_is_stored_in_the_conversations_words_and_never_pings(slack, sample):
    """A mention in a note is stored as the conversation names a person (`@U…`), with no
    Slack markup, and shown back as text: it pings nobody."""
    shell, fake = slack
    shell.user = OWNER
    shell.run(f"note R2.2 ask <@{OTHER}> about nights")
    with sample.read() as session:
        notes = [u.note for u in service.history(session, ref="R2.2") if u.note]
    assert notes[-1] == f"ask @{OTHER} about nights"
    fake.calls.clear()
    shell.run("history R2.2")
    raw = json.dumps([a for m, a in fake.calls if m == "response_url"], ensure_ascii=False)
    assert f"ask @{OTHER} about nights" in raw and f"<@{OTHER}>" not in raw
