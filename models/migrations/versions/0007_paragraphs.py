"""the paper's own wording: dated, attributed paragraphs per recommendation (findings,
improvement required) and per inspection (the closing sections)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 19:30:00

A new table: nothing to backfill. Until a lead writes some, the paper prints placeholders.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "paragraph",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=True),
        sa.Column("section", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspection.id"]),
        sa.ForeignKeyConstraint(["recommendation_id"], ["recommendation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_paragraph_place",
        "paragraph",
        ["inspection_id", "recommendation_id", "section"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_paragraph_place", table_name="paragraph")
    op.drop_table("paragraph")
