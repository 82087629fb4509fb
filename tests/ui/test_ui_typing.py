"""Dialogs that take typing (issue 20, point 2): every dialog of the window opens with the focus
in its first input (never on a button, where a typed space presses it), typing lands in that
field whole, Enter confirms, Escape cancels; an Avböjd or Inställd needs a reason."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QWidget,
)

import lakarrond.ui.dialogs as dialogs_package
from lakarrond.matter import MatterStatus
from lakarrond.services import doctors as doctor_service
from lakarrond.services import preparation as preparation_service
from lakarrond.services import settings as settings_service
from lakarrond.services import units as unit_service
from lakarrond.services import visits as visit_service
from lakarrond.services.fixes import Fix
from lakarrond.services.plan import make_plan
from lakarrond.services.suggest import suggest_dates
from lakarrond.services.whatif import Figures, WhatIf
from lakarrond.ui.dialogs.census import CensusDialog
from lakarrond.ui.dialogs.common import Dialog, FormDialog
from lakarrond.ui.dialogs.doctor import AbsenceDialog, DoctorDialog, RetireDialog
from lakarrond.ui.dialogs.export import ExportDialog
from lakarrond.ui.dialogs.matter import BookMatterDialog, RecordMatterDialog
from lakarrond.ui.dialogs.outcome import DayDoneDialog, OutcomeDialog
from lakarrond.ui.dialogs.patient import ChoiceDialog, DischargeDialog, PatientDialog
from lakarrond.ui.dialogs.plan import MoveVisitDialog, PlanProgressDialog
from lakarrond.ui.dialogs.printing import PrintDialog
from lakarrond.ui.dialogs.replan import ReplanDialog
from lakarrond.ui.dialogs.round_changes import RoundDateDialog
from lakarrond.ui.dialogs.settings import SettingsDialog
from lakarrond.ui.dialogs.suggest import SuggestDialog
from lakarrond.ui.dialogs.unit import UnitDialog
from lakarrond.ui.dialogs.whatif import WhatIfDialog
from lakarrond.ui.dialogs.year_follow_up import FollowUpDialog
from solver.problem import VisitStatus

TIMEOUT_MS = 60_000
YEAR = 2027
TODAY = date(2027, 3, 22)
TYPED = "Test Nyberg"
NO_INPUT = {PlanProgressDialog}  # only "Avbryt" while the planner runs: nothing to type


def _every_dialog_class() -> set[type]:
    found: set[type] = set()
    for info in pkgutil.iter_modules(dialogs_package.__path__):
        module = importlib.import_module(f"lakarrond.ui.dialogs.{info.name}")
        found |= {c for _n, c in inspect.getmembers(module, inspect.isclass)
                  if issubclass(c, QDialog) and c.__module__ == module.__name__}
    return found - {Dialog, FormDialog}


def _open(qtbot, dialog: QDialog) -> QWidget | None:  # type: ignore[no-untyped-def]
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return QApplication.focusWidget()


def _whatif() -> WhatIf:
    figures = Figures(unplaced=0, broken=0, late_overdue=0, days_late=0, doctors=())
    return WhatIf(fix=Fix("extra_round", unit="Bäckliden", day=date(YEAR, 5, 11)),
                  description="Lägg till en extra rond", current=figures, tried=figures,
                  draft=None, moves=(), new_breaks=())  # type: ignore[arg-type]


def _factories(window, tmp_path):  # type: ignore[no-untyped-def]
    """Each dialog of the window as its controller makes it, and where its focus must be:
    the name of its first field, or the kind of widget (a table of choices)."""
    db, doc = window.ctx.db, window.ctx.document
    units = unit_service.list_units(db)
    doctors = doctor_service.list_doctors(db)
    review = doc.reviews[0]
    visit = visit_service.get_visit(db, review.visit_id)
    values = (settings_service.get_settings(db, YEAR), preparation_service.steps(db, YEAR))
    draft = make_plan(db, YEAR, plan_from=TODAY, time_limit=2)
    found = suggest_dates(db, review.patient_id, YEAR, today=TODAY)
    unit = units[0]
    make: dict[type, tuple[Callable[[], QDialog], str | type]] = {
        PatientDialog: (lambda: PatientDialog(units), "name"),
        OutcomeDialog: (lambda: OutcomeDialog(VisitStatus.DECLINED, 1), "reason"),
        DayDoneDialog: (lambda: DayDoneDialog("Klart ett annat datum", "Provtagning",
                                              "Klart den", "Markera klart", TODAY), "day"),
        DischargeDialog: (lambda: DischargeDialog("Olof Lund", today=TODAY), "day"),
        ChoiceDialog: (lambda: ChoiceDialog("Undanta", "Orsak", [("växelvård", "v")],
                                            editable=True), "combo"),
        AbsenceDialog: (lambda: AbsenceDialog(doctors), "doctor"),
        DoctorDialog: (lambda: DoctorDialog(doctor_service.DoctorData(name=""), ["VC"]),
                       "name"),
        RetireDialog: (lambda: RetireDialog("Johan Ek", TODAY), "day"),
        RoundDateDialog: (lambda: RoundDateDialog(unit.data.name, "extra", TODAY), "day"),
        ExportDialog: (lambda: ExportDialog(doc, ".xlsx", tmp_path), "format"),
        PrintDialog: (lambda: PrintDialog(YEAR, doc.doctors, [u.data.name for u in units],
                                          today=TODAY), "doctor"),
        UnitDialog: (lambda: UnitDialog(db, doctors, unit.data, unit.patients), "name"),
        SettingsDialog: (lambda: SettingsDialog(YEAR, values), "year"),
        SuggestDialog: (lambda: SuggestDialog(found), QAbstractItemView),
        MoveVisitDialog: (lambda: MoveVisitDialog(
            visit, visit_service.allowed_dates(db, visit.id)), QAbstractItemView),
        ReplanDialog: (lambda: ReplanDialog(draft), QAbstractItemView),
        WhatIfDialog: (lambda: WhatIfDialog(_whatif()), QAbstractItemView),
        BookMatterDialog: (lambda: BookMatterDialog([u.data.name for u in units],
                                                    unit.data.name, TODAY, {}, {}), "kind"),
        RecordMatterDialog: (lambda: RecordMatterDialog(MatterStatus.STRUCK, "Avstämning"),
                             "reason"),
        FollowUpDialog: (lambda: FollowUpDialog(YEAR, lambda _y: None, lambda _s: None),
                         "year"),
        CensusDialog: (lambda: CensusDialog(TODAY), "since_edit"),
    }
    return make


def _takes_text(widget: QWidget) -> bool:
    return isinstance(widget, QLineEdit) or (isinstance(widget, QComboBox)
                                             and widget.isEditable())


def _text(widget: QWidget) -> str:
    return widget.text() if isinstance(widget, QLineEdit) else widget.currentText()


def test_every_dialog_opens_with_the_focus_in_its_first_input(qtbot, window, tmp_path):
    """One rule for all (``Dialog``): the focus in the first field, so typing "Test Nyberg"
    lands there whole and its space never presses Spara/Registrera."""
    window.ctx.fixed_today = TODAY
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    make = _factories(window, tmp_path)
    every = _every_dialog_class()
    assert set(make) | NO_INPUT == every  # a new dialog is added here too
    assert all(issubclass(c, Dialog) for c in every)
    wrong, typed = [], []
    for cls, (factory, where) in make.items():
        dialog = factory()
        focus = _open(qtbot, dialog)
        expected = getattr(dialog, where) if isinstance(where, str) else None
        good = (focus is expected if expected is not None
                else isinstance(focus, where))  # type: ignore[arg-type]
        if not good or isinstance(focus, QAbstractButton):
            wrong.append((cls.__name__, type(focus).__name__))
        if focus is not None and _takes_text(focus):
            _clear(focus)
            QTest.keyClicks(focus, TYPED)
            typed.append((cls.__name__, _text(focus), dialog.isVisible(), dialog.result()))
        dialog.close()
    assert wrong == []
    text_first = ["PatientDialog", "OutcomeDialog", "ChoiceDialog", "DoctorDialog",
                  "UnitDialog", "RecordMatterDialog"]
    assert typed == [(name, TYPED, True, 0) for name in text_first]


def _clear(widget: QWidget) -> None:
    if isinstance(widget, QLineEdit):
        widget.clear()
    else:
        widget.setEditText("")  # type: ignore[attr-defined]


def test_new_patient_takes_a_typed_name_and_enter_confirms(qtbot, ui_db):
    """The issue's case: in "Ny patient" the first letters and the space were lost to the
    Spara button ("Namn måste anges")."""
    units = unit_service.list_units(ui_db)
    dialog = PatientDialog(units)
    focus = _open(qtbot, dialog)
    QTest.keyClicks(focus, TYPED)
    assert dialog.isVisible() and dialog.name.text() == TYPED
    QTest.keyClick(focus, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.data().name == TYPED


def test_escape_cancels(qtbot, ui_db):
    dialog = PatientDialog(unit_service.list_units(ui_db))
    QTest.keyClicks(_open(qtbot, dialog), "Ann")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_a_reason_is_required_in_the_outcome_dialog(qtbot):
    """No reason: Registrera is disabled and Enter or a space registers nothing; a typed
    reason: Enter registers it."""
    dialog = OutcomeDialog(VisitStatus.CANCELLED, 2)
    focus = _open(qtbot, dialog)
    assert focus is dialog.reason and not dialog.ok_button.isEnabled()
    QTest.keyClick(focus, Qt.Key.Key_Space)
    QTest.keyClick(focus, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    dialog.accept()  # even called directly: an empty reason is refused
    assert dialog.isVisible() and dialog.result() == 0
    QTest.keyClicks(focus, "sjuk")
    assert dialog.ok_button.isEnabled()
    QTest.keyClick(focus, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.value() == "sjuk"


def test_a_reason_picked_from_the_list_is_enough(qtbot):
    dialog = OutcomeDialog(VisitStatus.DECLINED, 1)
    _open(qtbot, dialog)
    dialog.reason.setCurrentIndex(0)
    assert dialog.ok_button.isEnabled() and dialog.value() == "patienten tackade nej"
    dialog.close()
