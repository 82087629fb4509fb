"""the substitute's phone and "do not invite relatives" (issue 18 points 2 and 3)

Revision ID: 0011_phone_steps
Revises: 0010_contacts
Create Date: 2026-12-05

``absence.phone``: the substitute's phone number (Sörmland §4), printed where the substitute
is named. ``patient.no_relatives``: "Bjud inte in närstående" by agreement with the patient
(Lidköping); the preparation step that invites relatives leaves that patient's checklist.
Both new columns are empty/false for existing rows. Added in place (no table copy; see 0003).

The preparation steps keep what a database had: a stored list (setting
``preparation_steps``) is not touched and reads with no roles. A plan year that used the
defaults of before (nothing stored) but has a saved plan or ticks gets THOSE defaults stored
(:data:`OLD_DEFAULTS`, "Närstående inbjudna" marked as the relatives' step), so its ticks and
its checklist stay as they were; the new defaults (Lidköping's steps with roles) apply to the
years with nothing stored. Downgrade writes every stored list back in the old ``[name, days]``
form (the roles are lost; the old code cannot read them).
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0011_phone_steps"
down_revision = "0010_contacts"
branch_labels = None
depends_on = None

KEY = "preparation_steps"
OLD_DEFAULTS = [["Kallad/informerad", 14, "", False], ["Närstående inbjudna", 14, "", True],
                ["Prover tagna", 7, "", False], ["PHASE-20 / skattning", 7, "", False],
                ["Läkemedelsgenomgång förberedd", 2, "", False]]


def _year(value: object) -> int:
    return int(str(value)[:4])  # a date (PostgreSQL) or "2027-03-01" (SQLite)


def _keep_old_defaults() -> None:
    conn = op.get_bind()
    years = {int(y) for (y,) in conn.execute(sa.text("SELECT DISTINCT year FROM plan"))}
    years |= {_year(d) for (d,) in conn.execute(
        sa.text("SELECT DISTINCT review_date FROM preparation_tick"))}
    stored = {int(y) for (y,) in conn.execute(
        sa.text("SELECT year FROM setting WHERE key = :key"), {"key": KEY})}
    value = json.dumps(OLD_DEFAULTS, ensure_ascii=False)
    for year in sorted(years - stored):
        conn.execute(sa.text("INSERT INTO setting (year, key, value) VALUES (:y, :k, :v)"),
                     {"y": year, "k": KEY, "v": value})


def _old_form() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, value FROM setting WHERE key = :key"),
                        {"key": KEY}).all()
    for row_id, value in rows:
        old = [[entry[0], entry[1]] for entry in json.loads(value)]
        conn.execute(sa.text("UPDATE setting SET value = :v WHERE id = :i"),
                     {"v": json.dumps(old, ensure_ascii=False), "i": row_id})


def upgrade() -> None:
    with op.batch_alter_table("absence", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=False,
                                      server_default=""))
    with op.batch_alter_table("patient", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("no_relatives", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    _keep_old_defaults()


def downgrade() -> None:
    _old_form()
    with op.batch_alter_table("patient", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("no_relatives")
    with op.batch_alter_table("absence", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("phone")
