"""staleness from the data (issue 22.3): the input version, kept on each plan; the plan's
list "Flyttade – meddela" (issue 22.7)

Revision ID: 0005_b
Revises: 0004
Create Date: 2026-12-05

A one-row table ``input_version`` (``seq`` only grows, ``current`` is the version the
planning input is at) and, on ``plan``, ``input_version`` (the version the plan was made
against) and ``moves`` (its list "Flyttade – meddela", NULL for plans saved before). The
existing data is carried over from the audit log: the version is the number of input
changes logged, and a plan's the number logged before it was saved, so a plan that was
stale stays stale and a current one stays current.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_b"
down_revision = "0005_c"
branch_labels = None
depends_on = None

# the audit entities that bump the input version (lakarrond.store.audit.BUMPING_ENTITIES,
# copied: a migration must not change with the code)
BUMPING = ("patient", "unit", "doctor", "absence", "setting", "round_change", "database",
           "health_centre")


def upgrade() -> None:
    table = op.create_table(
        "input_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_input_version")),
    )
    with op.batch_alter_table("plan", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("input_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("moves", sa.JSON(), nullable=True))
    con = op.get_bind()
    log = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("entity", sa.String),
                   sa.column("entity_id", sa.String), sa.column("action", sa.String))
    plan = sa.table("plan", sa.column("id", sa.Integer),
                    sa.column("input_version", sa.Integer))
    changes = [row_id for (row_id,) in con.execute(
        sa.select(log.c.id).where(log.c.entity.in_(BUMPING)).order_by(log.c.id))]
    op.bulk_insert(table, [{"id": 1, "seq": len(changes), "current": len(changes)}])
    saved: dict[str, int] = {}
    for row_id, entity_id in con.execute(
            sa.select(log.c.id, log.c.entity_id).where(
                log.c.entity == "plan", log.c.action.in_(("plan", "create")))
            .order_by(log.c.id)):
        saved[str(entity_id)] = row_id  # the last save of that plan id
    for (plan_id,) in con.execute(sa.select(plan.c.id)).all():
        mark = saved.get(str(plan_id))
        value = len(changes) if mark is None else sum(1 for c in changes if c < mark)
        con.execute(plan.update().where(plan.c.id == plan_id).values(input_version=value))


def downgrade() -> None:
    with op.batch_alter_table("plan", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("moves")
        batch_op.drop_column("input_version")
    op.drop_table("input_version")
