"""inspection items of three kinds: recommendations, areas for improvement and causes of
concern (with recommendations under them)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 14:30:00

Every existing row is a recommendation (the column's default). The unique ref becomes
(inspection, kind, number), so R1 and AFI1 live side by side.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The unnamed (inspection_id, number) constraint of 0001, as each database named it.
OLD_UNIQUE = {"postgresql": "recommendation_inspection_id_number_key"}
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _batch():
    sqlite = op.get_bind().dialect.name == "sqlite"
    return op.batch_alter_table(
        "recommendation", naming_convention=SQLITE_NAMES if sqlite else None
    ), ("uq_recommendation_inspection_id" if sqlite else OLD_UNIQUE[op.get_bind().dialect.name])


def upgrade() -> None:
    batch, old = _batch()
    with batch as b:
        b.add_column(
            sa.Column(
                "kind",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                nullable=False,
                server_default="recommendation",
            )
        )
        b.add_column(sa.Column("cause_id", sa.Integer(), nullable=True))
        b.create_foreign_key("fk_recommendation_cause", "recommendation", ["cause_id"], ["id"])
        b.drop_constraint(old, type_="unique")
        b.create_unique_constraint("uq_recommendation_ref", ["inspection_id", "kind", "number"])


def downgrade() -> None:
    batch, old = _batch()
    with batch as b:
        b.drop_constraint("uq_recommendation_ref", type_="unique")
        b.create_unique_constraint(old, ["inspection_id", "number"])
        b.drop_constraint("fk_recommendation_cause", type_="foreignkey")
        b.drop_column("cause_id")
        b.drop_column("kind")
