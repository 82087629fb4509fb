"""the year as it happens (issue 13): outcome reasons and cancellations on visits; the
planning date, the per-doctor fingerprints and the forced moves on plans

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Added columns get server defaults, so existing rows stay valid: ``visit.reason`` "",
``visit.cancelled_on`` NULL, ``plan.plan_from`` NULL (= 1 January), ``plan.fingerprints``
and ``plan.forced_moves`` empty JSON. Added in place (no table copies; see 0003).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visit", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("reason", sa.String(400), server_default=sa.text("''"), nullable=False))
        batch_op.add_column(sa.Column("cancelled_on", sa.Date(), nullable=True))
    with op.batch_alter_table("plan", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("plan_from", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("fingerprints", sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
        batch_op.add_column(
            sa.Column("forced_moves", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("plan", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("forced_moves")
        batch_op.drop_column("fingerprints")
        batch_op.drop_column("plan_from")
    with op.batch_alter_table("visit", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("cancelled_on")
        batch_op.drop_column("reason")
