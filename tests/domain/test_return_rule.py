"""One rule for sending an action back, typed or by form: only an action waiting for
verification goes back; a verified one is closed (SQLite and PostgreSQL)."""

from __future__ import annotations

from models import service
from tests.slack_helpers import LEAD, OWNER, counts, make_shell


def _status(db, ref: str) -> str:
    with db.read() as session:
        return str(service.get_action(session, ref=ref).status)


def test_a_verified_action_is_not_returned_typed_or_by_form(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        shell.run("done R2.2 https://intranet.example/athena-fields")
        shell.run(f"as {LEAD}")
        shell.run("verify R2.2")
        before = counts(sample)
        typed = shell.run("return R2.2 nights not covered")
        form = shell.run("return R2.2")
        for out in (typed, form):
            assert "verified and closed" in out and "Modal" not in out
        assert _status(sample, "R2.2") == "verified"
        assert counts(sample) == before
    finally:
        fake.stop()


def test_an_implemented_action_still_goes_back_with_a_reason(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        shell.run("done R2.2 https://intranet.example/athena-fields")
        shell.run(f"as {LEAD}")
        assert "returned" in shell.run("return R2.2 nights not covered")
        assert _status(sample, "R2.2") == "on_track"
    finally:
        fake.stop()


def test_a_return_button_left_on_a_row_since_verified_opens_no_form(sample, clock):
    """A lead's row drawn while R2.2 waited still shows Return…; pressed after another lead
    verified it, it says why and opens nothing to fill in for no purpose."""
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        shell.run("done R2.2 https://intranet.example/athena-fields")
        shell.run(f"as {LEAD}")
        assert "[Return…]" in shell.run("show R2.2")
        with sample.write() as s:  # another lead, elsewhere
            service.verify_action(
                s, ref="R2.2", actor="U0DCIPVP01", source="command", now=clock.now()
            )
        out = shell.run("click Return… R2.2")
        assert "verified and closed" in out and "Modal" not in out
        assert _status(sample, "R2.2") == "verified"
    finally:
        fake.stop()
