"""The database a dry run reads: opened without creating, migrating or seeding anything.

A database that does not exist yet (a missing SQLite file) or has no schema yet is stood in
for by a throwaway empty one, so the file is still checked and every change it would make is
listed, and the real database is left exactly as it was.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.exc import OperationalError

from models.db import Database


@contextmanager
def dry_run_database(url: str) -> Iterator[tuple[Database, bool]]:
    """Yields (database, empty): `empty` when a throwaway stands in for one not set up."""
    real = Database(url)
    try:
        if _exists(url, real):
            real.prepare()  # with a schema recorded, this only checks it is current
            yield real, False
            return
    finally:
        real.dispose()
    with tempfile.TemporaryDirectory(prefix="ncpi-dry-run-") as folder:
        stand_in = Database(f"sqlite:///{Path(folder) / 'empty.db'}")
        try:
            stand_in.upgrade()
            yield stand_in, True
        finally:
            stand_in.dispose()


def _exists(url: str, db: Database) -> bool:
    """Whether the database holds a recorded schema, asked without writing to it."""
    if db.is_sqlite:
        name = make_url(url).database
        if not name or name == ":memory:" or not Path(name).is_file():
            return False
    try:
        return db.current_revision() is not None
    except OperationalError:
        db.prepare()  # names DATABASE_URL and why it cannot be opened
        raise
