"""The solver package stays pure: no Qt, no SQLAlchemy, nothing of the application."""

import ast
import subprocess
import sys
from pathlib import Path

import solver.problem

FORBIDDEN = ("PySide6", "sqlalchemy", "lakarrond", "shiboken6")


def test_no_forbidden_import_statements():
    # solver.problem, not solver: started as `pytest`, tests/ is on sys.path and `solver`
    # alone may resolve to the namespace package tests/solver (no __file__)
    root = Path(solver.problem.__file__).parent
    assert (root / "solve.py").is_file()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_importing_and_solving_loads_neither_qt_nor_sqlalchemy():
    code = (
        "import sys, solver.solve, benchmarks.baselines, solver.scenarios, benchmarks.planner,"
        " solver.suggest, benchmarks.family, solver.exact;"
        f"bad=[m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
