"""Alembic, configured in code: the scripts live in this package, no alembic.ini needed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from lakarrond.store.errors import NewerDatabase

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def check_known_revision(connection: Connection, where: str = "") -> str | None:
    """The database's schema revision; :class:`NewerDatabase` when this program does not
    know it (the file was made or upgraded by a newer version)."""
    current = MigrationContext.configure(connection).get_current_revision()
    if current is not None:
        known = {script.revision for script in
                 ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        if current not in known:
            raise NewerDatabase(where, current)
    return current


def upgrade_to_head(engine: Engine, where: str = "") -> None:
    """Run every migration up to the newest revision (in one transaction)."""
    upgrade(engine, "head", where)


def upgrade(engine: Engine, revision: str, where: str = "") -> None:
    with engine.begin() as connection:
        check_known_revision(connection, where)
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
