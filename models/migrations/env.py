"""Alembic environment: runs on the engine handed over by models.db.Database."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import models.tables  # noqa: F401 - registers the tables

target_metadata = SQLModel.metadata
config = context.config


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(
        config.get_main_option("sqlalchemy.url")
    )
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table under rows that point at it; SQLite checks
            # foreign keys at each statement unless told not to, and only outside a
            # transaction. The rows are checked once the migration is done.
            _pragma(connection, "foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        if sqlite:
            _pragma(connection, "foreign_keys=ON")
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.commit()
            if broken:
                raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")


def _pragma(connection, setting: str) -> None:
    """A PRAGMA run outside any transaction (on the driver's own connection)."""
    cur = connection.connection.dbapi_connection.cursor()
    cur.execute(f"PRAGMA {setting}")
    cur.close()


run_migrations_online()
