"""The window benchmark (issue 17 point 4): the real ``MainWindow`` driven in-process on a
generated municipality and a generated region, each action timed from the user's action
until the event loop is idle (no background job, no event waiting, no short single-shot
timer of the window pending), with the longest blocking of the GUI thread beside it (the
largest gap between ticks of a 10 ms QTimer).

    Xvfb :93 -screen 0 1600x1000x24 &
    DISPLAY=:93 .venv/bin/python -m benchmarks.window [--only municipality|region]
        [--repeat 3] [--seed 101] [--json] [--offscreen]

The stores (``benchmarks.family.random_municipality``/``random_region`` written with
``load_demo`` and planned once from 1 January) are cached by scale, seed and size in
``--cache`` (default ``~/.cache/lakarrond-benchmarks``); every run works on a copy. Each
scale is measured in a process of its own (its memory is its own). See
docs/window_benchmark.md for what each action means and the figures."""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import gc
import io
import itertools
import json
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any  # Any: JSON edge: the benchmark report

from benchmarks.window_report import ROOT, SCALES, machine, markdown
from benchmarks.window_store import TODAY, YEAR, build_store, store_path

IDLE_TIMEOUT_S = 900.0
SHORT_TIMER_MS = 2000  # a pending single-shot timer this short is part of the answer


class BenchmarkError(RuntimeError):
    """The window does not have what the benchmark drives (the UI changed), or it said no."""


# --- measuring ----------------------------------------------------------------------------


class Ticks:
    """A 10 ms QTimer: the largest gap between its ticks is the longest the GUI thread was
    blocked (nothing else could be drawn or answered)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.times: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(lambda: self.times.append(time.perf_counter()))
        self.timer.start()

    def longest(self, start: float, end: float) -> float:
        inside = [t for t in self.times if start < t < end]
        points = [start, *inside, end]
        self.times = [t for t in self.times if t >= end]
        return max(b - a for a, b in itertools.pairwise(points))


class Driver:
    """One window on a copy of a store: the actions, each measured."""

    def __init__(self, store: Path, repeat: int, plan_limit: float,
                 profile: frozenset[str] = frozenset()) -> None:
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance() or QApplication([])
        self.folder = Path(tempfile.mkdtemp(prefix="lakarrond-window-bench-"))
        self.path = self.folder / "store.sqlite"
        shutil.copy2(store, self.path)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # never the user's settings
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                          str(self.folder))
        self.settings = QSettings(str(self.folder / "window.ini"), QSettings.Format.IniFormat)
        self.repeat, self.plan_limit = repeat, plan_limit
        self.ticks = Ticks()
        self.window: Any = None
        self.db: Any = None
        self.errors: list[str] = []
        self.marks: dict[str, float] = {}
        self.results: dict[str, dict[str, list[float]]] = {}
        self.profile, self.profiles = profile, dict[str, str]()  # action: its top 15
        self.after_start = 0.0  # RSS (MB) after the first start-up

    # --- plumbing ---------------------------------------------------------------------
    def idle(self) -> None:
        """Until no event waits, no background job runs and no short single-shot timer of
        the window is pending (a search pause is part of the answer)."""
        from PySide6.QtCore import QTimer

        quiet, deadline = 0, time.perf_counter() + IDLE_TIMEOUT_S
        while quiet < 3:
            self.app.processEvents()
            waiting = self.window is not None and (self.window.ctx.jobs.busy() or any(
                t.isActive() and t.isSingleShot() and t.interval() <= SHORT_TIMER_MS
                for t in self.window.findChildren(QTimer)))
            quiet = 0 if waiting else quiet + 1
            if waiting:
                time.sleep(0.001)
            if time.perf_counter() > deadline:
                raise BenchmarkError(f"the window was not idle within {IDLE_TIMEOUT_S:.0f} s")
        if self.errors:
            raise BenchmarkError("the window showed an error: " + " | ".join(self.errors))

    def timed(self, name: str, action: Callable[[], object]) -> None:
        self.idle()
        with self.profiled(name):
            start, cpu = time.perf_counter(), time.thread_time()
            action()
            self.idle()
            end = time.perf_counter()
        self.record(name, end - start, self.ticks.longest(start, end), time.thread_time() - cpu)

    @contextlib.contextmanager
    def profiled(self, name: str) -> Iterator[None]:
        """The first run of an action named in ``profile`` under cProfile (the GUI thread;
        its time is then not a figure): the top 15 functions by cumulative time."""
        if name not in self.profile or name in self.profiles:
            yield
            return
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            yield
        finally:
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
            self.profiles[name] = out.getvalue()

    def record(self, name: str, seconds: float, block: float, cpu: float) -> None:
        """One sample: the time until idle, the longest block, the GUI thread's CPU time."""
        entry = self.results.setdefault(name, {"samples": [], "blocks": [], "cpus": []})
        entry["samples"].append(seconds)
        entry["blocks"].append(block)
        entry["cpus"].append(cpu)

    def need(self, path: str) -> Any:
        """``window.<path>``, or a clear message that the window has no such control."""
        found: Any = self.window
        for part in path.split("."):
            if not hasattr(found, part):
                raise BenchmarkError(f"the window has no '{path}' (no '{part}'): the UI "
                                     "changed; update benchmarks/window.py")
            found = getattr(found, part)
        return found

    def show_tab(self, attribute: str) -> None:
        self.need("tabs").setCurrentWidget(self.need(attribute))
        self.idle()

    # --- the actions --------------------------------------------------------------------
    def start_up(self) -> None:
        """Open the database and show the window, until it is idle; the last one stays."""
        from lakarrond.store import open_database
        from lakarrond.ui.main_window import MainWindow

        for _ in range(self.repeat):
            if self.window is not None:
                self.close()
            self.settings.remove("window/tab_name")  # every start on Veckan
            self.settings.sync()
            with self.profiled("startup"):
                start, cpu = time.perf_counter(), time.thread_time()
                self.db = open_database(str(self.path))
                self.window = MainWindow(self.db, year=YEAR, settings=self.settings)
                self._answer_dialogs()
                self.window.resize(1400, 900)
                self.window.show()
                self.window.activateWindow()
                self.idle()
                end = time.perf_counter()
            self.record("startup", end - start, self.ticks.longest(start, end),
                        time.thread_time() - cpu)
            self.after_start = self.after_start or self.memory()["rss_mb"]

    def cold_start(self) -> None:
        """A new process (the program as started: Python, imports, the database, the window)
        until its window is idle; the child says when (``--cold-start``)."""
        command = [sys.executable, "-m", "benchmarks.window", "--cold-start", str(self.path)]
        for _ in range(self.repeat):
            start, cpu = time.perf_counter(), _children_cpu()
            with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as child:
                assert child.stdout is not None
                line = child.stdout.readline()
                end = time.perf_counter()
            if not line.startswith("{"):
                raise BenchmarkError("the window in a new process did not start")
            self.record("startup_cold", end - start, json.loads(line)["block"],
                        _children_cpu() - cpu)  # every thread of the child, to its exit

    def _answer_dialogs(self) -> None:
        ctx = self.window.ctx
        ctx.fixed_today = TODAY

        def answer(dialog: Any) -> bool:
            self.marks["answered"] = time.perf_counter()
            self.marks["answered_cpu"] = time.thread_time()
            if hasattr(dialog, "reason"):
                dialog.reason.setCurrentIndex(0)
            return True

        ctx.exec_dialog = answer
        ctx.confirm = lambda *_args, **_kw: True
        ctx.show_error = lambda message, *_args: self.errors.append(str(message))

    def close(self) -> None:
        from PySide6.QtCore import QEvent

        self.window.wait_for_workers()
        self.window.close()
        self.window.deleteLater()
        self.window = None
        self.app.processEvents()
        # deleteLater is carried out by an event loop (exec); the benchmark has none, so
        # the closed window is deleted here, as the program's loop would (else every
        # start-up's window stays alive and the memory figure counts them all)
        self.app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
        self.db.dispose()

    def week_steps(self) -> None:
        from PySide6.QtCore import QDate

        self.show_tab("week_view")
        controller, edit = self.need("week"), self.need("week_view.date_edit")
        picked = TODAY + timedelta(weeks=5, days=2)
        for _ in range(self.repeat):
            self.timed("week_next", self.need("week_view.next_button").click)
            self.need("week_view.prev_button").click()
            self.timed("week_pick_date",
                       lambda: edit.setDate(QDate(picked.year, picked.month, picked.day)))
            if controller.monday > picked or controller.monday + timedelta(days=6) < picked:
                raise BenchmarkError("picking a date in Veckan did not show its week")
            self.need("week_view.today_button").click()
            self.idle()

    def search(self, word: str) -> None:
        from PySide6.QtTest import QTest

        self.show_tab("patients_view")
        box = self.need("patients_view.panel.search")
        for _ in range(self.repeat):
            box.clear()
            self.timed("search_key", lambda: QTest.keyClicks(box, word[0]))
            box.clear()
            self.timed("search_word", lambda: QTest.keyClicks(box, word))
            if box.text() != word:
                raise BenchmarkError(f"the search box holds {box.text()!r}, not {word!r}")
            box.clear()
            self.idle()

    def tab_switches(self) -> None:
        tabs = self.need("tabs")
        order = [*range(1, tabs.count()), 0]  # from Veckan through every tab and back
        for _ in range(self.repeat):
            tabs.setCurrentIndex(0)
            for index in order:
                self.timed(f"tab {tabs.tabText(index)}", functools.partial(
                    tabs.setCurrentIndex, index))

    def _week_reviews(self) -> Iterator[tuple[Any, Any]]:
        from PySide6.QtCore import QModelIndex

        model = self.need("week_view.tree_model")
        stack = [QModelIndex()]
        while stack:
            parent = stack.pop()
            for row in range(model.rowCount(parent)):
                index = model.index(row, 0, parent)
                stack.append(index)
                found = model.review_at(index) if hasattr(model, "review_at") else None
                if found is not None:
                    yield index, found

    def _select_review(self, fits: Callable[[Any], bool], step: int) -> Any:
        """Select one ÅMV of Veckan that ``fits``, stepping weeks by ``step`` from this
        week until one is found."""
        from PySide6.QtCore import QItemSelectionModel

        self.show_tab("week_view")
        controller = self.need("week")
        controller.this_week()
        self.idle()
        for _ in range(26):
            for index, found in self._week_reviews():
                review = getattr(found, "review", found)
                if fits(review):
                    tree = self.need("week_view.tree")
                    tree.selectionModel().select(
                        index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows)
                    self.idle()
                    return review
            controller.go(controller.monday + timedelta(weeks=step))
            self.idle()
        raise BenchmarkError("no ÅMV to act on in Veckan within 26 weeks")

    def outcome_and_undo(self) -> None:
        """Genomförd in Veckan; then Patienter and Årsplan shown for the first time after
        it (a tab may catch up on the change when shown); back in Veckan, Ctrl+Z."""
        undo, tabs = self.need("undo_action"), self.need("tabs")
        for _ in range(self.repeat):
            self._select_review(lambda r: r.status == "Planerad" and r.date < TODAY, -1)
            self.timed("done", self.need("week_view.done_button").click)
            for view in ("patients_view", "plan_view"):
                self.timed(f"changed_tab {tabs.tabText(tabs.indexOf(self.need(view)))}",
                           functools.partial(tabs.setCurrentWidget, self.need(view)))
            self.show_tab("week_view")
            self.timed("undo", undo.trigger)

    def tick(self) -> None:
        for _ in range(self.repeat):
            self._select_review(lambda r: r.status == "Planerad" and r.date >= TODAY, 1)
            actions = self.need("week_view.step_actions")
            if not actions:
                raise BenchmarkError("Veckan has no preparation step to tick")
            before = self.need("undo_stack").index()
            self.timed("tick", actions[0].trigger)
            if self.need("undo_stack").index() != before + 1:
                raise BenchmarkError("the tick of a preparation step did not change anything")
            self.need("undo_action").trigger()
            self.idle()

    def replan(self) -> None:
        """Planera (a re-plan from today) answered "Spara planen" at once: the longest
        stall while planning, the save until idle and its longest blocking."""
        plan = self.need("plan")
        self.show_tab("plan_view")
        for _ in range(self.repeat):
            self.marks.clear()
            with self.profiled("replan"):
                start, cpu = time.perf_counter(), time.thread_time()
                if not plan.start(time_limit=self.plan_limit):
                    raise BenchmarkError("Planera did not start")
                self.idle()
                end = time.perf_counter()
            answered = self.marks.get("answered")
            if answered is None:
                raise BenchmarkError("the re-plan was saved without its preview (Spara planen)")
            mid = self.marks["answered_cpu"]
            self.record("planning", answered - start, self.ticks.longest(start, answered),
                        mid - cpu)  # the GUI thread's share only
            self.record("save_replan", end - answered, self.ticks.longest(answered, end),
                        time.thread_time() - mid)

    def memory(self) -> dict[str, float]:
        """Peak RSS (getrusage; VmHWM when larger) and current RSS (VmRSS), in MB."""
        status = {line.split(":")[0]: int(line.split()[1]) for line in
                  Path("/proc/self/status").read_text().splitlines()
                  if line.startswith(("VmRSS:", "VmHWM:"))}
        peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, status["VmHWM"])
        return {"peak_rss_mb": round(peak / 1024, 1),  # kB on Linux
                "rss_mb": round(status["VmRSS"] / 1024, 1)}


def measure(store: Path, repeat: int = 3, plan_limit: float = 60.0, word: str = "Ber",
            profile: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Every action on a window over a copy of ``store``: medians, samples, memory."""
    before = os.environ.get("LAKARROND_TODAY")
    os.environ["LAKARROND_TODAY"] = TODAY.isoformat()
    driver = Driver(store, repeat, plan_limit, profile)
    try:
        driver.cold_start()
        driver.start_up()
        driver.week_steps()
        driver.search(word)
        driver.tab_switches()
        driver.outcome_and_undo()
        driver.tick()
        driver.replan()
        counts = _counts(driver.window)
        memory = {**driver.memory(), "rss_after_start_mb": driver.after_start}
    finally:
        if driver.window is not None:
            driver.close()
        shutil.rmtree(driver.folder, ignore_errors=True)
        driver.ticks.timer.stop()
        if before is None:
            os.environ.pop("LAKARROND_TODAY")
        else:
            os.environ["LAKARROND_TODAY"] = before
    actions = {name: {"median": statistics.median(e["samples"]),
                      "block": statistics.median(e["blocks"]),
                      "cpu": statistics.median(e["cpus"]), **e}
               for name, e in driver.results.items()}
    profiles = {"profiles": driver.profiles} if driver.profiles else {}
    return {"actions": actions, "memory": memory, **counts, **profiles}


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _counts(window: Any) -> dict[str, int]:
    doc = window.ctx.document
    return {"patients": window.patients_view.model.rowCount(),
            "doctors": window.doctors_view.doctor_model.rowCount(),
            "reviews": len(doc.reviews) if doc is not None else 0}


# --- the command ---------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=SCALES)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=101)
    parser.add_argument("--size", type=float, default=1.0,
                        help="the municipality's size (1.0: about 450 patients)")
    parser.add_argument("--plan-limit", type=float, default=60.0,
                        help="the planner's time limit in seconds (build and re-plan)")
    parser.add_argument("--word", default="Ber", help="the word typed in Patienter's search")
    parser.add_argument("--cache", type=Path,
                        default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
                        / "lakarrond-benchmarks")
    parser.add_argument("--json", action="store_true", help="JSON instead of the table")
    parser.add_argument("--offscreen", action="store_true",
                        help="QT_QPA_PLATFORM=offscreen (default: xcb, a real window)")
    parser.add_argument("--profile", default="", help="actions to profile, comma-separated "
                        "(startup, done, undo, tick, replan, search_word, …); their "
                        "timings are then not figures")
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cold-start", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if args.offscreen else "xcb")
    if args.offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["LAKARROND_TODAY"] = TODAY.isoformat()
    common = ["--repeat", str(args.repeat), "--seed", str(args.seed), "--size",
              str(args.size), "--plan-limit", str(args.plan_limit), "--word", args.word,
              "--profile", args.profile,
              "--cache", str(args.cache)]
    if args.cold_start:  # the child of Driver.cold_start: start, say so, leave at once
        driver = Driver(Path(args.cold_start), 1, args.plan_limit)
        driver.start_up()
        print(json.dumps({"block": driver.results["startup"]["blocks"][0]}), flush=True)
        os._exit(0)
    if args.build:  # a process of its own: the building's memory is not the window's
        assert args.only is not None
        build_store(args.cache, args.only, args.seed, args.size, args.plan_limit)
        return 0
    scales = [args.only] if args.only is not None else list(SCALES)
    results: dict[str, Any] = {}
    for scale in scales:
        size = args.size if scale == "municipality" else 1.0
        if not store_path(args.cache, scale, args.seed, size).exists():
            print(f"building the {scale} (seed {args.seed}) …", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "benchmarks.window", "--build", "--only",
                            scale, *common], cwd=ROOT, check=True)
        if len(scales) == 1:
            store = store_path(args.cache, scale, args.seed, size)
            results[scale] = measure(store, args.repeat, args.plan_limit, args.word,
                                     frozenset(filter(None, args.profile.split(","))))
        else:  # each scale in a process of its own (its memory is its own)
            print(f"measuring the {scale} …", file=sys.stderr)
            out = subprocess.run([sys.executable, "-m", "benchmarks.window", "--json",
                                  "--only", scale, *common], cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout
            results[scale] = json.loads(out)["results"][scale]
    report = {"machine": machine(), "seed": args.seed, "repeat": args.repeat,
              "results": results}
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
    else:
        m = report["machine"]
        print(f"{m['date']}, commit {m['commit']}, {m['platform']}, seed {args.seed}, "
              f"median of {args.repeat}; load: {m['uptime']}\n")
        print(markdown(results))
        for scale, result in results.items():
            for name, text in result.get("profiles", {}).items():
                print(f"\n## {scale}: {name}\n\n```\n{text.strip()}\n```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
