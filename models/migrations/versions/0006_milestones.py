"""milestones a lead has moved from the dates computed from publication

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 14:30:00

Until a lead moves one, every milestone is computed from the inspection's publication date
(models.milestones), so there is nothing to backfill.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspection.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("inspection_id", "kind", name="uq_milestone_kind"),
    )
    op.create_index(
        op.f("ix_milestone_inspection_id"), "milestone", ["inspection_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_milestone_inspection_id"), table_name="milestone")
    op.drop_table("milestone")
