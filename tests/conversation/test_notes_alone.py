"""An owner's note with no status word is kept, the status left as it is (SQLite and
PostgreSQL, through the real Bolt app)."""

from __future__ import annotations

from models import service
from tests.slack_helpers import OWNER, counts, make_shell


def _latest(db, ref: str) -> tuple[str, list[str]]:
    with db.read() as session:
        action = service.get_action(session, ref=ref)
        notes = [u.note for u in service.history(session, ref=ref) if u.field == "note"]
        return str(action.status), notes


def test_update_with_only_a_note_records_it_and_keeps_the_status(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        before_status, before_notes = _latest(sample, "R2.2")
        out = shell.run("update R2.2 met the Athena product owner today")
        assert "is not a status" not in out
        assert f"R2.2 — note added, status unchanged ({before_status.replace('_', ' ')})" in out
        status, notes = _latest(sample, "R2.2")
        assert status == before_status
        assert notes[len(before_notes) :] == ["met the Athena product owner today"]
    finally:
        fake.stop()


def test_note_command_adds_a_note(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        before_status, before_notes = _latest(sample, "R2.2")
        out = shell.run("note R2.2 on track for the March release, says the supplier")
        assert "note added, status unchanged" in out
        status, notes = _latest(sample, "R2.2")
        # a note that starts like a status is still only a note under `note`
        assert status == before_status
        assert notes[len(before_notes) :] == ["on track for the March release, says the supplier"]
    finally:
        fake.stop()


def test_note_with_nothing_to_say_is_refused_with_how_to_write_it(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        before = counts(sample)
        out = shell.run("note R2.2")
        assert "The note is missing" in out and "/ncpi note R2.1" in out
        assert counts(sample) == before
    finally:
        fake.stop()


def test_a_mistyped_status_is_refused_not_kept_as_a_note(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        before = counts(sample)
        out = shell.run("update R2.2 ontrak")
        assert "is not a status" in out and "/ncpi note R2.2" in out
        assert counts(sample) == before
    finally:
        fake.stop()
