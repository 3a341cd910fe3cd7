"""index actions by recommendation, status and due date (the summary's counts)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:45:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_rec_status_due", ["recommendation_id", "status", "due"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_rec_status_due")
