"""time is a rule (issue 21.1, R5b): the unit's reserved time for other matters

Revision ID: 0007_round_time
Revises: 0006_enums
Create Date: 2026-12-05

``unit.other_minutes`` ("Övrig tid (min)"), the minutes of every round kept free for other
matters than the ÅMV. Existing units get 0 (server default): their capacity is unchanged
unless "ÅMV per rond × Minuter per ÅMV" is longer than the round. Added in place
(``recreate="never"``): the unit table is referenced by others (see revision 0003).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_round_time"
down_revision = "0006_enums"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("unit", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("other_minutes", sa.Integer(), server_default=sa.text("0"),
                      nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("unit", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("other_minutes")
