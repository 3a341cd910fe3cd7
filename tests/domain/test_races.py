"""Twenty people changing the same thing at the same moment, on SQLite and PostgreSQL.

Each person's command (or form) runs in its own thread and its own write transaction,
released together by a barrier. The promise: every change the bot accepts is kept whole
(its evidence on the action and in the history, its "before" the previous change's
"after"), and every change it does not accept gets a clear answer and writes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from sqlmodel import col, select

from bot import operations, router
from bot.deps import Deps
from models import service
from models.db import Database
from models.errors import NcpiError
from models.settings import Settings
from models.tables import Action, Recommendation, Role, Source, Status, Update
from tests.slack_helpers import OTHER

WORKERS = 20
PEOPLE = [f"U0RACE{i:04d}" for i in range(WORKERS)]  # twenty leads, one per thread


@dataclass
class Outcome:
    person: int
    accepted: bool
    said: str  # what the person was shown


@pytest.fixture
def deps(sample, clock) -> Iterator[Deps]:
    with sample.write() as s:
        for person in PEOPLE:
            service.set_role(s, user_id=person, role=Role.LEAD)
    # Twenty writers queue on SQLite's one write lock; on a loaded machine the last may wait
    # longer than the default NCPI_DB_TIMEOUT, which would answer "not answering", not race.
    patient = Database(sample.url, timeout_s=60)
    yield Deps(Settings(), patient, clock)
    patient.dispose()


def at_once(change: Callable[[int], str]) -> list[Outcome]:
    """Run change(i) for every person at the same moment; collect what each was told."""
    start = threading.Barrier(WORKERS, timeout=60)

    def one(i: int) -> Outcome:
        start.wait()
        try:
            return Outcome(i, True, change(i))
        except NcpiError as e:
            return Outcome(i, False, e.message)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(one, range(WORKERS)))  # re-raises anything unexpected


def command(deps: Deps, text: Callable[[int], str]) -> Callable[[int], str]:
    return lambda i: router.run(deps, text(i), actor=PEOPLE[i]).text


def history(deps: Deps, ref: str, field: str) -> list[Update]:
    with deps.db.read() as s:
        return [u for u in service.history(s, ref=ref) if u.field == field]


def assert_chain(rows: list[Update], *, first_before: str | None) -> None:
    """Each change starts from where the previous one left the field."""
    befores = [r.before for r in rows]
    assert befores == [first_before] + [r.after for r in rows[:-1]]


def link(i: int) -> str:
    return f"https://intranet.example/caid/evidence-{i}"


def test_twenty_people_mark_one_action_done_at_once(deps):
    said = at_once(command(deps, lambda i: f"done R9.2 <{link(i)}>"))

    accepted = [o for o in said if o.accepted]
    refused = [o for o in said if not o.accepted]
    assert len(accepted) == 1, [o.said for o in accepted]  # done once; the rest are told why
    assert accepted[0].said.startswith("R9.2 — implemented, recorded")
    assert {o.said for o in refused} == {
        "R9.2 is already marked implemented and waiting for a lead to verify it."
    }
    kept = [link(o.person) for o in accepted]
    with deps.db.read() as s:
        view = service.show_action(s, ref="R9.2", today=deps.clock.today())
        assert view.status == Status.IMPLEMENTED
        assert view.evidence.splitlines() == kept
    assert [r.after for r in history(deps, "R9.2", "evidence")] == kept
    statuses = history(deps, "R9.2", "status")
    assert [r.after for r in statuses] == [Status.IMPLEMENTED]
    assert_chain(statuses, first_before=Status.ON_TRACK)


def test_twenty_people_add_evidence_through_the_update_form_at_once(deps):
    """The update form with the status unchanged and a link: evidence is appended."""

    def submit(i: int) -> str:
        args = {"ref": "R9.2", "status": "on_track", "note": None, "evidence": link(i)}
        return operations.execute(
            deps, actor=PEOPLE[i], op="update", args=args, source=Source.MODAL
        ).text

    said = at_once(submit)

    assert all(o.accepted for o in said), [o.said for o in said if not o.accepted]
    assert all("evidence added" in o.said for o in said)
    rows = history(deps, "R9.2", "evidence")
    assert sorted(r.after for r in rows) == sorted(link(i) for i in range(WORKERS))
    with deps.db.read() as s:
        evidence = service.show_action(s, ref="R9.2", today=deps.clock.today()).evidence
    assert evidence.splitlines() == [r.after for r in rows]  # all of it, in the order written
    for n, row in enumerate(rows):  # each row saw everyone's evidence written before it
        assert row.before == ("\n".join(r.after for r in rows[:n]) or None)


def test_twenty_status_changes_at_once_keep_a_before_after_chain(deps):
    words = ["at risk", "blocked", "on track"]
    said = at_once(command(deps, lambda i: f"update R9.2 {words[i % 3]} worker {i}"))

    assert all(o.accepted for o in said), [o.said for o in said if not o.accepted]
    rows = history(deps, "R9.2", "status")
    assert rows, "no status change was recorded"
    assert_chain(rows, first_before=Status.ON_TRACK)
    with deps.db.read() as s:
        action = service.show_action(s, ref="R9.2", today=deps.clock.today())
        assert action.status == rows[-1].after
        notes = [u.note for u in service.history(s, ref="R9.2") if u.field in ("status", "note")]
    assert sorted(notes) == sorted(f"worker {i}" for i in range(WORKERS))


def test_twenty_due_date_changes_at_once_keep_a_before_after_chain(deps):
    """`due` reads the action before changing it (for the owner's notice): the change
    still starts from the date as the previous change left it."""
    with deps.db.read() as s:
        first = service.get_action(s, ref="R9.2").due
    said = at_once(command(deps, lambda i: f"due R9.2 {i + 1}/2/2027"))

    assert all(o.accepted for o in said), [o.said for o in said if not o.accepted]
    rows = history(deps, "R9.2", "due")
    assert len(rows) == WORKERS
    assert_chain(rows, first_before=first.isoformat())
    with deps.db.read() as s:
        assert service.get_action(s, ref="R9.2").due.isoformat() == rows[-1].after


def test_twenty_leads_sign_off_one_recommendation_at_once(deps):
    said = at_once(command(deps, lambda i: f"signoff R9 agreed at panel, lead {i}"))

    accepted = [o for o in said if o.accepted]
    assert len(accepted) == 1, [o.said for o in accepted]
    assert {o.said for o in said if not o.accepted} == {"R9 is already signed off."}
    with deps.db.read() as s:
        rec = service.get_recommendation(s, ref="R9")
        rows = s.exec(
            select(Update).where(Update.recommendation_id == rec.id, Update.field == "rec_status")
        ).all()
    assert [(r.before, r.after) for r in rows] == [("outstanding", "signed_off")]


def test_twenty_leads_add_actions_to_one_recommendation_at_once(deps):
    said = at_once(
        command(deps, lambda i: f"add R9 Extra CAID check {i} owner:<@{OTHER}> due:31/03/2027")
    )

    assert all(o.accepted for o in said), [o.said for o in said if not o.accepted]
    assert sorted(o.said.split()[1] for o in said) == sorted(f"R9.{n}" for n in range(3, 23))
    with deps.db.read() as s:
        numbers = s.exec(
            select(Action.number)
            .join(Recommendation, col(Recommendation.id) == col(Action.recommendation_id))
            .where(Recommendation.number == 9)
        ).all()
    assert sorted(numbers) == list(range(1, 23))
