"""Everything a user typed is escaped wherever a reply echoes it: refusals and results, the
message text and its blocks. Slack sends `@channel` as `<!channel>`, a mention as
`<@U…>` and a link as `<https://…|label>`; echoed back as they came, they would ping a
channel, ping a person or show a disguised link. Through the real Bolt app (the shell
adapter), on both databases."""

from __future__ import annotations

import json

import pytest

from tests.slack_helpers import LEAD, OWNER, make_shell

# what Slack sends for each, and the start of it that must never come back unescaped
HOSTILE = {
    "<!channel>": "<!channel",
    "<!here>": "<!here",
    "<!subteam^S0EVIL01>": "<!subteam",
    "<@U0EVIL01>": "<@U0EVIL01",
    "<https://evil.example/x|the panel paper>": "<https://evil",
}
PERSON = "<@U0EVIL01>"  # where a person is asked for, a mention is a person, and shown as one

# Each command as a lead types it, `{h}` where the hostile text goes; True where a person
# goes, so a mention there is taken as that person.
COMMANDS = {
    "show {h}": False,
    "show R2.1{h}": False,
    "history {h}": False,
    "summary {h}": False,
    "mine {h}": False,
    "due {h} tomorrow": False,
    "due R2.2 {h}": False,
    "due R2.2 1/1/2027{h}": False,
    "panel add {h}": False,
    "panel add 1/1/2027 {h}": False,
    "panel add 1/1/2027 10:00 AP{h}": False,
    "panel {h}": False,
    "panel remove {h}": False,
    "add {h} Train staff": False,
    "add R2 Train staff owner:{h} due:1/3/2027": True,
    "add R2 Train staff owner:x{h} due:1/3/2027": False,
    "add R2 Train staff owner:<@U0DIMISS01> due:{h}": False,
    "add R2 Train {h} staff owner:<@U0DIMISS01> due:1/3/2027": False,
    "update {h} on track": False,
    "update R2.2 {h}": False,
    "assign R2.2 {h}": True,
    "assign R2.2 x{h}": False,
    "return R2.2 {h}": False,
    "verify {h}": False,
    "done {h}": False,
    "signoff {h}": False,
    "reopen {h}": False,
    "withdraw {h} no longer needed": False,
    "reinstate {h}": False,
    "rename {h} Train staff": False,
    "edit {h} title New wording": False,
    "edit R2 {h} New wording": False,
    "away until {h}": False,
    "report {h}": False,
    "milestone {h}": False,
    "{h}": False,
    "{h} R2.1": False,
}
CASES = [
    (command, text)
    for command, person in COMMANDS.items()
    for text in HOSTILE
    if not (person and text == PERSON)
]


def said(fake) -> str:
    """Everything the bot sent to Slack: replies, messages, updates, views and their blocks."""
    return json.dumps([args for _, args in fake.calls], ensure_ascii=False)


@pytest.mark.parametrize(("command", "text"), CASES, ids=[f"{c}|{t}" for c, t in CASES])
def test_typed_markup_never_comes_back_as_markup(sample, clock, command, text) -> None:
    shell, fake = make_shell(sample, clock, user=LEAD)
    try:
        shell.run(command.format(h=text))
        if command.startswith("add R2 Train {h}"):
            shell.run("show R2.3")  # the action as stored, shown again
            shell.run("summary R2")
        assert fake.calls, "the bot answered"
        out = said(fake)
        assert HOSTILE[text] not in out
        assert "&amp;lt;" not in out, "escaped twice: shown as &lt; instead of <"
    finally:
        fake.stop()


def test_people_named_in_a_refusal_are_still_shown_as_people(sample, clock) -> None:
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        shell.run("update R9.1 on track <!channel>")  # someone else's action
        out = said(fake)
        assert "<@U0DIICAIT1>" in out  # its owner, named on purpose
        assert "<!channel" not in out
    finally:
        fake.stop()


def test_helps_placeholders_reach_slack_as_text(sample, clock) -> None:
    """`/ncpi help` writes `rename R2.1 <title>`: sent as typed, Slack would read `<title>`
    as a link and show nothing there. It goes escaped, so people see the placeholder."""
    shell, fake = make_shell(sample, clock, user=LEAD)
    try:
        shell.run("help")
        out = said(fake)
        assert "`/ncpi rename R2.1 &lt;title&gt;`" in out
        assert "<title>" not in out and "<text>" not in out
        assert "&amp;lt;" not in out
    finally:
        fake.stop()
