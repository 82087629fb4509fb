"""Alembic environment: runs on the connection handed over by ``lakarrond.store.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from lakarrond.store.models import Base

target_metadata = Base.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        engine = context.config.attributes["engine"]
        with engine.begin() as conn:
            _migrate(conn)
    else:
        _migrate(connection)


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
