"""The pure planning library passes ``mypy --strict``."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import solver.problem

ROOT = Path(solver.problem.__file__).parent.parent


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy saknas")
def test_solver_is_mypy_strict_clean():
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", "solver"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
