"""End to end: the real `ncpi-bot serve` subprocess, signed requests over HTTP, the Slack
stand-in and the database — on SQLite and on PostgreSQL (one server start per database)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from bot.ids import ActionId, CallbackId
from conversation import forms
from models import service
from models.tables import BotMessage
from tests.conftest import NOW
from tests.e2e_server import Server, history, owner_of
from tests.slack_requests import (
    FORM,
    JSON,
    SECRET,
    block_action,
    command_body,
    event_body,
    post,
    signature,
    view_submission,
)
from tests.slack_standin import SlackStandIn

pytestmark = pytest.mark.e2e

# A note that must never appear in the server's logs, whatever happens to its request.
NOTE = "note-marker-7f3a9 about the missing-children audit"


@pytest.fixture
def server(e2e_server: Server, slack_standin: SlackStandIn) -> Server:
    """The module's server, with the stand-in emptied for this test."""
    return e2e_server


def test_healthz_answers_when_the_database_does(server: Server) -> None:
    answer = server.health()
    assert (answer.status, answer.body) == (200, "ok\n")


def test_unknown_paths_and_methods(server: Server) -> None:
    assert post(f"{server.base}/healthz", "", {}).status == 405
    assert post(f"{server.base}/other", "", {}).status == 404


def test_slack_url_verification_handshake(server: Server) -> None:
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"})
    answer = server.post_signed(body, JSON)
    assert answer.status == 200 and "c-123" in answer.body


def test_signed_command_from_this_workspace_is_let_in(server: Server) -> None:
    answer = server.command("help")
    assert answer.status == 200, answer
    # wait for the reply sent after the ack, so it cannot land in the next test
    assert "/ncpi" in server.standin.wait_for_response("cmd").args["text"]


# -- refused: nothing reaches Slack, nothing changes ---------------------------------------


def _update_body(server: Server, **kw: str) -> str:
    return command_body(
        f"update R2.1 at risk {NOTE}", response_url=server.standin.response_url("cmd"), **kw
    )


REFUSALS = {
    "forged": lambda s, b: s.post_signed(b, FORM, secret="not-the-signing-secret"),
    "missing": lambda s, b: post(s.events_url, b, {"Content-Type": FORM}),
    "no-signature": lambda s, b: post(
        s.events_url, b, {"Content-Type": FORM, "X-Slack-Request-Timestamp": str(s.now)}
    ),
    "non-numeric-timestamp": lambda s, b: s.post_signed(b, FORM, timestamp="1764064800abc"),
    "five-minutes-stale": lambda s, b: s.post_signed(b, FORM, timestamp=s.now - 301),
    "five-minutes-ahead": lambda s, b: s.post_signed(b, FORM, timestamp=s.now + 301),
    "body-tampered": lambda s, b: post(
        s.events_url,
        b.replace("at+risk", "on+track"),
        {
            "Content-Type": FORM,
            "X-Slack-Request-Timestamp": str(s.now),
            "X-Slack-Signature": signature(SECRET, s.now, b),
        },
    ),
}


@pytest.mark.parametrize("how", list(REFUSALS))
def test_badly_signed_requests_get_401_and_change_nothing(server: Server, how: str) -> None:
    before = server.counts()
    answer = REFUSALS[how](server, _update_body(server))
    assert answer.status == 401
    assert server.counts() == before
    assert server.standin.calls == []


def test_signed_requests_from_another_workspace_or_app_change_nothing(server: Server) -> None:
    before = server.counts()
    other_team = server.post_signed(_update_body(server, team_id="T0ELSEWHERE"), FORM)
    other_app = server.post_signed(_update_body(server, app_id="A0ELSEWHERE"), FORM)
    other_event = server.post_signed(
        event_body(
            {"type": "app_home_opened", "user": "U0LEAD01", "tab": "home"}, team_id="T0ELSEWHERE"
        ),
        JSON,
    )
    assert [other_team.status, other_app.status, other_event.status] == [403, 403, 403]
    assert server.counts() == before
    assert server.standin.calls == []


def test_an_unsigned_ssl_check_smuggling_a_command_changes_nothing(server: Server) -> None:
    """Slack's ssl_check pings are answered without a signature (Bolt >= 1.29 answers them
    before any listener): a command riding along must not run."""
    before = server.counts()
    body = "ssl_check=1&" + _update_body(server)
    answer = post(server.events_url, body, {"Content-Type": FORM})
    assert answer.status == 200 and answer.body == ""
    assert server.counts() == before
    assert server.standin.calls == []


def test_signed_interactivity_from_another_workspace_changes_nothing(server: Server) -> None:
    before = server.counts()
    payload = block_action(ActionId.VERIFY, "R2.1", team_id="T0ELSEWHERE")
    assert server.interact(payload).status == 403
    payload = block_action(ActionId.VERIFY, "R2.1", app_id="A0ELSEWHERE")
    assert server.interact(payload).status == 403
    assert server.counts() == before
    assert server.standin.calls == []


def test_failed_signatures_leave_no_body_or_token_in_the_logs(server: Server) -> None:
    body = _update_body(server)
    assert server.post_signed(body, FORM, secret="forged").status == 401
    assert server.post_signed(body, FORM, timestamp="not-a-number").status == 401
    logs = server.logs()
    assert "refused a request with a missing, malformed, stale or wrong signature" in logs
    for secret in ("note-marker-7f3a9", server.standin.token, SECRET, "xoxb-", "v0="):
        assert secret not in logs


def test_malformed_bodies_are_400_or_413_not_500(server: Server) -> None:
    assert server.post_signed("payload=%7Bnot-json", FORM).status == 400
    headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": str(server.now)}
    request = urllib.request.Request(
        server.events_url, data=b"text=\xff\xfe", headers=headers, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(request, timeout=10)
    assert e.value.code == 400
    assert server.post_signed("text=" + "x" * 1_100_000, FORM).status == 413
    assert server.standin.calls == []


# -- the listeners, through the real server -------------------------------------------------

LEAD = "U0SAFELEAD"  # the sample's lead


def status_of(server: Server, ref: str) -> str:
    with server.db.read() as session:
        return service.get_action(session, ref=ref).status


def assert_slack_accepted_everything(standin: SlackStandIn) -> None:
    assert standin.rejected() == [], [(c.method, c.response) for c in standin.rejected()]
    assert standin.warnings() == []


def test_summary_command(server: Server) -> None:
    before = server.counts()
    answer = server.command("summary", user=LEAD)
    assert answer.status == 200 and answer.body == ""  # acked at once, reply after
    reply = server.standin.wait_for_response("cmd").args
    assert reply["response_type"] == "ephemeral"
    shown = json.dumps(reply)
    assert "R2" in shown and "R9" in shown and "outstanding" in shown
    assert server.counts() == before
    assert_slack_accepted_everything(server.standin)


def test_update_command_records_once_and_never_logs_the_note(server: Server) -> None:
    owner = owner_of(server, "R2.1")
    rows = len(history(server, "R2.1"))
    note = f"{NOTE} (command)"
    answer = server.command(f"update R2.1 on track {note}", user=owner)
    assert answer.status == 200
    reply = server.standin.wait_for_response("cmd").args
    assert reply["response_type"] == "ephemeral" and "R2.1" in reply["text"]
    assert status_of(server, "R2.1") == "on_track"
    new = history(server, "R2.1")[rows:]
    assert new and {u.source for u in new} == {"command"} and {u.actor for u in new} == {owner}
    assert any(u.note == note for u in new)
    assert "note-marker-7f3a9" not in server.logs()
    assert_slack_accepted_everything(server.standin)


def test_update_command_by_someone_else_changes_nothing(server: Server) -> None:
    before = server.counts()
    answer = server.command("update R2.1 blocked not mine", user="U0STRANGER")
    assert answer.status == 200
    reply = server.standin.wait_for_response("cmd").args
    assert reply["response_type"] == "ephemeral" and "R2.1" in reply["text"]
    assert server.counts() == before


def test_a_refusal_is_answered_with_200_every_time(server: Server) -> None:
    """A refused command acks at once and is answered with its refusal: Slack never sees a
    500 for it (an error raised after the ack once raced Bolt's thread runner, which could
    hand Slack its 500 placeholder, more often the busier the machine)."""
    before = server.counts()
    statuses = [
        server.command(f"update R2.1 blocked not mine {i}", user="U0STRANGER").status
        for i in range(60)
    ]
    assert statuses == [200] * 60
    assert server.counts() == before


def test_block_action_button_changes_the_status_in_place(server: Server) -> None:
    owner = owner_of(server, "R4.1")
    dm = server.standin.dm_channel(owner)
    dm_message = server.standin.add_message(dm, "R4.1 is due", user=server.standin.bot_user_id)
    rows = len(history(server, "R4.1"))
    payload = block_action(
        ActionId.AT_RISK,
        "R4.1",
        user=owner,
        channel=dm,
        message_ts=dm_message["ts"],
        message=dm_message,
        response_url=server.standin.response_url("click"),
    )
    assert server.interact(payload).status == 200
    server.standin.wait_for("chat.update")
    assert "at risk" in server.standin.messages(dm)[-1]["text"]  # changed in place
    assert status_of(server, "R4.1") == "at_risk"
    new = history(server, "R4.1")[rows:]
    assert [(u.field, u.after, u.source) for u in new] == [("status", "at_risk", "button")]
    assert_slack_accepted_everything(server.standin)


def test_update_button_opens_a_modal_whose_submission_records_the_update(server: Server) -> None:
    owner = owner_of(server, "R6.1")
    payload = block_action(
        ActionId.UPDATE,
        "R6.1",
        user=owner,
        channel=server.standin.dm_channel(owner),
        response_url=server.standin.response_url("open"),
    )
    assert server.interact(payload).status == 200
    opened = server.standin.wait_for("views.open").args["view"]
    assert opened["callback_id"] == CallbackId.UPDATE
    assert_slack_accepted_everything(server.standin)

    rows = len(history(server, "R6.1"))
    note = f"{NOTE} (modal)"
    values = {
        forms.STATUS: {"value": {"type": "static_select", "selected_option": {"value": "blocked"}}},
        forms.NOTE: {"value": {"type": "plain_text_input", "value": note}},
    }
    submission = view_submission(
        opened["callback_id"],
        values,
        user=owner,
        private_metadata=opened.get("private_metadata") or "",
    )
    answer = server.interact(submission)
    assert answer.status == 200
    assert answer.json()["response_action"] == "update"  # the modal shows the result
    assert status_of(server, "R6.1") == "blocked"
    new = history(server, "R6.1")[rows:]
    assert {u.source for u in new} == {"modal"} and any(u.note == note for u in new)
    assert "note-marker-7f3a9" not in server.logs()


def test_thread_reply_in_a_bot_dm_becomes_a_note_once(server: Server) -> None:
    owner = owner_of(server, "R9.1")
    dm = server.standin.dm_channel(owner)
    posted = server.standin.add_message(dm, "R9.1 is due soon", user=server.standin.bot_user_id)
    with server.db.write() as session:
        action = service.get_action(session, ref="R9.1")
        session.add(
            BotMessage(
                channel=dm,
                ts=posted["ts"],
                recipient=owner,
                kind="reminder",
                action_ids=str(action.id),
                at=NOW,
            )
        )
    rows = len(history(server, "R9.1"))
    reply = server.standin.add_message(
        dm, "training booked for all CAID users", user=owner, thread_ts=posted["ts"]
    )
    event = {
        "type": "message",
        "channel": dm,
        "channel_type": "im",
        "user": owner,
        "text": "training booked for all CAID users",
        "ts": reply["ts"],
        "thread_ts": posted["ts"],
        "event_ts": reply["ts"],
    }
    assert server.event(event, event_id="Ev0THREAD1").status == 200
    reaction = server.standin.wait_for("reactions.add").args
    assert (reaction["channel"], reaction["timestamp"]) == (dm, reply["ts"])
    new = history(server, "R9.1")[rows:]
    assert [(u.note, u.source, u.actor) for u in new] == [
        ("training booked for all CAID users", "thread", owner)
    ]
    # Slack retries an event it thinks was not acknowledged: recorded once, all the same
    retry = server.post_signed(
        event_body(event, event_id="Ev0THREAD1"),
        JSON,
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert retry.status == 200
    assert len(history(server, "R9.1")) == rows + 1
    assert len(server.standin.calls_to("reactions.add")) == 1
    assert_slack_accepted_everything(server.standin)


def test_app_home_opened_publishes_the_home_view(server: Server) -> None:
    event = {"type": "app_home_opened", "user": LEAD, "channel": "D0HOME", "tab": "home"}
    assert server.event(event, event_id="Ev0HOME1").status == 200
    published = server.standin.wait_for("views.publish").args
    assert published["user_id"] == LEAD and published["view"]["type"] == "home"
    assert_slack_accepted_everything(server.standin)


def test_a_rate_limited_call_is_retried_after_retry_after_and_sent_once(server: Server) -> None:
    server.standin.rate_limit_next(1, retry_after=1, methods=("views.publish",))
    event = {"type": "app_home_opened", "user": LEAD, "channel": "D0HOME", "tab": "home"}
    assert server.event(event, event_id="Ev0HOME429").status == 200  # acked at once
    calls = [server.standin.wait_for("views.publish", count=n) for n in (1, 2)]
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 1.0
    assert len(server.standin.calls_to("views.publish")) == 2


def test_the_server_logs_never_held_a_token_a_secret_or_a_note(server: Server) -> None:
    """Last in this module: everything above went through this server."""
    logs = server.logs()
    assert "uvicorn.access" in logs  # the log is really being captured
    for secret in (server.standin.token, "xoxb-", SECRET, "note-marker-7f3a9", "CAID users"):
        assert secret not in logs
