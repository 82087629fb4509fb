"""Typed jobs: mypy checks that a job's ``on_done`` takes what its work returns and that the
work's arguments fit (bound with functools.partial). A pair: the right callback passes, a
callback for another type and a wrong argument are refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEADER = '''
from functools import partial
from lakarrond.ui.context import AppContext
from lakarrond.ui.jobs import Job

def count(text: str, *, times: int) -> int:
    return len(text) * times

def plan(year: int, *, on_progress: object, should_stop: object) -> str:
    return str(year)

def use(ctx: AppContext) -> None:
'''


def _mypy(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "job_use.py"
    source.write_text(HEADER + body, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
         "--cache-dir", str(ROOT / ".mypy_cache"), str(source)],
        cwd=ROOT, capture_output=True, text=True, check=False)


def test_a_callback_that_takes_the_result_type_checks(tmp_path: Path) -> None:
    result = _mypy(tmp_path, '''
    def shown(n: int) -> None: ...
    job: Job[int] = ctx.run("x", partial(count, "abc", times=2), on_done=shown)
    ctx.run_steps("p", partial(plan, 2027), on_done=lambda s: print(s.upper()))
''')
    assert result.returncode == 0, result.stdout


def test_a_callback_for_another_type_or_a_wrong_argument_is_refused(tmp_path: Path) -> None:
    result = _mypy(tmp_path, '''
    def shown(s: str) -> None: ...
    ctx.run("x", partial(count, "abc", times=2), on_done=shown)
    ctx.run("y", partial(count, 3, times=2))
    ctx.run_steps("p", partial(plan, 2027), on_done=lambda n: print(n + 1))
''')
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["15", "16", "17"], result.stdout
