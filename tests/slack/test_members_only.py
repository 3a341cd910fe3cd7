"""Only full members of this workspace may use the tracker.

Guests (single- and multi-channel: partner agencies are often guests), people from other
organisations in shared channels (Slack Connect), deactivated accounts and bots are refused
politely, shown nothing and write nothing, whatever they send: a command, a button, a form,
a reply in a bot DM's thread, opening App Home. The look-up (users.info) is cached for a
few minutes; when Slack does not answer it, the request is refused with "try again" and the
failure is not remembered. NCPI_READERS_USERGROUP narrows the readers to a user group.

End to end through `ncpi-bot serve` (signed requests over HTTP, the Slack stand-in, SQLite
and PostgreSQL); the readers group and the cache's expiry through the real Bolt app
in-process with signed requests and the injected clock. The server lives for the whole
module and caches what it learns, so each test uses its own people.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from slack_bolt import BoltRequest
from slack_sdk import WebClient

from bot.ids import ActionId, CallbackId
from bot.members import NOT_A_MEMBER, NOT_A_READER, TRY_AGAIN, MembersOnly
from conversation import forms
from models import service
from models.clock import Clock
from models.db import Database
from models.errors import ConfigError
from models.settings import load_settings
from models.tables import BotMessage
from tests.conftest import NOW
from tests.e2e_server import Server
from tests.slack_helpers import SIGNING_SECRET, make_app, run
from tests.slack_requests import (
    JSON,
    block_action,
    signed_headers,
    view_submission,
)
from tests.slack_standin import TEAM_ID, SlackStandIn

pytestmark = pytest.mark.e2e

LEAD = "U0SAFELEAD"  # the sample's lead, a full member
PARTNER_TEAM = "T0PARTNER"  # another organisation's workspace (Slack Connect)

# Who is not a full member, as users.info describes them.
OUTSIDERS = {
    "single-channel guest": {"is_ultra_restricted": True},
    "multi-channel guest": {"is_restricted": True},
    "Slack Connect stranger": {"team_id": PARTNER_TEAM, "is_stranger": True},
    "another organisation's member": {"team_id": PARTNER_TEAM},
    "deactivated account": {"deleted": True},
    "bot user": {"is_bot": True},
}


@pytest.fixture
def server(e2e_server: Server, slack_standin: SlackStandIn) -> Server:
    """The module's server, with the stand-in emptied for this test."""
    return e2e_server


def give_action_to(server: Server, ref: str, owner: str) -> None:
    """Arrange: a partner agency's person owns this action (so, before this check, their
    changes were accepted)."""
    with server.db.write() as session:
        service.get_action(session, ref=ref).owner = owner


def history_rows(server: Server, ref: str) -> int:
    with server.db.read() as session:
        return len(service.history(session, ref=ref))


def status_of(server: Server, ref: str) -> str:
    with server.db.read() as session:
        return service.get_action(session, ref=ref).status


def asked_slack(server: Server) -> list[str]:
    """The calls this test's requests made (Bolt's authorization asks auth.test once per
    process, whichever request comes first)."""
    return [m for m in server.standin.methods() if m != "auth.test"]


def shows_tracker(text: str) -> bool:
    return any(word in text for word in ("R2", "R4", "R6", "R9", "outstanding", "NCPI re-"))


# -- commands ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", list(OUTSIDERS))
def test_an_outsiders_summary_is_refused_and_shows_nothing(server: Server, who: str) -> None:
    user = "U0OUT" + str(list(OUTSIDERS).index(who)).zfill(4)
    server.standin.add_user(user, **OUTSIDERS[who])
    before = server.counts()
    answer = server.command("summary", user=user, response_url=server.standin.response_url(user))
    assert answer.status == 200
    reply = answer.json()
    assert reply == {"response_type": "ephemeral", "text": NOT_A_MEMBER}
    # nothing else reached Slack: no reply on the response_url, no message, no view
    assert asked_slack(server) == ["users.info"]
    assert server.counts() == before


def test_a_single_channel_guests_update_changes_nothing(server: Server) -> None:
    guest = "U0GUESTUPD"
    server.standin.add_user(guest, is_ultra_restricted=True)
    give_action_to(server, "R4.3", guest)
    before = server.counts()
    answer = server.command("update R4.3 at risk the partner agency's view", user=guest)
    assert answer.json()["text"] == NOT_A_MEMBER
    assert status_of(server, "R4.3") == "not_started"
    assert server.counts() == before


def test_a_full_member_uses_the_tracker(server: Server) -> None:
    answer = server.command("summary", user=LEAD, response_url=server.standin.response_url("lead"))
    assert answer.status == 200 and answer.body == ""  # acked at once, answered after
    reply = server.standin.wait_for_response("lead").args
    assert reply["response_type"] == "ephemeral" and shows_tracker(json.dumps(reply))


def test_the_look_up_is_cached(server: Server) -> None:
    member = "U0CACHED01"
    server.standin.add_user(member)
    for n in range(3):
        key = f"cached{n}"
        server.command("help", user=member, response_url=server.standin.response_url(key))
        assert "/ncpi" in server.standin.wait_for_response(key).args["text"]
    looked_up = [c.args["user"] for c in server.standin.calls_to("users.info")]
    assert looked_up == [member]


def test_when_slack_does_not_answer_the_look_up_the_user_is_asked_to_try_again(
    server: Server,
) -> None:
    member = "U0FLAKY001"
    server.standin.add_user(member)
    server.standin.fail_next("users.info", "service_unavailable", status=503)
    before = server.counts()
    refused = server.command("update R9.2 at risk", user=member)
    assert refused.json() == {"response_type": "ephemeral", "text": TRY_AGAIN}
    assert server.counts() == before
    # the failure is not remembered: the next command looks the user up again and works
    server.command("help", user=member, response_url=server.standin.response_url("again"))
    assert "/ncpi" in server.standin.wait_for_response("again").args["text"]
    assert [c.status for c in server.standin.calls_to("users.info")] == [503, 200]


# -- buttons, forms, thread replies, App Home -------------------------------------------------


def test_a_slack_connect_strangers_button_click_writes_nothing(server: Server) -> None:
    stranger = "U0PARTNER1"
    server.standin.add_user(stranger, team_id=PARTNER_TEAM, is_stranger=True)
    give_action_to(server, "R6.1", stranger)
    shared = "C0SHARED01"
    message = server.standin.add_message(shared, "R6.1 is due", user=server.standin.bot_user_id)
    rows = history_rows(server, "R6.1")
    before = server.counts()
    payload = block_action(
        ActionId.AT_RISK,
        "R6.1",
        user=stranger,
        channel=shared,
        message_ts=message["ts"],
        message=message,
        response_url=server.standin.response_url("stranger"),
    )
    assert server.interact(payload).status == 200
    refusal = server.standin.wait_for_response("stranger").args
    assert refusal["text"] == NOT_A_MEMBER and refusal["response_type"] == "ephemeral"
    assert not refusal.get("replace_original")  # the message stays as it was
    assert status_of(server, "R6.1") == "on_track"
    assert history_rows(server, "R6.1") == rows
    assert server.counts() == before
    assert server.standin.messages(shared) == [message]
    assert set(asked_slack(server)) == {"users.info", "response_url"}


def test_a_guests_form_submission_records_nothing(server: Server) -> None:
    guest = "U0GUESTFRM"
    server.standin.add_user(guest, is_restricted=True)
    give_action_to(server, "R5.1", guest)
    before = server.counts()
    values = {
        forms.STATUS: {"value": {"type": "static_select", "selected_option": {"value": "blocked"}}},
        forms.NOTE: {"value": {"type": "plain_text_input", "value": "waiting on the council"}},
    }
    submission = view_submission(
        CallbackId.UPDATE, values, user=guest, private_metadata='{"ref":"R5.1"}'
    )
    answer = server.interact(submission)
    assert answer.status == 200
    shown = answer.json()
    assert shown["response_action"] == "update"  # the form is replaced by the refusal
    assert NOT_A_MEMBER in json.dumps(shown["view"]) and not shows_tracker(json.dumps(shown))
    assert status_of(server, "R5.1") == "on_track"
    assert server.counts() == before


def test_a_guests_reply_in_a_bot_dm_thread_records_nothing(server: Server) -> None:
    guest = "U0GUESTDM1"
    server.standin.add_user(guest, is_ultra_restricted=True)
    give_action_to(server, "R5.2", guest)
    dm = server.standin.dm_channel(guest)
    posted = server.standin.add_message(dm, "R5.2 is due soon", user=server.standin.bot_user_id)
    with server.db.write() as session:
        action = service.get_action(session, ref="R5.2")
        session.add(
            BotMessage(
                channel=dm,
                ts=posted["ts"],
                recipient=guest,
                kind="reminder",
                action_ids=str(action.id),
                at=NOW,
            )
        )
    before = server.counts()
    reply = server.standin.add_message(dm, "done it", user=guest, thread_ts=posted["ts"])
    event = {
        "type": "message",
        "channel": dm,
        "channel_type": "im",
        "user": guest,
        "text": "done it",
        "ts": reply["ts"],
        "thread_ts": posted["ts"],
        "event_ts": reply["ts"],
    }
    assert server.event(event, event_id="Ev0GUESTDM1").status == 200
    refusal = server.standin.wait_for("chat.postEphemeral").args
    assert (refusal["user"], refusal["text"], refusal["thread_ts"]) == (
        guest,
        NOT_A_MEMBER,
        posted["ts"],
    )
    assert server.counts() == before  # no note, no receipt
    assert server.standin.reactions == []


def test_a_guest_opening_app_home_sees_only_the_refusal(server: Server) -> None:
    guest = "U0GUESTHOM"
    server.standin.add_user(guest, is_restricted=True)
    event = {"type": "app_home_opened", "user": guest, "channel": "D0HOME", "tab": "home"}
    assert server.event(event, event_id="Ev0GUESTHOME").status == 200
    published = server.standin.wait_for("views.publish").args
    assert published["user_id"] == guest and published["view"]["type"] == "home"
    shown = json.dumps(published["view"])
    assert NOT_A_MEMBER in shown and not shows_tracker(shown)


# -- NCPI_READERS_USERGROUP, and the cache's lifetime (in-process, signed) ----------------------


def test_readers_can_be_narrowed_to_a_user_group(
    sample: Database, clock: Clock, slack_standin: SlackStandIn
) -> None:
    slack_standin.add_usergroup("S0READERS", [LEAD])
    slack_standin.add_user("U0NOTREADR")
    app = make_app(slack_standin, sample, clock, NCPI_READERS_USERGROUP="S0READERS")

    refused = run(app, clock, "summary", user="U0NOTREADR", standin=slack_standin, key="no")
    assert json.loads(refused.body) == {"response_type": "ephemeral", "text": NOT_A_READER}
    assert slack_standin.calls_to("response_url") == []

    run(app, clock, "summary", user=LEAD, standin=slack_standin, key="yes")
    assert shows_tracker(json.dumps(slack_standin.wait_for_response("yes").args))


def test_a_guest_in_the_readers_group_is_still_refused(
    sample: Database, clock: Clock, slack_standin: SlackStandIn
) -> None:
    slack_standin.add_usergroup("S0READERS", ["U0GUESTGRP"])
    slack_standin.add_user("U0GUESTGRP", is_restricted=True)
    app = make_app(slack_standin, sample, clock, NCPI_READERS_USERGROUP="S0READERS")
    refused = run(app, clock, "summary", user="U0GUESTGRP", standin=slack_standin, key="g")
    assert json.loads(refused.body)["text"] == NOT_A_MEMBER


def test_a_member_made_a_guest_is_refused_once_the_cache_expires(
    sample: Database, clock: Clock, slack_standin: SlackStandIn
) -> None:
    slack_standin.add_user("U0DEMOTED1")
    app = make_app(slack_standin, sample, clock)
    assert run(app, clock, "help", user="U0DEMOTED1", standin=slack_standin, key="1").body == ""
    slack_standin.add_user("U0DEMOTED1", is_restricted=True)  # an admin makes them a guest
    clock.fixed = NOW + timedelta(minutes=4)
    assert run(app, clock, "help", user="U0DEMOTED1", standin=slack_standin, key="2").body == ""
    clock.fixed = NOW + timedelta(minutes=5, seconds=1)
    refused = run(app, clock, "help", user="U0DEMOTED1", standin=slack_standin, key="3")
    assert json.loads(refused.body)["text"] == NOT_A_MEMBER
    assert len(slack_standin.calls_to("users.info")) == 2


def test_an_unknown_readers_group_stops_start_up_with_one_line(
    sample: Database, clock: Clock, slack_standin: SlackStandIn
) -> None:
    from bot import security

    app = make_app(slack_standin, sample, clock, NCPI_READERS_USERGROUP="S0NOSUCH1")
    with pytest.raises(ConfigError) as e:
        security.learn(app)
    assert "NCPI_READERS_USERGROUP" in e.value.message and "no_such_subteam" in e.value.message
    assert "\n" not in e.value.message


def test_a_readers_group_that_is_not_a_group_id_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        load_settings({"NCPI_READERS_USERGROUP": "#ncpi-readers"})
    assert "NCPI_READERS_USERGROUP" in e.value.message


def test_requests_from_bolts_own_handshakes_need_no_look_up(
    sample: Database, clock: Clock, slack_standin: SlackStandIn
) -> None:
    app = make_app(slack_standin, sample, clock)
    body = json.dumps({"token": "x", "challenge": "c-1", "type": "url_verification"})
    headers = signed_headers(SIGNING_SECRET, int(clock.now().timestamp()), body, JSON)
    answer = app.dispatch(
        BoltRequest(body=body, headers={k.lower(): [v] for k, v in headers.items()})
    )
    assert answer.status == 200 and "c-1" in answer.body
    assert slack_standin.calls == []


# -- the rule and its cache, on MembersOnly itself -----------------------------------------------


def members_only(standin: SlackStandIn, clock: Clock, **kw: object) -> MembersOnly:
    return MembersOnly(
        lookup=WebClient(token=standin.token, base_url=standin.api_url), clock=clock, **kw
    )


def test_the_cache_is_bounded_and_keeps_the_recently_used(
    clock: Clock, slack_standin: SlackStandIn
) -> None:
    members = members_only(slack_standin, clock, max_users=2)
    for user in ("U0ONE", "U0TWO", "U0ONE", "U0THREE", "U0ONE", "U0TWO"):
        assert members.refusal(user, team_id=TEAM_ID) is None
    looked_up = [c.args["user"] for c in slack_standin.calls_to("users.info")]
    # U0TWO was the least recently used when U0THREE came, so it had to be asked again
    assert looked_up == ["U0ONE", "U0TWO", "U0THREE", "U0TWO"]


def test_someone_slack_does_not_know_is_refused(clock: Clock, slack_standin: SlackStandIn) -> None:
    slack_standin.strict_users = True
    assert members_only(slack_standin, clock).refusal("U0NOBODY", team_id=TEAM_ID) == NOT_A_MEMBER


def test_an_enterprise_grid_member_of_this_workspace_is_a_member(
    clock: Clock, slack_standin: SlackStandIn
) -> None:
    user = slack_standin.add_user("U0GRID01", team_id="T0HOMEWS")
    user["enterprise_user"] = {"enterprise_id": "E0FORCE", "teams": ["T0HOMEWS", TEAM_ID]}
    slack_standin.add_user("U0GRID02", team_id="T0HOMEWS")["enterprise_user"] = {
        "enterprise_id": "E0FORCE",
        "teams": ["T0HOMEWS"],
    }
    members = members_only(slack_standin, clock)
    assert members.refusal("U0GRID01", team_id=TEAM_ID) is None
    assert members.refusal("U0GRID02", team_id=TEAM_ID) == NOT_A_MEMBER
