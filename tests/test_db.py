"""Engines, transactions and the schema check at start-up."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from models.db import Database
from models.errors import DatabaseUnavailable, SchemaOutOfDate
from models.sample import load_sample
from models.tables import Action, Inspection, Update
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
