"""matters (ärenden) in a round (issue 21.2): the table ``matter``

Revision ID: 0008_matters
Revises: 0007_round_time
Create Date: 2026-12-05

One row per matter booked in a unit's round on a date: kind, patient (optional), minutes,
who raises it (role and name), the note, the status (Planerad, Genomförd, Flyttad, Struken),
the reason of a Struken one and the link of a Flyttad one to the matter it became. A new
table: no existing data changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_matters"
down_revision = "0007_round_time"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "matter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("by_role", sa.String(length=40), nullable=False),
        sa.Column("by_name", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("moved_to_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_matter_unit_id_unit"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"],
                                name=op.f("fk_matter_patient_id_patient"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["moved_to_id"], ["matter.id"],
                                name=op.f("fk_matter_moved_to_id_matter"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matter")),
    )
    op.create_index(op.f("ix_matter_unit_id"), "matter", ["unit_id"], unique=False)
    op.create_index(op.f("ix_matter_date"), "matter", ["date"], unique=False)
    op.create_index(op.f("ix_matter_patient_id"), "matter", ["patient_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_matter_patient_id"), table_name="matter")
    op.drop_index(op.f("ix_matter_date"), table_name="matter")
    op.drop_index(op.f("ix_matter_unit_id"), table_name="matter")
    op.drop_table("matter")
