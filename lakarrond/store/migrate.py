"""Alembic, configured in code: the scripts live in this package, no alembic.ini needed.

Alembic itself is imported only when a database needs it: a database already at
:data:`HEAD` (every start but the first after an upgrade) is recognised by reading its
``alembic_version`` row with plain SQLAlchemy, which saves a command such as ``lakarrond
suggest`` Alembic's import and the reading of every migration script.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from lakarrond.store.errors import NewerDatabase

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# the newest revision in migrations/versions/; tests/store/test_migrate_head.py checks that
# it is Alembic's head, so a new migration without a new HEAD fails the tests
HEAD = "0011_phone_steps"
VERSION_TABLE = "alembic_version"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def stored_revisions(connection: Connection) -> list[str]:
    """The revisions in the database's ``alembic_version`` table (none for a new one),
    read without Alembic."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return []
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    return [str(row[0]) for row in rows]


def at_head(connection: Connection) -> bool:
    """The database is at :data:`HEAD`: nothing to migrate (and nothing to refuse)."""
    return stored_revisions(connection) == [HEAD]


def check_known_revision(connection: Connection, where: str = "") -> str | None:
    """The database's schema revision; :class:`NewerDatabase` when this program does not
    know it (the file was made or upgraded by a newer version)."""
    if at_head(connection):
        return HEAD
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    current = MigrationContext.configure(connection).get_current_revision()
    if current is not None:
        known = {script.revision for script in
                 ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        if current not in known:
            raise NewerDatabase(where, current)
    return current


def upgrade_to_head(engine: Engine, where: str = "") -> None:
    """Run every migration up to the newest revision (in one transaction); a database
    already at :data:`HEAD` is only read (Alembic is not imported)."""
    with engine.connect() as connection:
        if at_head(connection):
            return
    upgrade(engine, "head", where)


def upgrade(engine: Engine, revision: str, where: str = "") -> None:
    from alembic import command

    with engine.begin() as connection:
        check_known_revision(connection, where)
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
