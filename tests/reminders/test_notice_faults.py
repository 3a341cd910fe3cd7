"""Notices (the DMs a change sends: a handover offer, "it is off your list", ...) go out
once, by the same claim-and-key route as reminders, when Slack's answer is lost, when
Slack is down, and when it refuses for good."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from slack_bolt import BoltRequest
from sqlmodel import select

from bot.app import Deps, create_app
from bot.views.reminders import reminder_message
from jobs.sweep import reminder_client, sweep
from models.planner import Kind
from models.settings import Settings
from models.tables import BotMessage, Reminder
from tests.slack_helpers import LEAD, OTHER, OWNER

FORM = {"content-type": ["application/x-www-form-urlencoded"]}


def _app(db, clock, slack):
    settings = Settings(slack_api_url=slack.api_url, slack_bot_token=slack.token)
    # the listener's work (reply, then notices) is done when dispatch returns
    app = create_app(Deps(settings, db, clock), verify_requests=False, process_before_response=True)
    return app, settings


def _command(app, slack, user: str, text: str, key: str = "1") -> None:
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


def _is_reminder(metadata: dict | None) -> bool:
    key = ((metadata or {}).get("event_payload") or {}).get("key", "")
    return key.split("|")[0] in {k.value for k in Kind}


def _notices(slack, user: str) -> list[dict]:
    """The bot's DMs to `user` that are not reminders (the sweeps also send those)."""
    return [
        m
        for m in slack.messages(slack.dm_channel(user))
        if m.get("bot_id") and not _is_reminder(m.get("metadata"))
    ]


def _notice_rows(db) -> dict[str, Reminder]:
    with db.read() as session:
        rows = session.exec(select(Reminder)).all()
    return {r.recipient: r for r in rows if r.kind not in {k.value for k in Kind}}


def _sweeps(db, settings, start, minutes) -> None:
    for m in minutes:
        sweep(
            db=db,
            client=reminder_client(settings),
            settings=settings,
            now=start + timedelta(minutes=m),
            render=reminder_message,
        )


def test_a_lost_answer_does_not_send_a_handover_offer_twice(sample, clock, slack_standin) -> None:
    app, settings = _app(sample, clock, slack_standin)
    # Slack stores the first DM but its answer never arrives
    slack_standin.lose_answer_next("chat.postMessage")
    _command(app, slack_standin, LEAD, "assign R9.1 <@U0DIMISS01>")
    # the next sweeps resolve whatever was left in doubt
    _sweeps(sample, settings, clock.now(), (1, 2, 5))
    offers = _notices(slack_standin, OWNER)
    told = _notices(slack_standin, OTHER)
    assert len(offers) == 1 and "Accept" in str(offers[0]["blocks"])
    assert len(told) == 1 and "off your list" in told[0]["text"]
    with sample.read() as session:
        kinds = sorted(m.kind for m in session.exec(select(BotMessage)).all())
    assert kinds.count("handover") == kinds.count("owner_changed") == 1  # a click finds R9.1
    rows = _notice_rows(sample)
    assert {u: r.state for u, r in rows.items()} == {OTHER: "sent", OWNER: "sent"}


def test_notices_slack_could_not_take_go_out_once_it_is_back(sample, clock, slack_standin) -> None:
    app, settings = _app(sample, clock, slack_standin)
    slack_standin.go_down(503, methods=("chat.postMessage", "conversations.open"))
    _command(app, slack_standin, LEAD, "assign R9.1 <@U0DIMISS01>")
    assert _notices(slack_standin, OWNER) == []
    assert {r.state for r in _notice_rows(sample).values()} == {"retry"}
    slack_standin.come_back()
    _sweeps(sample, settings, clock.now(), range(1, 10))
    assert len(_notices(slack_standin, OWNER)) == 1 and len(_notices(slack_standin, OTHER)) == 1


def test_a_notice_to_someone_slack_does_not_know_is_not_retried(
    sample, clock, slack_standin
) -> None:
    app, settings = _app(sample, clock, slack_standin)
    slack_standin.fail_next("chat.postMessage", "user_not_found")  # the new owner left
    _command(app, slack_standin, LEAD, "assign R9.1 <@U0DIMISS01>")
    _sweeps(sample, settings, clock.now(), range(1, 30, 3))
    rows = _notice_rows(sample)
    assert (rows[OWNER].state, rows[OWNER].attempts, rows[OWNER].error) == (
        "failed",
        1,
        "user_not_found",
    )
    assert rows[OTHER].state == "sent"
    posts = slack_standin.calls_to("chat.postMessage")
    assert len([c for c in posts if not _is_reminder(c.args.get("metadata"))]) == 2
