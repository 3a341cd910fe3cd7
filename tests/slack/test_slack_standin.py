"""The Slack stand-in answers as Slack does, so tests that lean on it mean something."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.app import create_client
from models.settings import load_settings
from tests.slack_standin import SlackStandIn


@pytest.fixture
def client(slack_standin: SlackStandIn) -> WebClient:
    """The bot's own client (retry handlers included), pointed at the stand-in."""
    return create_client(load_settings(slack_standin.env()))


def test_token_is_checked(slack_standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as e:
        WebClient(token="xoxb-wrong", base_url=slack_standin.api_url).auth_test()
    assert e.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as e:
        WebClient(base_url=slack_standin.api_url).auth_test()
    assert e.value.response["error"] == "not_authed"
    calls = slack_standin.calls_to("auth.test")
    assert [c.status for c in calls] == [200, 200]
    assert calls[0].headers["authorization"] == "Bearer xoxb-wrong"


def test_socket_mode_connections_open_takes_only_the_app_token(
    slack_standin: SlackStandIn,
) -> None:
    app = WebClient(token=slack_standin.app_token, base_url=slack_standin.api_url)
    bot = WebClient(token=slack_standin.token, base_url=slack_standin.api_url)
    with pytest.raises(SlackApiError) as e:
        app.apps_connections_open(app_token=slack_standin.app_token)
    assert e.value.response["error"] == "internal_error"  # no socket_url set
    slack_standin.socket_url = "ws://127.0.0.1:9/socket"
    answer = app.apps_connections_open(app_token=slack_standin.app_token)
    assert answer["url"] == "ws://127.0.0.1:9/socket"
    with pytest.raises(SlackApiError) as e:
        bot.apps_connections_open(app_token=slack_standin.token)
    assert e.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as e:
        app.auth_test()
    assert e.value.response["error"] == "not_allowed_token_type"


def test_post_update_history_keep_metadata(client: WebClient, slack_standin: SlackStandIn) -> None:
    dm = client.conversations_open(users="U0OWNER1")["channel"]["id"]
    assert dm == slack_standin.dm_channel("U0OWNER1") and dm.startswith("D")
    meta = {"event_type": "ncpi_reminder", "event_payload": {"key": "due:R2.1:2026-11-25"}}
    posted = client.chat_postMessage(channel=dm, text="R2.1 is due", metadata=meta)
    client.chat_update(channel=dm, ts=posted["ts"], text="R2.1 — on track")
    slack_standin.add_message(dm, "done the training", user="U0OWNER1", thread_ts=posted["ts"])

    plain = client.conversations_history(channel=dm)["messages"]
    assert [m["text"] for m in plain] == ["R2.1 — on track"] and "metadata" not in plain[0]
    with_meta = client.conversations_history(channel=dm, include_all_metadata=True)["messages"]
    assert with_meta[0]["metadata"] == meta
    thread = client.conversations_replies(channel=dm, ts=posted["ts"])["messages"]
    assert [m["text"] for m in thread] == ["R2.1 — on track", "done the training"]

    with pytest.raises(SlackApiError) as e:
        client.chat_update(channel=dm, ts="1.000", text="x")
    assert e.value.response["error"] == "message_not_found"


def test_unknown_channel_is_refused(client: WebClient, slack_standin: SlackStandIn) -> None:
    slack_standin.unknown_channels.add("C0GONE")
    for channel in ("C0GONE", "#general", ""):
        with pytest.raises(SlackApiError) as e:
            client.chat_postMessage(channel=channel, text="hello")
        assert e.value.response["error"] == "channel_not_found"
    slack_standin.fail_next("chat.postMessage", "not_in_channel")
    with pytest.raises(SlackApiError) as e:
        client.chat_postMessage(channel="C0OPEN", text="hello")
    assert e.value.response["error"] == "not_in_channel"
    assert client.chat_postMessage(channel="C0OPEN", text="hello")["ok"]


def test_blocks_over_slacks_limits_are_refused(
    client: WebClient, slack_standin: SlackStandIn
) -> None:
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
    cases = {
        "/blocks": [section] * 51,
        "/blocks/0/text/text": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
        ],
        "/blocks/1/text/text": [
            section,
            {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}},
        ],
    }
    for pointer, blocks in cases.items():
        with pytest.raises(SlackApiError) as e:
            client.chat_postMessage(channel="C0OPEN", text="fallback", blocks=blocks)
        assert e.value.response["error"] == "invalid_blocks"
        assert any(pointer + "]" in m for m in e.value.response["response_metadata"]["messages"])
    # at the limits is fine
    ok = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3000}}] * 50
    assert client.chat_postMessage(channel="C0OPEN", text="fallback", blocks=ok)["ok"]
    assert slack_standin.messages("C0OPEN")[-1]["blocks"] == ok


def test_views_over_100_blocks_are_refused(client: WebClient, slack_standin: SlackStandIn) -> None:
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
    with pytest.raises(SlackApiError) as e:
        client.views_publish(user_id="U0LEAD1", view={"type": "home", "blocks": [section] * 101})
    assert e.value.response["error"] == "invalid_arguments"
    assert "[json-pointer:/view/blocks]" in e.value.response["response_metadata"]["messages"][0]
    home = {"type": "home", "blocks": [section] * 100}
    assert client.views_publish(user_id="U0LEAD1", view=home)["ok"]
    assert slack_standin.home["U0LEAD1"]["blocks"] == home["blocks"]

    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Update"}, "blocks": []}
    with pytest.raises(SlackApiError) as e:
        client.views_open(trigger_id="", view=modal)
    assert e.value.response["error"] == "invalid_trigger_id"
    view = client.views_open(trigger_id="123.456.abc", view=modal)["view"]
    updated = client.views_update(view_id=view["id"], view={**modal, "blocks": [section]})
    assert updated["view"]["id"] == view["id"]
    long_title = {**modal, "title": {"type": "plain_text", "text": "t" * 25}}
    with pytest.raises(SlackApiError):
        client.views_open(trigger_id="123.456.abc", view=long_title)


def test_missing_text_fallback_is_a_warning(client: WebClient, slack_standin: SlackStandIn) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}]
    with pytest.warns(UserWarning):  # slack_sdk itself warns too
        assert client.chat_postMessage(channel="C0OPEN", blocks=blocks)["ok"]
    assert slack_standin.warnings() == [("chat.postMessage", "missing_text")]


def test_429_is_retried_after_retry_after(client: WebClient, slack_standin: SlackStandIn) -> None:
    slack_standin.rate_limit_next(1, retry_after=1, methods=("chat.postMessage",))
    started = time.monotonic()
    assert client.chat_postMessage(channel="C0OPEN", text="once")["ok"]
    assert time.monotonic() - started >= 1.0
    calls = slack_standin.calls_to("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[0].error == "ratelimited"
    assert len(slack_standin.messages("C0OPEN")) == 1  # sent once, not lost, not repeated


def test_channel_rate_one_per_second_with_burst(slack_standin: SlackStandIn) -> None:
    now = [1000.0]
    slack_standin.clock = lambda: now[0]
    try:
        slack_standin.enforce_channel_rate(per_second=1, burst=2)
        client = WebClient(token=slack_standin.token, base_url=slack_standin.api_url)
        client.chat_postMessage(channel="C0A", text="1")
        client.chat_postMessage(channel="C0A", text="2")
        with pytest.raises(SlackApiError) as e:
            client.chat_postMessage(channel="C0A", text="3")
        assert e.value.response.status_code == 429
        assert e.value.response.headers["Retry-After"] == "1"
        assert client.chat_postMessage(channel="C0B", text="other channel")["ok"]
        now[0] += 1.0
        assert client.chat_postMessage(channel="C0A", text="3 again")["ok"]
    finally:
        slack_standin.clock = time.monotonic


def test_users_and_reactions(client: WebClient, slack_standin: SlackStandIn) -> None:
    slack_standin.add_user("U0ANNA", name="anna", real_name="Anna Smith", email="anna@police.uk")
    assert client.users_info(user="U0ANNA")["user"]["real_name"] == "Anna Smith"
    assert client.users_lookupByEmail(email="ANNA@police.uk")["user"]["id"] == "U0ANNA"
    with pytest.raises(SlackApiError) as e:
        client.users_lookupByEmail(email="nobody@police.uk")
    assert e.value.response["error"] == "users_not_found"
    slack_standin.strict_users = True
    with pytest.raises(SlackApiError) as e:
        client.users_info(user="U0NOBODY")
    assert e.value.response["error"] == "user_not_found"
    assert client.reactions_add(channel="D0ANNA", timestamp="1.2", name="white_check_mark")["ok"]
    with pytest.raises(SlackApiError) as e:
        client.reactions_add(channel="D0ANNA", timestamp="1.2", name="white_check_mark")
    assert e.value.response["error"] == "already_reacted"


def test_files_upload_v2(client: WebClient, slack_standin: SlackStandIn) -> None:
    result = client.files_upload_v2(
        channel="D0LEAD1",
        content="# Panel paper\n",
        filename="paper.md",
        title="Draft paper",
        initial_comment="Draft for AP26/04",
    )
    file_id = result["file"]["id"]
    stored = slack_standin.files[file_id]
    assert stored["content"] == b"# Panel paper\n" and stored["title"] == "Draft paper"
    assert slack_standin.methods() == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    assert slack_standin.messages("D0LEAD1")[-1]["text"] == "Draft for AP26/04"


def test_response_url_records_replies(slack_standin: SlackStandIn) -> None:
    hook = WebhookClient(slack_standin.response_url("cmd1"))
    assert hook.send(text="done", response_type="ephemeral").status_code == 200
    too_many = [{"type": "divider"}] * 51
    assert hook.send(text="x", blocks=too_many).body == "invalid_blocks"
    assert slack_standin.responses["cmd1"] == [{"text": "done", "response_type": "ephemeral"}]
    assert slack_standin.wait_for_response("cmd1").args["text"] == "done"


def test_server_errors_are_retried(client: WebClient, slack_standin: SlackStandIn) -> None:
    slack_standin.fail_next("chat.postMessage", "internal_error", status=503)
    assert client.chat_postMessage(channel="C0OPEN", text="hi")["ok"]
    assert [c.status for c in slack_standin.calls_to("chat.postMessage")] == [503, 200]
