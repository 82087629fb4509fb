"""palliative care and a matter that counts as the ÅMV (issue 21.3)

Revision ID: 0009_palliative
Revises: 0008_matters
Create Date: 2026-12-05

``patient.palliative_from``: the date the patient is in palliative care in the end of life
("Palliativ vård i livets slutskede"; no routine ÅMV from it). ``matter.counts_as_review``: a
held "Vårdplanering vid försämring" that the nurse marked "räknas som ÅMV". Both new columns
are empty/false for existing rows: no existing data changes. Added in place (no table copy;
see 0003).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_palliative"
down_revision = "0008_matters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patient", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("palliative_from", sa.Date(), nullable=True))
    with op.batch_alter_table("matter", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("counts_as_review", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("matter", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("counts_as_review")
    with op.batch_alter_table("patient", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("palliative_from")
