"""A read says what to offer next: the conversation chooses each action row's steps (and the
summary's) once, so the plain front end and Slack offer the same buttons to the same person,
and the plain front end draws every read in the conversation's words."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot import render
from bot.ids import ActionId
from bot.views.home import home_view
from conversation import plain, run
from conversation.commands import HANDLERS
from conversation.grammar import Command
from conversation.outcomes import Read
from models import service
from models.settings import Settings
from models.tables import Source
from tests.conversation.conftest import Deps
from tests.slack_helpers import LEAD, OWNER

TZ = ZoneInfo("Europe/London")
PROGRESS = ["On track", "At risk", "Implemented…", "Update…"]


def ask(deps: Deps, actor: str, line: str) -> Read:
    name, _, rest = line.partition(" ")
    read = HANDLERS[name](deps, Command(line, actor), rest)
    assert isinstance(read, Read)
    return read


def buttons(read: Read) -> list[tuple[str, str, str]]:
    """What Slack draws for the read: each button's label, action id and value."""
    blocks = [b.to_dict() for b in render.read_reply(read, tz=TZ).blocks]
    return [
        (e["text"]["text"], e["action_id"], e.get("value"))
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def labels(read: Read) -> list[str]:
    return [o.label for steps in read.offers.values() for o in steps]


def mark_implemented(deps: Deps) -> None:
    run.execute(
        deps,
        actor=OWNER,
        op="done",
        args={"ref": "R2.2", "evidence": "https://example.org/policy"},
        source=Source.COMMAND,
    )


def test_an_owner_is_offered_progress_on_their_own_action_and_nothing_on_another(sample, clock):
    deps = Deps(Settings(), sample, clock)
    mine = ask(deps, OWNER, "mine")
    assert [(o.label, o.intent, o.value) for o in mine.offers["NCPI:R2.2"]] == [
        ("On track", "on_track", "NCPI:R2.2"),
        ("At risk", "at_risk", "NCPI:R2.2"),
        ("Implemented…", "implemented", "NCPI:R2.2"),
        ("Update…", "update", "NCPI:R2.2"),
    ]
    shown = plain.read(mine, tz=TZ)
    assert "R2.2" in shown and "at risk" in shown
    assert "[On track]  [At risk]  [Implemented…]  [Update…]" in shown

    theirs = ask(deps, OWNER, "show R2.1")
    assert theirs.offers == {"NCPI:R2.1": []}
    assert "[" not in plain.read(theirs, tz=TZ) and buttons(theirs) == []


def test_a_lead_is_offered_verify_or_return_on_an_implemented_action(sample, clock):
    deps = Deps(Settings(), sample, clock)
    mark_implemented(deps)

    lead = ask(deps, LEAD, "show R2.2")
    assert [(o.label, o.intent, o.style) for o in lead.offers["NCPI:R2.2"]] == [
        ("Verify", "verify", "primary"),
        ("Return…", "return", None),
    ]
    shown = plain.read(lead, tz=TZ)
    assert "Status: 🟢 implemented" in shown and "https://example.org/policy" in shown
    assert "[Verify]  [Return…]" in shown
    assert buttons(lead) == [
        ("Verify", ActionId.VERIFY, "NCPI:R2.2"),
        ("Return…", ActionId.RETURN, "NCPI:R2.2"),
    ]

    # The owner has nothing to press now: both front ends say whom it waits on.
    owner = ask(deps, OWNER, "mine")
    assert labels(owner) == []
    waiting = "Implemented — waiting for a lead to verify."
    assert waiting in plain.read(owner, tz=TZ)
    assert waiting in str(render.read_reply(owner, tz=TZ).blocks[-1].to_dict())


@pytest.mark.parametrize(("actor", "line"), [(OWNER, "mine"), (OWNER, "show R2.2")])
def test_slack_draws_the_offers_the_read_makes(sample, clock, actor, line):
    deps = Deps(Settings(), sample, clock)
    read = ask(deps, actor, line)
    assert [label for label, _, _ in buttons(read)] == labels(read) == PROGRESS
    assert {value for _, _, value in buttons(read)} == {"NCPI:R2.2"}
    assert [str(a) for _, a, _ in buttons(read)] == [
        ActionId.ON_TRACK,
        ActionId.AT_RISK,
        ActionId.IMPLEMENTED,
        ActionId.UPDATE,
    ]


def test_the_summary_offers_a_lead_to_post_it_and_everyone_to_draft_the_paper(sample, clock):
    deps = Deps(Settings(), sample, clock)
    lead, owner = ask(deps, LEAD, "summary"), ask(deps, OWNER, "summary")
    assert labels(lead) == ["Post to channel", "Draft panel paper"]
    assert labels(owner) == ["Draft panel paper"]
    assert [label for label, _, _ in buttons(lead)] == labels(lead)
    assert buttons(owner) == [("Draft panel paper", ActionId.DRAFT_REPORT, "NCPI")]

    shown = plain.read(lead, tz=TZ)
    assert shown.splitlines()[0].startswith("NCPI · ")
    assert "R2 Missing children — outstanding" in shown
    assert shown.splitlines()[-1] == "[Post to channel]  [Draft panel paper]"

    posted = ask(deps, LEAD, "summary post")
    assert labels(posted) == [] and buttons(posted) == []


def test_a_recommendation_lists_its_actions_with_their_status(sample, clock):
    deps = Deps(Settings(), sample, clock)
    shown = plain.read(ask(deps, OWNER, "summary R2"), tz=TZ).splitlines()
    assert shown[0] == "R2 Missing children"
    assert any(line.startswith("🟠 R2.2 ") and "at risk" in line for line in shown)
    assert shown[-1] == "Open one with /ncpi show R2.1; its history with /ncpi history R2.1."


@pytest.mark.parametrize(
    "line", ["help", "summary", "summary R2", "mine", "show R2.2", "history R2.2", "panel"]
)
def test_every_read_reads_as_plain_text(sample, clock, line):
    """No Slack markup in the plain reading: no mentions, bold, code marks or emoji codes."""
    deps = Deps(Settings(), sample, clock)
    shown = plain.read(ask(deps, OWNER, line), tz=TZ)
    assert shown.strip()
    for mark in ("<@", "*", "`", ":tada:", "&lt;"):
        assert mark not in shown, (line, mark)


def test_the_milestones_and_the_review_read_as_plain_text(sample, clock):
    deps = Deps(Settings(), sample, clock)
    milestones = plain.read(ask(deps, LEAD, "milestone"), tz=TZ).splitlines()
    assert milestones[0] == "NCPI milestones"
    assert any(line.startswith("• Action plan to HMICFRS: ") for line in milestones)
    review = plain.read(ask(deps, LEAD, "review"), tz=TZ).splitlines()
    assert review[0].startswith("Review the paper for ")


def test_app_home_offers_what_mine_offers(sample, clock):
    """Home draws its rows from the same choice as the conversation's reads."""
    deps = Deps(Settings(), sample, clock)
    today = clock.today()
    with sample.read() as session:
        actions = service.my_actions(session, actor=OWNER, today=today)
    home = home_view(viewer=OWNER, viewer_is_lead=False, mine=actions, summary=None, today=today)
    pressed = [
        e["text"]["text"]
        for b in home.to_dict()["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert pressed == labels(ask(deps, OWNER, "mine")) == PROGRESS
