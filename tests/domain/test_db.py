"""Engines, transactions and the schema check at start-up."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import delete as sa_delete
from sqlalchemy import text
from sqlalchemy import update as sa_update
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from models.db import Database
from models.errors import DatabaseUnavailable, SchemaOutOfDate
from models.sample import LEAD, load_sample
from models.service import update_action
from models.tables import Action, Inspection, Source, Status, Update
from tests.conftest import NOW, TZ


def test_a_fresh_sqlite_file_works_with_no_extra_step(tmp_path: Path):
    path = tmp_path / "sub" / "fresh.db"
    path.parent.mkdir()
    database = Database(f"sqlite:///{path}")
    try:
        database.prepare()
        with database.write() as s:
            assert load_sample(s, now=NOW, today=NOW.date(), tz=TZ)
        with database.read() as s:
            assert s.exec(select(func.count()).select_from(Action)).one() == 10
        assert database.current_revision() == database.head_revision()
        database.prepare()  # a second start-up is a no-op
    finally:
        database.dispose()
    assert path.exists()


@pytest.fixture
def stale(db: Database):
    """The database as an older release left it: its migration record says 0000_older."""
    with db.engine.begin() as conn:
        (real,) = conn.execute(text("SELECT version_num FROM alembic_version")).one()
        conn.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
    yield db
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": real})


def test_an_out_of_date_database_is_named_with_the_fix(stale: Database):
    with pytest.raises(SchemaOutOfDate) as info:
        stale.prepare()
    assert "0000_older" in info.value.message
    assert stale.head_revision() in info.value.message
    assert "ncpi-bot db upgrade" in info.value.message


def test_tables_without_a_migration_record_are_refused(tmp_path: Path):
    database = Database(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        with database.engine.begin() as conn:
            conn.execute(text("CREATE TABLE someone_elses (id INTEGER)"))
        with pytest.raises(SchemaOutOfDate, match="DATABASE_URL"):
            database.prepare()
    finally:
        database.dispose()


def test_sqlite_pragmas(tmp_path: Path):
    database = Database(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        for engine in (database.engine, database.read_engine):
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    finally:
        database.dispose()


def test_foreign_keys_are_enforced(db: Database):
    with pytest.raises(IntegrityError), db.write() as s:
        s.add(
            Action(recommendation_id=9999, number=1, title="orphan", created_at=NOW, updated_at=NOW)
        )


def test_a_failed_write_leaves_nothing_behind(db: Database):
    with pytest.raises(RuntimeError), db.write() as s:
        s.add(Inspection(code="PEEL", title="PEEL", created_at=NOW))
        s.flush()
        raise RuntimeError("boom")
    with db.read() as s:
        assert s.exec(select(Inspection)).all() == []


def test_times_come_back_utc_aware(db: Database):
    with db.write() as s:
        s.add(Inspection(code="PEEL", title="PEEL", created_at=NOW))
    with db.read() as s:
        got = s.exec(select(Inspection)).one().created_at
    assert got == NOW and got.utcoffset().total_seconds() == 0


def test_naive_times_are_refused(db: Database):
    with pytest.raises(Exception, match="naive datetime"), db.write() as s:
        s.add(Inspection(code="PEEL", title="PEEL", created_at=datetime(2026, 11, 25)))
        s.flush()


def test_objects_read_stay_usable_after_the_transaction(sample: Database):
    with sample.read() as s:
        rows = s.exec(select(Update).limit(3)).all()
    assert all(r.at.tzinfo is not None for r in rows)
    assert sample.ping()


def test_ping_reports_a_dead_database(tmp_path: Path):
    database = Database(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    try:
        assert database.ping() is False
    finally:
        database.dispose()


def test_an_unreachable_database_names_database_url_without_the_password():
    database = Database("postgresql+psycopg://ncpi:s3cret@127.0.0.1:1/ncpi?connect_timeout=2")
    try:
        with pytest.raises(DatabaseUnavailable) as info:
            database.prepare()
    finally:
        database.dispose()
    message = info.value.message
    assert message.startswith("DATABASE_URL postgresql+psycopg://ncpi:***@127.0.0.1:1/ncpi")
    assert "s3cret" not in message and "\n" not in message


def test_a_sqlite_file_in_a_missing_folder_is_named(tmp_path: Path):
    database = Database(f"sqlite:///{tmp_path / 'no' / 'such' / 'x.db'}")
    try:
        with pytest.raises(DatabaseUnavailable, match="^DATABASE_URL sqlite:///.*cannot be opened"):
            database.prepare()
    finally:
        database.dispose()


def test_history_rows_cannot_be_changed_or_deleted(sample: Database):
    from models.db import HistoryIsAppendOnly

    with sample.read() as s:
        before = [(u.id, u.field, u.after, u.note) for u in s.exec(select(Update)).all()]
    with pytest.raises(HistoryIsAppendOnly), sample.write() as s:
        s.exec(select(Update)).first().note = "rewritten"
    with pytest.raises(HistoryIsAppendOnly), sample.write() as s:
        s.delete(s.exec(select(Update)).first())
    with sample.read() as s:
        assert [(u.id, u.field, u.after, u.note) for u in s.exec(select(Update)).all()] == before


# -- history is append-only in the database itself (raw SQL, bulk statements) -------------


def history(db: Database) -> list[tuple]:
    with db.read() as s:
        return [(u.id, u.field, u.before, u.after, u.note) for u in s.exec(select(Update)).all()]


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE \"update\" SET note = 'rewritten'", "cannot be changed"),
        ('DELETE FROM "update"', "cannot be deleted"),
    ],
)
def test_raw_sql_on_the_apps_own_engine_cannot_rewrite_history(
    sample: Database, statement: str, refusal: str
):
    before = history(sample)
    with pytest.raises(IntegrityError, match=f"history is append-only.*{refusal}"):
        with sample.engine.begin() as conn:
            conn.execute(text(statement))
    assert history(sample) == before


def test_bulk_orm_statements_cannot_rewrite_history(sample: Database):
    before = history(sample)
    with pytest.raises(IntegrityError, match="history is append-only"), sample.write() as s:
        s.execute(sa_update(Update).values(note="rewritten"))
    with pytest.raises(IntegrityError, match="history is append-only"), sample.write() as s:
        s.execute(sa_delete(Update).where(Update.id > 0))
    assert history(sample) == before


def test_truncate_cannot_empty_history_on_postgresql(sample: Database):
    if sample.is_sqlite:
        pytest.skip("SQLite has no TRUNCATE")
    before = history(sample)
    with pytest.raises(IntegrityError, match="history is append-only.*truncated"):
        with sample.engine.begin() as conn:
            conn.execute(text('TRUNCATE "update" CASCADE'))
    assert history(sample) == before


def test_an_ordinary_change_still_appends_to_history(sample: Database):
    before = history(sample)
    with sample.write() as s:
        update_action(
            s,
            ref="R2.1",
            actor=LEAD,
            status=Status.BLOCKED,
            note="waiting on IT",
            source=Source.COMMAND,
            now=NOW,
        )
    after = history(sample)
    assert after[: len(before)] == before
    assert [(f, a, n) for _id, f, _b, a, n in after[len(before) :]] == [
        ("status", "blocked", "waiting on IT")
    ]


def test_downgrading_past_0005_lifts_the_guard_and_upgrading_restores_it(sample: Database):
    cfg = sample.alembic_config()
    command.downgrade(cfg, "0004")
    try:
        with sample.engine.begin() as conn:
            conn.execute(text("UPDATE \"update\" SET note = 'rewritten' WHERE id = 1"))
    finally:
        command.upgrade(cfg, "head")
    with pytest.raises(IntegrityError, match="history is append-only"):
        with sample.engine.begin() as conn:
            conn.execute(text('DELETE FROM "update"'))
