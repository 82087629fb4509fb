"""Plain Swedish for people: no solver words and no rule ids in what the window, the paper and
the Excel export show (they stay in the command line and the JSON), and singular/plural right.

Two checks: every string literal of the modules that make user-facing text (the window, the
printouts, the Excel writers, the grouped causes) – the "strings table" of this program – and
the texts a real window shows after planning a year with broken rules."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QTabWidget, QTextBrowser

import lakarrond
from lakarrond.services.patients import PatientData, create_patient
from lakarrond.services.units import list_units

ROOT = Path(lakarrond.__file__).parent
SCANNED = [*sorted((ROOT / "ui").rglob("*.py")), ROOT / "printouts.py", ROOT / "causes.py",
           ROOT / "io" / "print_html.py", ROOT / "io" / "excel_export.py",
           ROOT / "io" / "moves_export.py", ROOT / "io" / "ics.py",
           ROOT / "io" / "census_export.py", ROOT / "census.py"]
FORBIDDEN = re.compile(
    r"\b(OPTIMAL|FEASIBLE|INFEASIBLE|CV|objective|Målvärde|Lösare|Lösarstatus|"
    r"R(?:[1-9]|1[01]))\b")
PLURAL_SLIPS = re.compile(r"\b1 (patienter|enheter|veckor|dagar|månader|ronder|orsaker)\b")


def _texts(path: Path) -> list[tuple[int, str]]:
    """String literals of a module, docstrings and ``# noqa``-free code only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings):
            found.append((node.lineno, node.value))
    return found


def test_no_solver_words_or_rule_ids_in_the_strings_of_the_window_and_the_paper():
    bad = [f"{path.relative_to(ROOT)}:{line}: {text!r}" for path in SCANNED
           for line, text in _texts(path) if FORBIDDEN.search(text)]
    assert not bad, "\n".join(bad)


def _visible_texts(window) -> list[str]:  # type: ignore[no-untyped-def]
    texts = [window.windowTitle(), window.plan_label.text(), window.db_label.text()]
    for label in window.findChildren(QLabel):
        texts.append(label.text())
    for button in window.findChildren(QAbstractButton):
        texts.append(button.text())
    for tabs in window.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    for browser in window.findChildren(QTextBrowser):
        texts.append(browser.toPlainText())
    for action in window.findChildren(type(window.plan_action)):
        texts.append(action.text())
    views = [window.plan_view.visit_model, window.plan_view.follow_up_model,
             window.plan_view.violations.model, window.patients_view.model,
             window.units_view.model, window.rounds_view.model]
    for model in views:
        for column in range(model.columnCount()):
            texts.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
        for row in range(min(model.rowCount(), 60)):
            for column in range(model.columnCount()):
                texts.append(str(model.index(row, column).data() or ""))
    return texts


def test_the_window_speaks_plain_swedish_after_planning(qtbot, window, ui_db):
    unit = next(u for u in list_units(ui_db) if u.name == "Bäckliden")
    for i in range(12):  # a full unit: broken rules to show
        create_patient(ui_db, PatientData(name=f"Ny Nummer{i}", unit_id=unit.id,
                                          admitted=date(2027, 9, 6)))
    with qtbot.waitSignal(window.plan.plan_finished, timeout=60_000):
        window.plan.start(time_limit=5.0, show_dialog=False)
    window.reload()
    assert window.ctx.document.violations  # there is something to explain
    texts = _visible_texts(window)
    bad = [t for t in texts if FORBIDDEN.search(t)]
    assert not bad, bad
    slips = [t for t in texts if PLURAL_SLIPS.search(t)]
    assert not slips, slips
    assert any("Bästa möjliga plan" in t or "inte bevisat bäst" in t for t in texts)



NURSE_UNFRIENDLY = re.compile(r"tidsfönst|fönstren|förfalln|\bh/v\b|Brutna", re.IGNORECASE)


def test_the_window_uses_the_words_nurses_use():
    """"Brutna tidsfönster", "Dagar utanför fönstren", "Försenade (förfallna …)", "Läkartid
    h/v" are not what a nurse says: the window and lakarrond/wording.py say "ÅMV utanför
    tidsgränsen", "dagar för sent totalt", "läkartimmar per vecka"."""
    scanned = [*sorted((ROOT / "ui").rglob("*.py")), ROOT / "wording.py"]
    bad = [f"{path.relative_to(ROOT)}:{line}: {text!r}" for path in scanned
           for line, text in _texts(path) if NURSE_UNFRIENDLY.search(text)]
    assert not bad, "\n".join(bad)


def test_a_peak_above_the_lowest_possible_says_why():
    from lakarrond.wording import peak_note

    assert peak_note(3, 3, "OPTIMAL") == ""
    assert peak_note(5, 3, "OPTIMAL") == (
        "toppen 5 mot lägsta möjliga 3: rondtillfällena och patienternas tidsgränser räcker "
        "inte för jämnare")
    assert "kanske" in peak_note(5, 3, "FEASIBLE")


def _measured(peak: int, bound: int):  # type: ignore[no-untyped-def]
    from lakarrond.document import PlanDocument, PlanMeasures, SolverFigures
    from solver.problem import Settings

    return PlanDocument(year=2027, version=1, settings=Settings(year=2027),
                        solver=SolverFigures("OPTIMAL", 0.0, 0.0, 0.5), reviews=(),
                        measures=PlanMeasures(peak_week={"Anna Berg": peak},
                                              peak_week_bound={"Anna Berg": bound}))


def test_the_measures_say_why_a_doctors_peak_is_above_the_lowest_possible():
    from lakarrond.ui.views.measures import measures_html

    html = measures_html(_measured(5, 3))
    assert "Bästa möjliga plan" in html and "toppen 5 mot lägsta möjliga 3" in html
    assert "toppen" not in measures_html(_measured(3, 3))
