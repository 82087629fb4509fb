"""The command line starts without Qt and without the libraries of other commands.

Each case runs in a fresh interpreter (a subprocess): ``sys.modules`` of the test process
already holds everything the other tests loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("PySide6", "shiboken6", "ortools", "pandas", "openpyxl", "sqlalchemy")


def loaded_after(code: str) -> set[str]:
    """The top-level packages among HEAVY that are in ``sys.modules`` after ``code``."""
    probe = (
        f"import sys\n{code}\n"
        f"import json; print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} "
        f"& set({list(HEAVY)!r}))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_commands_loads_no_qt_and_no_library():
    assert loaded_after("import lakarrond.cli, lakarrond.cli.commands") == set()


def test_help_loads_no_qt_and_no_library():
    code = (
        "import contextlib, io\nfrom lakarrond.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['--help']) == 0"
    )
    assert loaded_after(code) == set()


def test_the_services_load_no_qt():
    code = ("import lakarrond.services.exporter, lakarrond.services.printing,"
            " lakarrond.services.plan")
    loaded = loaded_after(code)
    assert "PySide6" not in loaded and "shiboken6" not in loaded
    assert "sqlalchemy" in loaded  # the probe sees what a module does load


def test_writing_a_pdf_loads_qt():
    # the other half of the rule: the probe sees Qt when the PDF path is imported
    assert "PySide6" in loaded_after("import lakarrond.io.pdf")


def test_suggest_does_not_load_the_planner(tmp_path, capsys):
    from lakarrond.cli import main
    from lakarrond.store import open_database
    from tests.stores import fill_small_store

    path = tmp_path / "liten.sqlite"
    db = open_database(str(path))
    fill_small_store(db)
    db.dispose()
    assert main(["--db", str(path), "plan", "--year", "2027"]) == 0
    capsys.readouterr()
    code = (
        "import contextlib, io\nfrom lakarrond.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['--db', {str(path)!r}, 'suggest', '--patient', 'Astrid Holm',"
        " '--year', '2027'])\n"
        "assert code == 0, code"
    )
    loaded = loaded_after(code)
    assert "ortools" not in loaded and "PySide6" not in loaded
    assert "sqlalchemy" in loaded
