"""The shell's Slack and the tests' stand-in are one workspace: each refuses what Slack
refuses, in Slack's words, so what works in the shell works in Slack."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.shell import FakeSlack
from tests.slack_standin import SlackStandIn


@pytest.fixture(params=["shell", "standin"])
def slack(request: pytest.FixtureRequest) -> Iterator[FakeSlack | SlackStandIn]:
    workspace = FakeSlack() if request.param == "shell" else SlackStandIn().start()
    yield workspace
    workspace.stop()


def _error(client: WebClient, method: str, **args: object) -> str:
    with pytest.raises(SlackApiError) as e:
        client.api_call(method, json=args)
    return e.value.response["error"]


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_a_call_without_the_bots_token_is_refused(slack):
    assert _error(WebClient(base_url=slack.api_url), "auth.test") == "not_authed"
    assert _error(WebClient("xoxb-not-ours", base_url=slack.api_url), "auth.test") == (
        "invalid_auth"
    )
    assert WebClient(slack.token, base_url=slack.api_url).auth_test()["ok"]


def test_a_method_slack_does_not_have_is_unknown(slack):
    client = WebClient(slack.token, base_url=slack.api_url)
    assert _error(client, "chat.postMessages", channel="C0NCPI01", text="hi") == "unknown_method"


def test_a_message_over_block_kits_limits_is_refused(slack):
    client = WebClient(slack.token, base_url=slack.api_url)
    fifty_one = [_section(f"row {n}") for n in range(51)]
    assert _error(client, "chat.postMessage", channel="C0NCPI01", text="x", blocks=fifty_one) == (
        "invalid_blocks"
    )
    long_text = [_section("x" * 3001)]
    assert _error(client, "chat.postMessage", channel="C0NCPI01", text="x", blocks=long_text) == (
        "invalid_blocks"
    )
    button = {
        "type": "actions",
        "elements": [{"type": "button", "text": {"type": "plain_text", "text": "b" * 76}}],
    }
    assert _error(client, "chat.postMessage", channel="C0NCPI01", text="x", blocks=[button]) == (
        "invalid_blocks"
    )
    assert client.chat_postMessage(channel="C0NCPI01", text="x", blocks=fifty_one[:50])["ok"]
    assert slack.calls[-1].method == "chat.postMessage"


def test_a_modal_over_slacks_limits_is_refused(slack):
    client = WebClient(slack.token, base_url=slack.api_url)

    def modal(**over: object) -> dict:
        view = {
            "type": "modal",
            "title": {"type": "plain_text", "text": "Update R2.1"},
            "blocks": [_section("hello")],
        }
        return {**view, **over}

    long_title = modal(title={"type": "plain_text", "text": "t" * 25})
    assert _error(client, "views.open", trigger_id="t.1", view=long_title) == "invalid_arguments"
    hundred_one = modal(blocks=[_section(str(n)) for n in range(101)])
    assert _error(client, "views.open", trigger_id="t.1", view=hundred_one) == "invalid_arguments"
    metadata = modal(private_metadata="m" * 3001)
    assert _error(client, "views.open", trigger_id="t.1", view=metadata) == "invalid_arguments"
    assert client.views_open(trigger_id="t.1", view=modal())["ok"]


def test_users_info_describes_a_full_member_as_slack_does(slack):
    user = WebClient(slack.token, base_url=slack.api_url).users_info(user="U0DIMISS01")["user"]
    assert user["id"] == "U0DIMISS01" and user["team_id"] == slack.team_id
    assert (user["deleted"], user["is_bot"]) == (False, False)
    assert (user["is_restricted"], user["is_ultra_restricted"]) == (False, False)
    assert user["profile"]["real_name"] and user["profile"]["display_name"]
