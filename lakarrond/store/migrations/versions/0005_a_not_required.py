"""nobody silently missing (issue 22): the patients a plan needs no ÅMV for, with the reason

Revision ID: 0005_a
Revises: 0004
Create Date: 2026-12-05

``plan.not_required`` is a JSON list of ``{"patient_id", "patient", "unit", "reason"}``,
like ``plan.unplaced``; existing plans get an empty list (server default). Added in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_a"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("not_required", sa.JSON(), server_default=sa.text("'[]'"),
                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("plan", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("not_required")
