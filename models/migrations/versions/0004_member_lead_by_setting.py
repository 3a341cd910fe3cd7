"""remember which leads NCPI_LEADS made, so the setting can take the role back

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-02 15:00:00

Leads made before this revision are treated as set by hand: the setting never removes them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lead_by_setting", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("lead_by_setting")
