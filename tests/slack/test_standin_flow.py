"""The Slack app as deployed (ack first, work after) against the Slack Web API stand-in,
which answers like Slack and rejects blocks over Block Kit's limits."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from slack_bolt import BoltRequest

from bot.app import Deps, create_app
from models.settings import Settings
from tests.slack_helpers import LEAD, OWNER

FORM = {"content-type": ["application/x-www-form-urlencoded"]}


def _wait(slack, method: str, count: int) -> list:
    deadline = time.time() + 30
    while time.time() < deadline and len(slack.calls_to(method)) < count:
        time.sleep(0.02)
    return slack.calls_to(method)


def test_commands_clicks_and_dms_reach_slack_valid(sample, clock, slack_standin):
    slack = slack_standin
    deps = Deps(Settings(slack_api_url=slack.api_url, slack_bot_token=slack.token), sample, clock)
    app = create_app(deps, verify_requests=False)

    def command(user: str, text: str, key: str) -> None:
        body = urlencode(
            {
                "team_id": slack.team_id,
                "api_app_id": slack.app_id,
                "user_id": user,
                "command": "/ncpi",
                "text": text,
                "response_url": slack.response_url(key),
                "trigger_id": f"trig.{key}",
                "channel_id": "C0GENERAL",
            }
        )
        assert app.dispatch(BoltRequest(body=body, headers=FORM)).status == 200

    for n, text in enumerate(
        ["help", "summary", "summary R2", "show R2.1", "history R2.1", "panel"], 1
    ):
        command(LEAD, text, str(n))
    command(OWNER, "mine", "7")
    command(LEAD, "assign R9.1 <@U0DIMISS01>", "8")
    command(OWNER, "update R2.2", "9")  # a modal
    responses = _wait(slack, "response_url", 8)
    dms = _wait(slack, "chat.postMessage", 2)
    views = _wait(slack, "views.open", 1)
    assert len(responses) == 8 and len(dms) == 2 and len(views) == 1
    assert all(c.ok for c in dms + views), [c.response for c in dms + views]
    assert slack.rejected() == [] and slack.warnings() == []

    # the new owner clicks Accept on the handover DM: the row changes in place
    dm = next(c for c in dms if c.args["channel"] == OWNER)
    message = {"ts": dm.response["ts"], "text": dm.args["text"], "blocks": dm.args["blocks"]}
    accept = next(
        (b["block_id"], e)
        for b in dm.args["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["value"] == "NCPI:R9.1" and e["text"]["text"] == "Accept"
    )
    payload = {
        "type": "block_actions",
        "user": {"id": OWNER},
        "team": {"id": slack.team_id},
        "api_app_id": slack.app_id,
        "trigger_id": "trig.click",
        "response_url": slack.response_url("click"),
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": dm.response["channel"],
        },
        "channel": {"id": dm.response["channel"]},
        "message": message,
        "actions": [
            {
                "type": "button",
                "action_id": accept[1]["action_id"],
                "block_id": accept[0],
                "value": accept[1]["value"],
            }
        ],
    }
    app.dispatch(BoltRequest(body=urlencode({"payload": json.dumps(payload)}), headers=FORM))
    (update,) = _wait(slack, "chat.update", 1)
    assert update.ok and "accepted, recorded" in json.dumps(update.args["blocks"])
    assert slack.rejected() == []
