"""coordinator features (issue 14): preparation ticks, single round-date changes, retired
doctors, absences held by the substitute, minutes per ÅMV, optimistic locking of doctors and
absences, longer setting values

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

Columns added to tables that already hold rows get a server default, so existing rows are
valid: ``doctor.version`` and ``absence.version`` 1, ``absence.reviews_by_substitute``
false, ``unit.review_minutes`` 30, ``doctor.retired_on`` NULL.

SQLite note: ``ALTER TABLE … ADD COLUMN`` and ``DROP COLUMN`` (SQLite ≥ 3.35) run in place,
so the tables that other tables reference (doctor, unit) are never copied and dropped; that
matters because the migrations run with ``PRAGMA foreign_keys=ON`` and dropping a referenced
table would cascade into its children. Only ``setting`` (referenced by nothing) is copied by
batch mode, for its type change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("doctor", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("retired_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )

    with op.batch_alter_table("absence", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column(
                "reviews_by_substitute", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )

    with op.batch_alter_table("unit", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("review_minutes", sa.Integer(), server_default=sa.text("30"),
                      nullable=False)
        )

    with op.batch_alter_table("setting", schema=None) as batch_op:
        batch_op.alter_column(
            "value", existing_type=sa.String(length=400), type_=sa.Text(),
            existing_nullable=False,
        )

    op.create_table(
        "preparation_tick",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("step", sa.String(length=60), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("done_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_preparation_tick_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preparation_tick")),
        sa.UniqueConstraint(
            "patient_id", "review_date", "step", name="uq_preparation_tick_patient_date_step"
        ),
    )
    with op.batch_alter_table("preparation_tick", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_preparation_tick_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "round_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_round_change_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_change")),
        sa.UniqueConstraint("unit_id", "date", name="uq_round_change_unit_date"),
    )
    with op.batch_alter_table("round_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_change_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("round_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_change_unit_id"))
    op.drop_table("round_change")

    with op.batch_alter_table("preparation_tick", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_preparation_tick_patient_id"))
    op.drop_table("preparation_tick")

    # a value longer than the old limit cannot go back into String(400): cut it
    op.execute(sa.text("UPDATE setting SET value = substr(value, 1, 400)"))
    with op.batch_alter_table("setting", schema=None) as batch_op:
        batch_op.alter_column(
            "value", existing_type=sa.Text(), type_=sa.String(length=400),
            existing_nullable=False,
        )

    with op.batch_alter_table("unit", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("review_minutes")

    with op.batch_alter_table("absence", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("version")
        batch_op.drop_column("reviews_by_substitute")

    with op.batch_alter_table("doctor", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("version")
        batch_op.drop_column("retired_on")
