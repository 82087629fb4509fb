"""A database at the newest revision opens without Alembic (its ``alembic_version`` read
with plain SQLAlchemy); the constant cannot go stale; an older database is still migrated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lakarrond.store import open_database
from lakarrond.store.database import sqlite_engine
from lakarrond.store.migrate import HEAD, at_head, current_revision, head_revision, upgrade

ROOT = Path(__file__).resolve().parents[2]
OPEN_AND_LIST = """
import sys
from lakarrond.store import open_database
db = open_database(sys.argv[1])
db.dispose()
print(sorted(m for m in sys.modules if m == "alembic" or m.startswith("alembic.")))
"""


def test_the_head_constant_is_alembics_head() -> None:
    assert head_revision() == HEAD


def test_a_database_at_head_opens_without_importing_alembic(tmp_path: Path) -> None:
    path = tmp_path / "kommun.sqlite"
    open_database(str(path)).dispose()  # made and migrated (Alembic runs here)
    out = subprocess.run([sys.executable, "-c", OPEN_AND_LIST, str(path)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def _revision_before_head() -> str:
    from alembic.script import ScriptDirectory

    from lakarrond.store.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    down = script.get_revision(HEAD).down_revision
    assert isinstance(down, str)
    return down


def test_an_older_database_is_still_migrated_and_imports_alembic(tmp_path: Path) -> None:
    path = tmp_path / "gammal.sqlite"
    engine = sqlite_engine(path)
    before_head = _revision_before_head()  # an old file: made by the program one release ago
    upgrade(engine, before_head)
    with engine.connect() as connection:
        assert current_revision(engine) == before_head
        assert not at_head(connection)
    engine.dispose()
    out = subprocess.run([sys.executable, "-c", OPEN_AND_LIST, str(path)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    assert "'alembic'" in out.stdout, out.stdout + out.stderr
    engine = sqlite_engine(path)
    try:
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()


def test_an_upgrade_to_an_older_revision_is_not_at_head(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "ny.sqlite")
    try:
        upgrade(engine, "0001")
        with engine.connect() as connection:
            assert not at_head(connection)
    finally:
        engine.dispose()
