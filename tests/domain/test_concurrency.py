"""Twenty people updating twenty actions at the same moment: every update lands.

Each worker opens its own write transaction, reads its action, then writes. On SQLite a
plain (deferred) BEGIN fails here with "database is locked" as soon as one worker's read
snapshot is overtaken by another's commit; `BEGIN IMMEDIATE` makes them queue instead.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import select

from models import service
from models.errors import ChangedMeanwhile
from models.sample import LEAD
from models.tables import Source, Status, Update
from tests.conftest import NOW, TODAY

WORKERS = 20


def test_twenty_concurrent_writers_all_land(sample):
    with sample.write() as s:
        for i in range(WORKERS - 10):  # the sample has 10 actions; make it 20
            service.add_action(
                s,
                rec="R6",
                title=f"Extra action {i}",
                owner=LEAD,
                due=None,
                actor=LEAD,
                source=Source.CLI,
                now=NOW,
            )
    with sample.read() as s:
        refs = [a.ref for r in service.summary(s, today=TODAY).recs for a in r.actions]
        before = len(s.exec(select(Update)).all())
    assert len(refs) == WORKERS

    start = threading.Barrier(WORKERS, timeout=60)

    def update(i: int) -> str:
        start.wait()
        with sample.write() as s:
            current = service.show_action(s, ref=refs[i], today=TODAY)  # a read first...
            service.update_action(  # ...then a write in the same transaction
                s,
                ref=refs[i],
                actor=LEAD,
                status=Status.AT_RISK if current.status != Status.AT_RISK else Status.ON_TRACK,
                note=f"worker {i}",
                source=Source.BUTTON,
                now=NOW,
            )
        return refs[i]

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        done = list(pool.map(update, range(WORKERS)))  # re-raises any worker's error

    assert sorted(done) == sorted(refs)
    with sample.read() as s:
        rows = s.exec(select(Update).order_by(Update.id)).all()
        assert len(rows) == before + WORKERS
        assert sorted(r.note for r in rows[before:]) == sorted(
            f"worker {i}" for i in range(WORKERS)
        )
        for i, ref in enumerate(refs):
            view = service.show_action(s, ref=ref, today=TODAY)
            assert view.status in (Status.AT_RISK, Status.ON_TRACK)
            assert service.history(s, ref=ref)[-1].note == f"worker {i}"


def test_a_change_that_cannot_wait_for_the_row_is_refused_clearly(sample):
    """PostgreSQL: while one person's change of R9.2 is in flight, another's waits for the
    row; if it cannot wait (a lock timeout, a deadlock) it is refused whole, saying so."""
    if sample.is_sqlite:
        pytest.skip("SQLite queues whole write transactions (BEGIN IMMEDIATE); no row locks")
    holding, release = threading.Event(), threading.Event()

    def first() -> None:
        with sample.write() as s:
            service.update_action(
                s,
                ref="R9.2",
                actor=LEAD,
                status=Status.AT_RISK,
                note="first",
                source=Source.COMMAND,
                now=NOW,
            )
            holding.set()
            release.wait(timeout=30)

    worker = threading.Thread(target=first)
    worker.start()
    try:
        assert holding.wait(timeout=30)
        with pytest.raises(ChangedMeanwhile) as refused, sample.write() as s:
            s.connection().exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
            service.update_action(
                s,
                ref="R9.2",
                actor=LEAD,
                status=Status.BLOCKED,
                note="second",
                source=Source.COMMAND,
                now=NOW,
            )
    finally:
        release.set()
        worker.join(timeout=30)
    assert refused.value.message == "R9.2 changed meanwhile, so nothing was saved; try again."
    with sample.read() as s:
        notes = [u.note for u in service.history(s, ref="R9.2")]
        assert "first" in notes and "second" not in notes
        assert service.show_action(s, ref="R9.2", today=TODAY).status == Status.AT_RISK
