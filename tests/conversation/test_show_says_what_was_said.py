"""`show` tells what was said, not only when (SQLite and PostgreSQL, real Bolt app)."""

from __future__ import annotations

from tests.slack_helpers import LEAD, OWNER, make_shell


def test_show_an_action_gives_the_latest_note_with_who_and_when_and_the_evidence(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        shell.run("update R2.2 on track Athena fields go live in the March release")
        shell.run("done R2.2 https://intranet.example/athena-release")
        shell.run(f"as {LEAD}")
        out = shell.run("show R2.2")
        assert "Latest note" in out and "Athena fields go live in the March release" in out
        assert "U0DIMISS01" in out or "Diane" in out  # who said it
        assert "2 Dec" in out or "10:00" in out  # when
        assert "https://intranet.example/athena-release" in out
    finally:
        fake.stop()


def test_show_a_recommendation_gives_its_text_status_and_actions(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        out = shell.run("show R4")
        assert "is a recommendation" not in out
        assert "R4" in out and "R4.1" in out
    finally:
        fake.stop()


def test_show_with_nothing_named_says_what_to_name(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        out = shell.run("show")
        assert "Say which action or recommendation" in out and "/ncpi show R2" in out
    finally:
        fake.stop()
