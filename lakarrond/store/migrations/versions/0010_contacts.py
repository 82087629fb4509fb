"""named contacts per patient (issue 18 point 1)

Revision ID: 0010_contacts
Revises: 0009_palliative
Create Date: 2026-12-05

``patient.doctor_id``: the patient's named doctor (fast läkarkontakt), NULL = the unit's
doctor; ``patient.nurse``: the named nurse (fast vårdkontakt), "" = the unit's nurse. Both are
empty for existing rows: every patient keeps the unit's doctor and nurse, no existing data
changes. Added in place (no table copy; see 0003). A doctor named by a patient cannot be
deleted (``services.doctors.delete_doctor`` refuses; a doctor who leaves is retired), so the
key has no ON DELETE action.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_contacts"
down_revision = "0009_palliative"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column that references another table in place only by plain SQL
        # (a NULL default); batch mode would copy the referenced-by-nothing patient table
        op.execute("ALTER TABLE patient ADD COLUMN doctor_id INTEGER CONSTRAINT "
                   "fk_patient_doctor_id_doctor "
                   "REFERENCES doctor (id)")
    else:
        op.add_column("patient", sa.Column("doctor_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_patient_doctor_id_doctor", "patient", "doctor",
                              ["doctor_id"], ["id"])
    with op.batch_alter_table("patient", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("nurse", sa.String(length=200), nullable=False,
                                      server_default=""))
        batch_op.create_index("ix_patient_doctor_id", ["doctor_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("patient", schema=None, recreate="never") as batch_op:
        batch_op.drop_index("ix_patient_doctor_id")
        batch_op.drop_column("nurse")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_patient_doctor_id_doctor", "patient", type_="foreignkey")
    op.drop_column("patient", "doctor_id")
