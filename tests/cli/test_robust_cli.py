"""The command line under faults: two imports at once, a database in a read-only folder (run
for real as the user "nobody"), odd --db paths, a newer schema, too long texts."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from lakarrond.cli import main
from lakarrond.io.template import write_template
from lakarrond.io.xlsx import put
from lakarrond.services.plan import plan_year
from lakarrond.store import models as m
from lakarrond.store import open_database
from tests.stores import fill_small_store

YEAR = "2027"
CLI = [sys.executable, "-m", "lakarrond"]
ENGLISH = ("Traceback", "sqlite3", "OperationalError", "alembic", "Errno", "locked")


def workbook(path: Path, patients: int = 300, name: str | None = None) -> Path:
    """A filled import template: two doctors, four units, ``patients`` patients."""
    write_template(path)
    wb = openpyxl.load_workbook(path)
    for row, values in enumerate([("Anna Berg", "VC Centrum"), ("Olle Ek", "VC Norr")], 3):
        for column, value in enumerate(values, 1):
            put(wb["Läkare"], row, column, value)
    units = [(f"Enhet {i}", "SÄBO", "Anna Berg" if i % 2 else "Olle Ek", "", "Varje vecka",
              "", "tisdag") for i in range(4)]
    for row, values in enumerate(units, 3):
        for column, value in enumerate(values, 1):
            put(wb["Enheter"], row, column, value)
    for i in range(patients):
        values = (name if (name and i == 0) else f"Patient {i:04d}", None, f"Enhet {i % 4}",
                  f"Rum {i}", date(2020, 1, 1 + i % 28))
        for column, value in enumerate(values, 1):
            put(wb["Patienter"], 3 + i, column, value)
    wb.save(path)
    return path


def counts(path: Path) -> tuple[int, int, int, int]:
    db = open_database(path)
    try:
        with db.begin() as s:
            return tuple(s.scalar(select(func.count()).select_from(t)) for t in  # type: ignore[return-value]
                         (m.HealthCentre, m.Doctor, m.Unit, m.Patient))
    finally:
        db.dispose()


def test_concurrent_imports_into_a_fresh_database_both_succeed(tmp_path: Path) -> None:
    book = workbook(tmp_path / "mall.xlsx")
    db = tmp_path / "ny" / "lakarrond.sqlite"
    runs = [subprocess.Popen([*CLI, "--db", str(db), "import", str(book)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    results = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    for code, out, err in results:
        assert code == 0, err
        assert "Importen är klar" in out
        assert not any(word in err for word in ENGLISH), err
    assert counts(db) == (2, 2, 4, 300)  # the data is there once


def test_a_db_path_with_url_characters_is_a_file(tmp_path: Path, capsys) -> None:
    target = tmp_path / "q" / "a?b #1 100% åäö.sqlite"
    assert main(["--db", str(target), "demo", "--year", YEAR]) == 0
    assert target.is_file() and not (tmp_path / "q" / "a").exists()
    assert counts(target)[3] > 400


def test_a_database_from_a_newer_version_exits_1_in_swedish(tmp_path: Path, capsys) -> None:
    path = tmp_path / "ny.sqlite"
    open_database(path).dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'ffff_framtid'")
    con.commit()
    con.close()
    assert main(["--db", str(path), "plan", "--year", YEAR]) == 1
    err = capsys.readouterr().err
    assert "skapad av en nyare version av Läkarrond" in err
    assert not any(word in err for word in (*ENGLISH, "Can't locate")), err


def test_a_too_long_text_is_named_by_row_and_column_and_nothing_is_written(
        tmp_path: Path, capsys) -> None:
    book = workbook(tmp_path / "lång.xlsx", patients=5, name="Å" * 32767)
    db = tmp_path / "d.sqlite"
    assert main(["--db", str(db), "import", str(book)]) == 2
    err = capsys.readouterr().err
    assert ("Blad 'Patienter', rad 3, kolumn 'Namn': för lång text (32767 tecken, högst 200)"
            in err.splitlines()[1])
    assert "ÅÅÅÅÅÅÅÅÅÅ" not in err
    assert counts(db) == (0, 0, 0, 0)


def _nobody_can_run_python() -> bool:
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    probe = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                            sys.executable, "-c", "import lakarrond.cli"],
                           capture_output=True, timeout=120)
    return probe.returncode == 0


@pytest.mark.skipif(not _nobody_can_run_python(),
                    reason="needs root, setpriv and a Python the user nobody can run")
def test_export_from_a_database_in_a_read_only_folder(capsys) -> None:
    # The real thing: root owns no part of it; the user "nobody" owns the database but its
    # folder is read-only (0555), as on a write-protected share.
    base = Path(tempfile.mkdtemp(prefix="lakarrond-ro-", dir="/tmp"))
    try:
        base.chmod(0o755)
        folder, out = base / "skyddad", base / "ut"
        folder.mkdir()
        out.mkdir()
        path = folder / "lakarrond.sqlite"
        db = open_database(path)
        fill_small_store(db)
        plan_year(db, int(YEAR), time_limit=10)
        db.dispose()
        for item in (folder, *folder.rglob("*"), out):
            shutil.chown(item, "nobody", "nogroup")
        folder.chmod(0o555)
        env = {**os.environ, "HOME": str(base), "QT_QPA_PLATFORM": "offscreen"}

        def as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *CLI,
                 "--db", str(path), *args],
                capture_output=True, text=True, timeout=300, env=env, cwd=base)

        export = as_nobody("export", "--year", YEAR, "--out", str(out / "plan.xlsx"))
        assert export.returncode == 0, export.stderr
        assert "skrivskyddad" in export.stderr
        assert not any(word in export.stderr for word in ENGLISH), export.stderr
        assert (out / "plan.xlsx").stat().st_mode & 0o777 == 0o600
        assert sorted(p.name for p in folder.iterdir()) == ["lakarrond.sqlite"]

        replan = as_nobody("plan", "--year", YEAR, "--time-limit", "5")
        assert replan.returncode == 1
        assert "skrivskyddad" in replan.stderr
        assert not any(word in replan.stderr for word in ENGLISH), replan.stderr
    finally:
        (base / "skyddad").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)
