"""The shape of the code, checked by the test command: layer contracts (import-linter), the
type checker (mypy --strict over the whole of lakarrond/ and solver/), no Qt widgets below the
window, no import cycles (imports inside functions count), no module over 500 lines, ``Any``
and ``type: ignore`` only with a reason."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import lakarrond

ROOT = Path(lakarrond.__file__).parent.parent
PACKAGES = ("lakarrond", "solver", "benchmarks")
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Every module of ours that ``path`` imports, at module level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def test_layer_contracts_are_kept():
    tool = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run([str(tool)], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_types_are_strict_clean():
    out = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    # the configured scope is every module of the program, not a part of it
    modules = [p for folder in ("lakarrond", "solver") for p in (ROOT / folder).rglob("*.py")]
    assert f"no issues found in {len(modules)} source files" in out.stdout, out.stdout


def test_types_are_checked_strictly_everywhere():
    """No override in pyproject.toml turns strictness off for a part of the program."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    assert sorted(config["files"]) == ["lakarrond", "solver"]
    for override in config.get("overrides", []):
        assert set(override) <= {"module", "ignore_missing_imports"}, override


def test_ruff_is_clean():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]


def test_no_qt_widgets_outside_the_window():
    modules = _modules()
    for name, path in modules.items():
        if name.startswith(("lakarrond.ui", "lakarrond.cli", "benchmarks.window")):
            continue  # the window, and the benchmark that drives it
        text = path.read_text(encoding="utf-8")
        assert "QtWidgets" not in text, f"{name} uses Qt widgets"


def test_no_import_cycles():
    modules = _modules()
    known = set(modules)
    graph = {name: _imports(path, name, known) for name, path in modules.items()}
    # a package's __init__ re-exporting its own modules is not a cycle between modules
    edges = defaultdict(set)
    for name, targets in graph.items():
        for target in targets:
            if not name.startswith(target + ".") and not target.startswith(name + "."):
                edges[name].add(target)
    seen: dict[str, int] = {}  # 1 on the stack, 2 done
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(edges[node]):
            if seen.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in seen:
                visit(nxt, [*stack, nxt])
        seen[node] = 2

    for node in sorted(modules):
        if node not in seen:
            visit(node, [node])
    assert not cycles, cycles[:5]


def test_no_module_over_500_lines():
    long = {name: n for name, path in _modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


ANY_IMPORT = re.compile(r"^from typing import .*\bAny\b")
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<code>\[[^\]]+\])?(?P<rest>.*)$")


def any_without_reason(text: str) -> list[int]:
    """Lines importing ``typing.Any`` without ``# Any: <why>`` (the JSON, Qt-role, driver or
    openpyxl edge the module sits at), and lines using ``typing.Any`` another way."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        without = ANY_IMPORT.match(line) is not None and "# Any: " not in line
        if without or re.search(r"\btyping\.Any\b", line):
            found.append(number)
    return found


def ignores_without_reason(text: str) -> list[int]:
    """Lines with a ``type: ignore`` that names no error code or gives no reason after it."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = IGNORE.search(line)
        if match and (not match.group("code") or not re.search(r"#\s*\S", match.group("rest"))):
            found.append(number)
    return found


def test_the_reason_checks_catch_what_they_should():
    assert any_without_reason("from typing import Any  # Any: JSON edge: audit values\n") == []
    assert any_without_reason("from typing import Any, TypeVar\n") == [1]
    assert any_without_reason("import typing\nx: typing.Any = 1\n") == [2]
    kept = "x = f()  # type: ignore[attr-defined]  # set by PyInstaller only\n"
    assert ignores_without_reason(kept) == []
    assert ignores_without_reason("x = f()  # type: ignore[attr-defined]\n") == [1]
    assert ignores_without_reason("x = f()  # type: ignore  # why\n") == [1]


def test_any_and_type_ignore_only_with_a_reason():
    missing = {}
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        lines = any_without_reason(text) + ignores_without_reason(text)
        if lines:
            missing[name] = lines
    assert not missing, missing
