"""End to end: a form opened from a row shows its result on that row once submitted, as a
click does. `/ncpi mine` answers with an ephemeral message (Slack keeps no copy the bot can
read or edit): the only way to change it is its response_url, with replace_original.
Through the real `ncpi-bot serve`, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from bot.ids import ActionId, CallbackId
from bot.shell import requests
from conversation import forms
from tests.e2e_server import Server
from tests.slack_standin import APP_ID, TEAM_ID, SlackStandIn

pytestmark = pytest.mark.e2e

OWNER = "U0DIMISS01"  # owns R2.2 in the sample
CHANNEL = "C0NCPI01"


def _update_button(message: dict[str, Any], ref: str) -> tuple[dict[str, Any], str]:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == ActionId.UPDATE and str(
                element.get("value", "")
            ).endswith(ref):
                return element, block["block_id"]
    raise AssertionError(f"no Update… button for {ref}: {json.dumps(message)[:1500]}")


def _shown(body: dict[str, Any]) -> str:
    return json.dumps(body.get("blocks") or [], ensure_ascii=False)


def test_submitting_the_update_form_opened_from_mine_refreshes_that_ephemeral_row(
    e2e_server: Server, slack_standin: SlackStandIn
) -> None:
    server, standin = e2e_server, slack_standin
    assert (
        server.command(
            "mine", user=OWNER, channel=CHANNEL, response_url=standin.response_url("mine")
        ).status
        == 200
    )
    mine = standin.wait_for_response("mine").args
    assert mine.get("response_type", "ephemeral") == "ephemeral"
    element, block_id = _update_button(mine, "R2.2")

    # Update… on the ephemeral row: Slack sends no copy of the message, only where it is
    pressed = requests.button(
        ActionId.UPDATE, element["value"], block_id=block_id, text=element["text"]["text"]
    )
    payload = requests.block_action(
        pressed,
        user=OWNER,
        team_id=TEAM_ID,
        app_id=APP_ID,
        trigger_id="4000.5000.trigger",
        channel=CHANNEL,
        message={"type": "message", "ts": "1764064899.000200"},
        is_ephemeral=True,
        response_url=standin.response_url("row"),
    )
    assert server.interact(payload).status == 200
    opened = standin.wait_for("views.open").response["view"]
    assert opened["callback_id"] == CallbackId.UPDATE

    values = {
        forms.STATUS: {
            "value": {"type": "static_select", "selected_option": {"value": "on_track"}}
        },
        forms.NOTE: {"value": {"type": "plain_text_input", "value": "Fields agreed with Athena"}},
    }
    submitted = server.interact(
        requests.view_submission(opened, values, user=OWNER, team_id=TEAM_ID, app_id=APP_ID)
    )
    assert submitted.status == 200, submitted

    # the message the form came from is replaced, as a click replaces it: what was recorded
    # on top, and R2.2's row as it now stands (on track, no longer at risk)
    refreshed = standin.wait_for_response("row").args
    assert refreshed.get("replace_original") in (True, "true"), refreshed
    shown = _shown(refreshed)
    assert re.search(r"✔︎ R2\.2 — on track, note added, recorded \d\d:\d\d by you", shown), shown
    (row,) = [
        b["text"]["text"]
        for b in refreshed.get("blocks") or []
        if b.get("type") == "section" and "*R2.2*" in b["text"]["text"]
    ]
    assert "on track" in row and "at risk" not in row, row
    assert standin.rejected() == [], [(c.method, c.response) for c in standin.rejected()]
