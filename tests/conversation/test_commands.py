"""Every /ncpi command through the real Bolt app: happy path, bad inputs (answered with how to
write it, nothing changed) and permission refusals, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.slack_helpers import LEAD, OTHER, OWNER, counts, make_shell

HAPPY = [
    (LEAD, [], "help", "the inspection action tracker"),
    (LEAD, [], "summary", "6 of 10"),
    (LEAD, [], "/ncpi summary R2", "R2 Missing children"),
    (LEAD, [], "summary post", "to the channel"),
    (OWNER, [], "mine", "Your open actions (1)"),
    (LEAD, [], "show R2.1", "Owner:"),
    (LEAD, [], "history R2.1", "History of R2.1"),
    (LEAD, [], "history ncpi:r2", "R2.2 created"),
    (LEAD, [], "show NCPI:2.1", "Owner: @U0CCRINSP1"),
    (OWNER, [], "update R2.2 blocked waiting on IT", "R2.2 — blocked, note added"),
    (OWNER, [], "done R2.2 https://intranet.example/policy", "R2.2 — implemented"),
    (LEAD, [(OWNER, "done R2.2 policy agreed")], "verify R2.2", "R2.2 — verified"),
    (
        LEAD,
        [(OWNER, "done R2.2 policy agreed")],
        "return R2.2 does not cover nights",
        "R2.2 — returned",
    ),
    (OWNER, [], "away until 2 January", "Reminders paused until Sat 2 Jan 2027"),
    (OWNER, [(OWNER, "away until 2 January")], "back", "Welcome back"),
    (LEAD, [], "add R2 Train CCR staff owner:<@U0DIMISS01|dimiss> due:31/03/2027", "Added R2.3"),
    (LEAD, [], "assign R2.1 <@U0DIMISS01>", "R2.1 — offered to @U0DIMISS01"),
    (LEAD, [], "due R2.1 31/03/2027", "R2.1 — due Wed 31 Mar 2027"),
    (LEAD, [], "signoff R2 agreed at panel", "R2 Missing children — signed off"),
    (LEAD, [], "reopen R1", "outstanding again"),
    (OWNER, [], "panel", "Panel meetings"),
    (
        LEAD,
        [],
        "panel add 15/01/2027 2pm AP27/01",
        "Panel meeting on Fri 15 Jan 2027 at 14:00 (AP27/01) added",
    ),
    (LEAD, [(LEAD, "panel add 15/01/2027")], "panel remove 15/01/2027", "cancelled"),
    (LEAD, [], "report", "draft panel paper"),
    (OWNER, [], "update", "Modal «Update an action»"),
    (LEAD, [], "add", "Modal «Add an action»"),
]


@pytest.mark.parametrize(("user", "before", "line", "expect"), HAPPY, ids=[h[2] for h in HAPPY])
def test_happy_path(sample, clock, user, before, line, expect):
    shell, fake = make_shell(sample, clock, user=user)
    try:
        for who, setup in before:
            shell.user = who
            shell.run(setup)
        shell.user = user
        out = shell.run(line)
        assert expect in out, out
        assert "went wrong" not in out
    finally:
        fake.stop()


BAD = [
    (LEAD, "show", "Say which action or recommendation"),
    (LEAD, "show X1", "is not a reference"),
    (LEAD, "history", "Write it as `/ncpi history R2.1`"),
    (LEAD, "history banana", "is not a reference"),
    (LEAD, "show FOO:R2.1", "There is no inspection FOO"),
    (OWNER, "update R2.2 ontrak", "is not a status"),
    (OWNER, "update R2.2 at rsk waiting on IT", "is not a status"),
    (OWNER, "update R99.1 on track", "There is no recommendation R99"),
    (OWNER, "update R2 on track", "R2 is a recommendation"),
    (OWNER, "done", "Write it as `/ncpi done R2.1"),
    (OWNER, "done banana proof", "is not a reference"),
    (LEAD, "verify", "Write it as `/ncpi verify R2.1`"),
    (LEAD, "verify R2.1", "before a lead verifies it"),
    (LEAD, "return", "Write it as `/ncpi return R2.1"),
    (LEAD, "return R2.1 no evidence", "not waiting for verification"),
    (LEAD, "return R2.1", "not waiting for verification"),
    (OWNER, "away", "Say when you are back"),
    (OWNER, "away until blurgh", "is not a date"),
    (OWNER, "back now", "`back` takes nothing"),
    (OWNER, "back", "You are not marked away"),
    (LEAD, "add R2 Train staff owner:nobody due:31/03/2027", "is not a person"),
    (LEAD, "add R2 Train staff owner:<@U0DIMISS01> due:31/02/2027", "is not a real date"),
    (LEAD, "add R99 Train staff owner:<@U0DIMISS01> due:31/03/2027", "no recommendation R99"),
    (LEAD, "assign R2.1", "Say who should own it"),
    (LEAD, "assign R2.1 jane", "is not a person"),
    (LEAD, "due R2.1", "Give the new due date"),
    (LEAD, "due R2.1 32/13/2027", "is not a real date"),
    (LEAD, "signoff", "Write it as `/ncpi signoff R2"),
    (LEAD, "signoff R2.1", "R2.1 is an action"),
    (LEAD, "reopen R2", "is not signed off"),
    (LEAD, "reopen", "Write it as `/ncpi reopen R2`"),
    (LEAD, "panel add", "Give the meeting's date"),
    (LEAD, "panel add 99/99/2027", "is not a real date"),
    (LEAD, "panel frobnicate", "is not something I know"),
    (LEAD, "panel remove 01/02/2027", "no panel meeting on"),
    (LEAD, "report 99/99/99", "is not a real date"),
    (LEAD, "summary R99", "no recommendation R99"),
    (LEAD, "summary foo bar", "Write it as"),
    (OWNER, "mine please", "`mine` takes nothing"),
    (LEAD, "sumary", "Did you mean `/ncpi summary`"),
    (LEAD, "asign R2.1 <@U0DIMISS01>", "Did you mean `/ncpi assign R2.1 @jane`"),
    (LEAD, "frobnicate", "`/ncpi help` lists them all"),
]

FORBIDDEN = [
    (OWNER, "summary post", "Only a lead can post the summary"),
    (OWNER, "update R9.1 on track", "R9.1 belongs to <@U0DIICAIT1>"),
    (OWNER, "done R9.1 evidence", "only its owner or a lead"),
    (OWNER, "verify R2.2", "Only a lead can verify"),
    (OWNER, "return R2.2 not enough", "Only a lead can return"),
    (OWNER, "add R2 Train staff owner:<@U0DIMISS01> due:31/03/2027", "Only a lead can add"),
    (OWNER, "add", "Only a lead can add"),
    (OWNER, "assign R2.2 <@U0DIICAIT1>", "Only a lead can assign"),
    (OWNER, "due R2.2 31/03/2027", "Only a lead can change due dates"),
    (OWNER, "signoff R2", "Only a lead can sign off"),
    (OWNER, "reopen R1", "Only a lead can reopen"),
    (OWNER, "panel add 15/01/2027", "Only a lead can add panel"),
    (OWNER, "panel remove 18/12/2026", "Only a lead can remove panel"),
    (OWNER, "report", "Only a lead can draft"),
    (OTHER, "update R2.2", "R2.2 belongs to"),
    (OTHER, "return R2.2", "Only a lead can return"),
]


def test_refused_and_nothing_changes(sample, clock):
    """Each bad input and each permission refusal: an ephemeral answer saying what was wrong
    and how to write it; the database is exactly as it was."""
    shell, fake = make_shell(sample, clock)
    failures = []
    try:
        before = counts(sample)
        for user, line, expect in BAD + FORBIDDEN:
            shell.user = user
            fake.calls.clear()
            out = shell.run(line)
            responds = [args for method, args in fake.calls if method == "response_url"]
            ok = (
                out.startswith("only you:")
                and expect in out.replace("@U0DIICAIT1", "<@U0DIICAIT1>")
                and "Modal" not in out
                and counts(sample) == before
                and responds
                and all(a.get("response_type") == "ephemeral" for a in responds)
            )
            if not ok:
                failures.append(f"{user} {line!r}: {out!r}")
    finally:
        fake.stop()
    assert not failures, "\n".join(failures)


def test_a_person_named_in_a_refusal_is_a_mention_and_typed_look_alikes_are_not(sample, clock):
    """The domain names people by id and Slack renders them as mentions; text a person types
    can never be turned into a mention by the same route."""
    shell, fake = make_shell(sample, clock)
    try:
        shell.user = OWNER
        fake.calls.clear()
        shell.run("update R9.1 on track")
        said = [a.get("text") or "" for m, a in fake.calls if m == "response_url"]
        assert any("R9.1 belongs to <@U0DIICAIT1>" in t for t in said), said

        fake.calls.clear()
        shell.run("show \ue000U0DIICAIT1\ue001")
        said = " ".join(str(a) for m, a in fake.calls if m == "response_url")
        assert "U0DIICAIT1" in said and "<@U0DIICAIT1>" not in said
    finally:
        fake.stop()
