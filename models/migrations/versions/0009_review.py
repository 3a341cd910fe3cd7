"""leads' review of the draft paper before a panel: one decision per candidate paragraph of
progress (include, edit into paper wording, leave out), keyed by its history row

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 14:30:00

A new table: nothing to backfill. Until a lead reviews, the paper marks progress unreviewed.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.tables

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=True),
        sa.Column("choice", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("wording", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("reviewed_at", models.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["update_id"], ["update.id"]),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspection.id"]),
        sa.ForeignKeyConstraint(["panel_id"], ["panelmeeting.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("update_id"),
    )
    op.create_index(
        "ix_review_decision_inspection_id", "review_decision", ["inspection_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_review_decision_inspection_id", table_name="review_decision")
    op.drop_table("review_decision")
