"""booked dates (issue 22): ``visit.booked`` marks an ÅMV whose date was given out with
"Boka" or ``suggest --apply``; later re-plans keep it unless it cannot be held

Revision ID: 0005_c
Revises: 0004
Create Date: 2026-12-05

The column gets the server default false, so existing rows stay valid. Added in place (no
table copy; see 0003).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_c"
down_revision = "0005_a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visit", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("booked", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("booked")
