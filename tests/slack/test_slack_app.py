"""Buttons, modals, thread replies, App Home, notices, double submits and event retries,
through the real Bolt app (the shell adapter builds the requests Slack would send)."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from slack_bolt import BoltRequest
from sqlmodel import select

from bot.app import Deps, create_app
from bot.messages import post_action_dm
from bot.shell import FakeSlack
from models import service
from models.settings import Settings
from models.tables import BotMessage, Update
from tests.factories import bolt_signed_headers
from tests.slack_helpers import LEAD, OTHER, OWNER, counts, make_shell


def _posted(fake: FakeSlack, method: str = "chat.postMessage") -> list[dict]:
    return [args for m, args in fake.calls if m == method]


def _notes(db, ref: str) -> list[Update]:
    with db.read() as session:
        return [
            u for u in service.history(session, ref=ref) if u.note and u.field in ("note", "status")
        ]


def test_note_with_mentions_reaches_slack_escaped(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        shell.run("update R2.2 at risk <!channel> ask <@U1> & co")
        shell.run("history R2.2")
        shell.run("show R2.2")
        raw = json.dumps([a for m, a in fake.calls if m == "response_url"])
        assert "<!channel>" not in raw and "<@U1>" not in raw
        assert "&lt;!channel&gt;" in raw and "ask @U1 &amp; co" in raw  # named, not pinged
    finally:
        fake.stop()


def test_double_submit_returns_the_first_result(sample, clock):
    shell, fake = make_shell(sample, clock)
    try:
        line = "add R2 Train CCR staff owner:<@U0DIMISS01> due:31/03/2027"
        first = shell.run(line)
        after_first = counts(sample)
        second = shell.run(line)
        assert first.startswith(second) and "Added R2.3" in second  # same answer, no second DM
        assert counts(sample) == after_first
        shell.user = OWNER
        one = shell.run("update R2.2 at risk waiting on IT")
        two = shell.run("/ncpi  update r2.2 at risk  waiting on IT")
        assert one == two
        assert len(_notes(sample, "R2.2")) == 1
        # one handover DM, not two
        assert [a["channel"] for a in _posted(fake)] == ["U0DIMISS01"]
    finally:
        fake.stop()


def test_buttons_change_the_row_in_place_and_handover_notices(sample, clock):
    shell, fake = make_shell(sample, clock)
    try:
        shell.run("assign R9.1 <@U0DIMISS01>")
        dms = _posted(fake)
        assert {a["channel"] for a in dms} == {OWNER, OTHER}  # new owner asked, old owner told
        with sample.read() as session:
            kinds = sorted(m.kind for m in session.exec(select(BotMessage)).all())
        assert kinds == ["handover", "owner_changed"]
        shell.user = OWNER
        out = shell.run("click Accept R9.1")
        assert "R9.1 — accepted, recorded 10:00 by you" in out
        update = _posted(fake, "chat.update")[-1]
        blocks = (
            json.loads(update["blocks"]) if isinstance(update["blocks"], str) else update["blocks"]
        )
        assert not [b for b in blocks if b["type"] == "actions"]  # nobody clicks twice
        out = shell.run("click Accept R9.1")
        assert "no button" in out
    finally:
        fake.stop()


def test_decline_goes_back_to_the_lead(sample, clock):
    shell, fake = make_shell(sample, clock)
    try:
        shell.run("assign R9.1 <@U0DIMISS01>")
        shell.user = OWNER
        assert "Modal «Decline an action»" in shell.run("click Decline R9.1")
        out = shell.run('submit reason="this sits with the MASH"')
        assert "declined" in out
        to_lead = [a for a in _posted(fake) if a["channel"] == LEAD]
        assert to_lead and "this sits with the MASH" in to_lead[-1]["text"]
        with sample.read() as session:
            assert service.get_action(session, ref="R9.1").owner == OTHER
    finally:
        fake.stop()


def test_due_verify_return_tell_the_owner(sample, clock):
    shell, fake = make_shell(sample, clock)
    try:
        shell.run("due R2.2 31/03/2027")
        shell.user = OWNER
        shell.run("done R2.2 https://intranet.example/athena-fields")
        shell.user = LEAD
        shell.run("return R2.2 does not cover nights")
        shell.user = OWNER
        shell.run("done R2.2 nights covered too")
        shell.user = LEAD
        shell.run("verify R2.2")
        told = [a["text"] for a in _posted(fake) if a["channel"] == OWNER]
        assert len(told) == 3
        assert (
            "due date of *R2.2*" in told[0]
            and "returned *R2.2*" in told[1]
            and "verified *R2.2*" in told[2]
        )
    finally:
        fake.stop()


def test_update_modal_and_guardrail_push(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        assert "Modal «Update an action»" in shell.run("update R2.2")
        before = counts(sample)
        out = shell.run('submit status="at risk" note="ring 07700 900123 about it"')
        assert "Modal «Check this note»" in out and "phone number" in out
        assert counts(sample) == before  # held, not stored
        out = shell.run("submit")
        assert "R2.2 — at risk" in out  # confirmed: stored, and the author told
        assert [u.note for u in _notes(sample, "R2.2")] == ["ring 07700 900123 about it"]
        assert "Modal «Mark implemented»" in shell.run("done R2.2")
        out = shell.run("submit")
        assert "form error on evidence" in out
        out = shell.run('submit evidence="https://intranet.example/x"')
        assert "implemented" in out
    finally:
        fake.stop()


def test_guardrail_on_a_command_holds_the_note_until_confirmed(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        before = counts(sample)
        out = shell.run("update R2.2 at risk child DOB 01/02/2015 at SW1A 1AA")
        assert "Keep as written" in out and "Nothing has been saved yet" in out
        assert counts(sample) == before
        out = shell.run("click Rewrite")
        assert "Not saved" in out and counts(sample) == before
        shell.run("update R2.2 at risk child DOB 01/02/2015 at SW1A 1AA")
        out = shell.run("click Keep as written")
        assert "R2.2 — at risk, note added" in out
        assert len(_notes(sample, "R2.2")) == 1
    finally:
        fake.stop()


def _event(deps_app, body: dict, retry: int | None = None):
    headers = {"content-type": ["application/json"]}
    if retry:
        headers["x-slack-retry-num"] = [str(retry)]
        headers["x-slack-retry-reason"] = ["http_timeout"]
    return deps_app.dispatch(BoltRequest(body=json.dumps(body), headers=headers))


def test_thread_reply_becomes_a_note_once_even_when_retried(sample, clock):
    shell, fake = make_shell(sample, clock)
    try:
        shell.run("assign R9.1 <@U0DIMISS01>")
        dm = next(a for a in _posted(fake) if a["channel"] == OWNER)
        with sample.read() as session:
            msg = session.exec(select(BotMessage).where(BotMessage.recipient == OWNER)).one()
        body = {
            "type": "event_callback",
            "team_id": "T0SHELL",
            "api_app_id": "A0SHELL",
            "event_id": "Ev0RETRY1",
            "event": {
                "type": "message",
                "channel": msg.channel,
                "channel_type": "im",
                "user": OWNER,
                "text": "Meeting the CAID lead on Friday",
                "ts": "1800000000.000001",
                "thread_ts": msg.ts,
            },
        }
        assert dm and _event(shell.app, body).status == 200
        assert _event(shell.app, body, retry=1).status == 200
        assert _event(shell.app, body, retry=2).status == 200
        notes = [u.note for u in _notes(sample, "R9.1")]
        assert notes == ["Meeting the CAID lead on Friday"]
        assert len(_posted(fake, "reactions.add")) == 1
    finally:
        fake.stop()


def test_thread_reply_under_a_dm_about_several_actions_asks_which(sample, clock):
    shell, fake = make_shell(sample, clock, user=OTHER)
    try:
        with sample.read() as session:
            ids = [service.get_action(session, ref=r).id for r in ("R9.1", "R9.2")]
        deps = Deps(Settings(slack_api_url=fake.api_url, slack_bot_token=fake.token), sample, clock)
        post_action_dm(
            shell.app.client,
            deps,
            user=OTHER,
            text="Panel in 7 days",
            blocks=[],
            kind="panel",
            action_ids=ids,
        )
        before = counts(sample)
        out = shell.run("reply CAID training booked for January")
        assert "Which action is this note for?" in out and "[R9.1] [R9.2]" in out
        assert counts(sample) == before
        out = shell.run("click R9.2")
        assert "R9.2 — note added" in out
        assert [u.note for u in _notes(sample, "R9.2")] == ["CAID training booked for January"]
        assert _notes(sample, "R9.1") == []
        out = shell.run("reply my email is a.person@example.org")
        shell.run("click R9.1")
        assert _notes(sample, "R9.1") == []  # the guardrail holds it back
    finally:
        fake.stop()


def test_app_home_for_owner_and_lead(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        out = shell.run("home")
        assert "Your open actions (1)" in out and "R2.2" in out and "6 of 10" not in out
        out = shell.run("click On track R2.2")
        assert "App Home" in out  # re-published with the change
        shell.user = LEAD
        out = shell.run("home")
        assert "6 of 10" in out
        view = (
            json.loads(_posted(fake, "views.publish")[-1]["view"])
            if isinstance(_posted(fake, "views.publish")[-1]["view"], str)
            else _posted(fake, "views.publish")[-1]["view"]
        )
        assert len(view["blocks"]) <= 100
    finally:
        fake.stop()


def test_snooze_button_pauses_until_next_working_day(sample, clock):
    from bot.views.actions import dm_footer_blocks

    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        deps = Deps(Settings(slack_api_url=fake.api_url, slack_bot_token=fake.token), sample, clock)
        post_action_dm(
            shell.app.client,
            deps,
            user=OWNER,
            text="reminder",
            blocks=dm_footer_blocks(),
            kind="due",
            action_ids=[],
        )
        out = shell.run("click Remind me next working day")
        assert "Thu 26 Nov 2026" in out
        with sample.read() as session:
            assert str(service.get_member(session, OWNER).snoozed_until) == "2026-11-26"
    finally:
        fake.stop()


def test_signed_command_through_the_verifying_app(sample, clock):
    fake = FakeSlack()
    try:
        secret = "8f742231b10e8888abcd99yyyzzz85a5"
        deps = Deps(
            Settings(
                slack_api_url=fake.api_url, slack_bot_token=fake.token, slack_signing_secret=secret
            ),
            sample,
            clock,
        )
        app = create_app(deps, process_before_response=True)
        body = urlencode(
            {
                "team_id": "T0SHELL",
                "user_id": OWNER,
                "command": "/ncpi",
                "text": "update R2.2 at risk waiting",
                "response_url": fake.response_url("1"),
                "trigger_id": "t.1",
                "api_app_id": "A0SHELL",
                "channel_id": "C0SHELL",
            }
        )
        before = counts(sample)
        forged = app.dispatch(
            BoltRequest(
                body=body,
                headers=bolt_signed_headers("not-the-secret", body, int(clock.now().timestamp())),
            )
        )
        assert forged.status == 401 and counts(sample) == before
        ok = app.dispatch(
            BoltRequest(
                body=body, headers=bolt_signed_headers(secret, body, int(clock.now().timestamp()))
            )
        )
        assert ok.status == 200
        assert any(
            "R2.2 — at risk" in (a.get("text") or "") for m, a in fake.calls if m == "response_url"
        )
    finally:
        fake.stop()


def test_errors_after_an_early_ack_reach_the_user_with_a_reference(sample, clock, caplog):
    """Slack front ends ack at once and work after: refusals still arrive; an unexpected
    error is logged with a reference the user can quote, without the note text."""
    from bot import router

    fake = FakeSlack()
    try:
        deps = Deps(Settings(slack_api_url=fake.api_url, slack_bot_token=fake.token), sample, clock)
        app = create_app(deps, verify_requests=False)  # the HTTP/Socket Mode setting

        def command(text: str, n: int) -> int:
            body = urlencode(
                {
                    "team_id": "T0SHELL",
                    "user_id": OWNER,
                    "command": "/ncpi",
                    "text": text,
                    "response_url": fake.response_url(str(n)),
                    "trigger_id": f"t.{n}",
                    "api_app_id": "A0SHELL",
                }
            )
            return app.dispatch(
                BoltRequest(
                    body=body, headers={"content-type": ["application/x-www-form-urlencoded"]}
                )
            ).status

        def answers() -> list[str]:
            deadline = time.time() + 30  # returns as soon as both answers are in
            while (
                time.time() < deadline
                and len([1 for m, _ in fake.calls if m == "response_url"]) < 2
            ):
                time.sleep(0.02)
            return [a.get("text") or "" for m, a in fake.calls if m == "response_url"]

        assert command("verify R2.2", 1) == 200
        real_run = router.run

        def broken(*a, **k):
            raise RuntimeError("note text: secret child detail")

        router.run = broken
        try:
            assert command("update R2.2 at risk", 2) == 200
            texts = answers()
        finally:
            router.run = real_run
        assert any("Only a lead can verify" in t for t in texts)
        ref = next(t for t in texts if "Quote reference" in t).split("`")[1]
        assert any(ref in r.getMessage() for r in caplog.records)
    finally:
        fake.stop()


def test_concurrent_double_submit_adds_once(sample, clock):
    """Two copies of the same `add` at the same moment (a user retrying after Slack's
    operation_timeout): one action, and both get the same answer."""
    from concurrent.futures import ThreadPoolExecutor

    from bot import router

    deps = Deps(Settings(), sample, clock)
    line = "add R2 Train CCR staff owner:<@U0DIMISS01> due:31/03/2027"
    with ThreadPoolExecutor(4) as pool:
        replies = list(pool.map(lambda _: router.run(deps, line, actor=LEAD), range(4)))
    assert len({r.text for r in replies}) == 1
    with sample.read() as session:
        rec2 = service.summary(session, today=clock.today(), rec="R2").recs[0]
    assert [a.ref for a in rec2.actions] == ["R2.1", "R2.2", "R2.3"]
    assert sum(not r.repeated for r in replies) == 1


def test_guardrail_on_an_action_title_then_confirmed_adds_once(sample, clock):
    shell, fake = make_shell(sample, clock)
    try:
        before = counts(sample)
        out = shell.run("add R2 Visit 12 Acacia Avenue IP1 2AB owner:<@U0DIMISS01> due:31/03/2027")
        assert "postcode" in out and counts(sample) == before
        out = shell.run("click Keep as written")
        assert "Added R2.3" in out
        assert counts(sample)[1] == before[1] + 1
    finally:
        fake.stop()


def test_links_typed_in_slack_are_stored_as_urls(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        shell.run("done R2.2 <https://intranet.example/athena|intranet.example/athena>")
        with sample.read() as session:
            assert (
                service.get_action(session, ref="R2.2").evidence
                == "https://intranet.example/athena"
            )
    finally:
        fake.stop()


def test_add_and_update_forms(sample, clock):
    shell, fake = make_shell(sample, clock)
    try:
        assert "Modal «Add an action»" in shell.run("add R4 Audit CAID use")
        before = counts(sample)
        out = shell.run("submit title= owner=U0DIMISS01")
        assert "form error on title" in out and counts(sample) == before
        out = shell.run('submit title="Audit CAID use" owner=U0DIMISS01 due=2027-02-01')
        assert "Added R4.4 Audit CAID use" in out
        assert [a["channel"] for a in _posted(fake)] == [OWNER]  # the handover DM
        shell.user = OWNER
        assert "R2.2" in shell.run("update")  # no ref: pick from my actions
        out = shell.run('submit action=R2.2 status="on track" note="fields live"')
        assert "R2.2 — on track, note added" in out
        out = shell.run("update R9.1")
        assert "R9.1 belongs to" in out  # someone else's: refused before any form opens
    finally:
        fake.stop()


def test_several_inspections_name_one(sample, clock):
    from models.tables import Inspection

    with sample.write() as session:
        session.add(
            Inspection(code="CSE", title="Child sexual exploitation", created_at=clock.now())
        )
    shell, fake = make_shell(sample, clock)
    try:
        assert "Several inspections are tracked" in shell.run("summary")
        assert "6 of 10" in shell.run("summary NCPI")
        assert "Owner:" in shell.run("show NCPI:R2.1")
        out = shell.run("home")
        assert "App Home" in out and "went wrong" not in out
    finally:
        fake.stop()


def test_draft_paper_from_app_home_answers_in_the_dm(sample, clock):
    shell, fake = make_shell(sample, clock)
    try:
        out = shell.run("home")
        assert "[Draft panel paper]" in out and "[Post to channel]" not in out
        out = shell.run("click Draft panel paper")
        assert "(file «" in out and "in the DM to @U0SAFELEAD" in out and "went wrong" not in out
        assert any("draft panel paper" in (a.get("text") or "").lower() for a in _posted(fake))
    finally:
        fake.stop()


def test_return_form_sends_an_implemented_action_back_with_its_reason(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        shell.run("done R2.2 https://intranet.example/athena-fields")
        shell.user = LEAD
        assert "Modal «" in shell.run("return R2.2")
        assert "form error on reason" in shell.run("submit")
        out = shell.run('submit reason="does not cover night shifts"')
        assert "returned" in out.lower()
        with sample.read() as session:
            assert service.get_action(session, ref="R2.2").status == "on_track"
        told = [a["text"] for a in _posted(fake) if a["channel"] == OWNER]
        assert told and "does not cover night shifts" in told[-1]
    finally:
        fake.stop()
