"""history is append-only in the database: UPDATE, DELETE (and on PostgreSQL TRUNCATE) of
the `update` table are refused by triggers, whoever issues them

The ORM refuses to change or delete a history row (models.db), but bulk `update()` /
`delete()` and raw SQL on the app's own engine go round the ORM. These triggers make the
promise hold for any statement. Caution for later migrations: on SQLite, a batch operation
that *recreates* the `update` table drops its triggers; such a migration must create them
again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 16:00:00
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

REFUSED = "history is append-only: rows of the update table cannot be"

SQLITE_UPGRADE = (
    f"""CREATE TRIGGER history_no_update BEFORE UPDATE ON "update"
    BEGIN SELECT RAISE(ABORT, '{REFUSED} changed'); END""",
    f"""CREATE TRIGGER history_no_delete BEFORE DELETE ON "update"
    BEGIN SELECT RAISE(ABORT, '{REFUSED} deleted'); END""",
)
SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS history_no_delete",
    "DROP TRIGGER IF EXISTS history_no_update",
)

# restrict_violation (23001): an integrity error to drivers, like SQLite's RAISE(ABORT).
PG_UPGRADE = (
    f"""CREATE FUNCTION history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{REFUSED} %', CASE TG_OP
            WHEN 'UPDATE' THEN 'changed' WHEN 'DELETE' THEN 'deleted' ELSE 'truncated' END
            USING ERRCODE = 'restrict_violation';
    END
    $$""",
    """CREATE TRIGGER history_no_update_or_delete BEFORE UPDATE OR DELETE ON "update"
    FOR EACH ROW EXECUTE FUNCTION history_is_append_only()""",
    """CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON "update"
    FOR EACH STATEMENT EXECUTE FUNCTION history_is_append_only()""",
)
PG_DOWNGRADE = (
    'DROP TRIGGER IF EXISTS history_no_truncate ON "update"',
    'DROP TRIGGER IF EXISTS history_no_update_or_delete ON "update"',
    "DROP FUNCTION IF EXISTS history_is_append_only()",
)


def _run(sqlite: tuple[str, ...], postgresql: tuple[str, ...]) -> None:
    for statement in sqlite if op.get_bind().dialect.name == "sqlite" else postgresql:
        op.execute(statement)


def upgrade() -> None:
    _run(SQLITE_UPGRADE, PG_UPGRADE)


def downgrade() -> None:
    _run(SQLITE_DOWNGRADE, PG_DOWNGRADE)
