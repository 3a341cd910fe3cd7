"""Hostile button values and form metadata against the real `ncpi-bot serve`, on both
databases. Slack signs the request, not what the client put in it: a value carries only
ids and what the user chose. Where a change came from is the bot's to record, never the
value's; a value too long, one that unpacks without end, or one the bot did not write is
refused politely, nothing is written, and its text reaches no log line."""

from __future__ import annotations

import base64
import itertools
import json
import zlib
from pathlib import Path

import pytest

from bot.ids import ActionId, CallbackId
from conversation import forms
from tests.e2e_server import Server, history, owner_of
from tests.slack_requests import block_action, view_submission
from tests.slack_standin import SlackStandIn

pytestmark = pytest.mark.e2e

MARK = "value-marker-3c9e1"  # in every forged value; must never reach the logs
HELD_NOTE = "rang the hub on 01473 613500 about the rota"  # the guardrail holds it
_VIEWS = itertools.count(1)


@pytest.fixture
def server(e2e_server: Server, slack_standin: SlackStandIn) -> Server:
    return e2e_server


def j(data: object) -> str:
    return "j:" + json.dumps(data, separators=(",", ":"))


def z(raw: bytes) -> str:
    return "z:" + base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode()


def held_value(server: Server, owner: str) -> str:
    """The value of the real "Keep as written" button the bot offers for a held note."""
    assert server.command(f"update R2.1 on track {HELD_NOTE}", user=owner).status == 200
    blocks = server.standin.wait_for_response("cmd").args["blocks"]
    buttons = [e for b in blocks for e in b.get("elements", []) if e.get("type") == "button"]
    [keep] = [b for b in buttons if b["action_id"] == ActionId.CONFIRM_NOTE]
    assert keep["value"].startswith("j:"), "a short note travels unpacked"
    return keep["value"]


def forge(value: str, **extra: object) -> str:
    return j({**json.loads(value[2:]), **extra})


def click(
    server: Server,
    owner: str,
    action_id: str,
    value: str,
    *,
    in_thread: bool = False,
    refused: bool = False,
) -> dict:
    """Press a button carrying `value` on a bot message in the owner's DM (in a thread under
    one, `in_thread`); the bot's answer: the prompt replaced, or the ephemeral refusal."""
    dm = server.standin.dm_channel(owner)
    bot = server.standin.bot_user_id
    thread_ts = server.standin.add_message(dm, "R2.1 is due", user=bot)["ts"] if in_thread else None
    message = server.standin.add_message(dm, "prompt", user=bot, thread_ts=thread_ts)
    payload = block_action(
        action_id,
        value,
        user=owner,
        channel=dm,
        message=message,
        response_url=server.standin.response_url("click"),
    )
    assert server.interact(payload).status == 200
    if refused:
        return server.standin.wait_for_response("click").args
    return server.standin.wait_for(
        "chat.update", where=lambda c: c.args["ts"] == message["ts"]
    ).args


def submit(server: Server, owner: str, callback_id: str, metadata: str, values=None) -> dict:
    payload = view_submission(callback_id, values or {}, user=owner, private_metadata=metadata)
    n = next(_VIEWS)
    payload["view"]["id"], payload["view"]["hash"] = f"V0HOSTILE{n:03d}", f"{n}.hostile"
    answer = server.interact(payload)
    assert answer.status == 200
    return answer.json() if answer.body else {}


def assert_refused_quietly(server: Server, shown: object, before: dict, logs_before: int) -> None:
    assert "nothing was saved" in json.dumps(shown).lower(), shown
    assert MARK not in json.dumps(shown)
    assert server.counts() == before
    new = server.logs()[logs_before:]
    assert MARK not in new and "Traceback" not in new, new
    assert server.standin.calls_to("reactions.add") == []


# -- the source is the bot's to record ------------------------------------------------------


@pytest.mark.parametrize("claimed", ["import", "cli"])
def test_a_confirmed_note_is_recorded_as_a_button_whatever_the_value_claims(
    server: Server, claimed: str
) -> None:
    owner = owner_of(server, "R2.1")
    value = forge(held_value(server, owner), src=claimed)
    rows = len(history(server, "R2.1"))
    click(server, owner, ActionId.CONFIRM_NOTE, value)
    new = history(server, "R2.1")[rows:]
    assert {(u.source, u.actor) for u in new} == {("button", owner)}
    assert HELD_NOTE in [u.note for u in new]


def test_a_note_confirmed_in_a_form_is_recorded_as_the_form_whatever_the_value_claims(
    server: Server,
) -> None:
    owner = owner_of(server, "R2.1")
    value = forge(held_value(server, owner), src="import")
    rows = len(history(server, "R2.1"))
    answer = submit(server, owner, CallbackId.CONFIRM_NOTE, json.dumps({"held": value}))
    assert answer.get("response_action") == "clear", answer
    new = history(server, "R2.1")[rows:]
    assert {(u.source, u.actor) for u in new} == {("modal", owner)}


def test_a_thread_note_picked_by_button_is_recorded_as_the_thread_whatever_the_value_claims(
    server: Server,
) -> None:
    owner = owner_of(server, "R2.1")
    note = "hub rota agreed for the overnight shift"
    value = j({"op": "update", "args": {"ref": "NCPI:R2.1", "note": note}, "src": "import"})
    rows = len(history(server, "R2.1"))
    click(server, owner, ActionId.PICK_ACTION, value, in_thread=True)
    new = history(server, "R2.1")[rows:]
    assert [(u.note, u.source, u.actor) for u in new] == [(note, "thread", owner)]


# -- values the bot did not write -----------------------------------------------------------

# A change as an older bot wrote it (with its source): applied as it stands, so each forgery
# below differs from an acceptable value only by what it forges.
CHANGE = {"op": "update", "args": {"ref": "R2.1", "note": "checked with the hub"}, "src": "button"}
FORGED = {
    "not JSON": "j:{" + MARK,
    "JSON, not an object": j([MARK]),
    "a string": j(MARK),
    "no such operation": j({"op": MARK, "args": {}, "src": "button"}),
    "an argument the operation does not take": j(
        {"op": "update", "args": {"ref": "R2.1", MARK: "x"}, "src": "button"}
    ),
    "a note that is not text": j({**CHANGE, "args": {"ref": "R2.1", "note": [MARK]}}),
    "no ref": j({**CHANGE, "args": {"note": MARK}}),
    "deeply nested": "j:" + "[" * 50_000 + json.dumps(MARK) + "]" * 50_000,
    "not base64": "z:!!!" + MARK,
    "not zlib": "z:" + base64.urlsafe_b64encode(b"plain " + MARK.encode()).decode(),
    "no kind": MARK,
    "longer than Slack carries": j({**CHANGE, "pad": MARK * 300}),
    # a bomb small enough for a button: 2 KB that unpacks to 2 MB
    "unpacks to megabytes": z(json.dumps({**CHANGE, "pad": "a" * 2_000_000, "m": MARK}).encode()),
    "a reaction in another conversation": j({**CHANGE, "react": ["C0OTHER01", "1764064800.9"]}),
    "a form origin that is not ids": j({**CHANGE, "origin": {"ch": MARK, "ts": "1.2"}}),
}


@pytest.mark.parametrize("how", list(FORGED))
def test_a_forged_button_value_is_refused_politely_and_writes_nothing(
    server: Server, how: str
) -> None:
    owner = owner_of(server, "R2.1")
    before, logs = server.counts(), len(server.logs())
    shown = click(server, owner, ActionId.CONFIRM_NOTE, FORGED[how], refused=True)
    assert_refused_quietly(server, shown, before, logs)


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_a_zip_bomb_is_refused_without_being_unpacked(server: Server) -> None:
    """78 KB that would unpack to 100 MB: refused by its size; the server's memory does not
    grow by what it claims."""
    owner = owner_of(server, "R2.1")
    bomb = z(json.dumps({**CHANGE, "pad": "a" * 100_000_000}).encode())
    assert len(bomb) < 200_000
    before, logs = server.counts(), len(server.logs())
    peak = vm_hwm_mb(server.proc.pid)
    shown = click(server, owner, ActionId.CONFIRM_NOTE, bomb, refused=True)
    assert_refused_quietly(server, shown, before, logs)
    assert vm_hwm_mb(server.proc.pid) - peak < 50


FORGED_METADATA = {
    "not JSON": "{" + MARK,
    "JSON, not an object": json.dumps([MARK]),
    "a ref that is not text": json.dumps({"ref": [MARK]}),
    "an origin that is not ids": json.dumps({"ref": "R2.1", "origin": {"ch": MARK}}),
    "longer than Slack carries": json.dumps({"ref": "R2.1", "pad": MARK * 300}),
    "a held change naming no operation": json.dumps(
        {"held": j({"op": MARK, "args": {}, "src": "button"})}
    ),
    "a held change that is not text": json.dumps({"held": {"op": MARK}}),
    "no held change": json.dumps({"origin": None}),
}
EVIDENCE = {forms.EVIDENCE: {"value": {"type": "plain_text_input", "value": "https://x/e"}}}


@pytest.mark.parametrize("how", list(FORGED_METADATA))
@pytest.mark.parametrize("form", [CallbackId.IMPLEMENTED, CallbackId.CONFIRM_NOTE])
def test_forged_form_metadata_is_refused_in_the_form_and_writes_nothing(
    server: Server, how: str, form: str
) -> None:
    owner = owner_of(server, "R2.1")
    before, logs = server.counts(), len(server.logs())
    answer = submit(server, owner, form, FORGED_METADATA[how], EVIDENCE)
    assert answer.get("response_action") == "update", answer
    assert_refused_quietly(server, answer["view"], before, logs)
