"""Doctor time against the agreement in the window (issue 18 point 4): Enheter and Läkare
show hours per week and "Läkartid/10 pat." from services.doctor_time, pink below the floor
of Inställningar ("Läkartid minst"), which the settings dialog edits."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from lakarrond.services.settings import get_settings, save_settings
from lakarrond.ui.context import PlanChange
from lakarrond.ui.dialogs.settings import SettingsDialog
from lakarrond.ui.models.store_models import WARN_BG, DoctorModel, UnitModel
from lakarrond.wording import DOCTOR_TIME_PER_10

YEAR = 2027


def _cell(model, name, column, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
    row = next(i for i, r in enumerate(model.rows()) if r.name == name)
    return model.index(row, column).data(role)


def _pink(model, name, column) -> bool:  # type: ignore[no-untyped-def]
    brush = _cell(model, name, column, Qt.ItemDataRole.BackgroundRole)
    return brush is not None and brush.color() == WARN_BG


def test_units_and_doctors_show_doctor_time_and_flag_below_the_floor(window, ui_db):
    units, doctors = window.units_view.model, window.doctors_view.doctor_model
    per_10 = UnitModel.PER_10_COLUMN
    assert units.headerData(per_10, Qt.Orientation.Horizontal) == DOCTOR_TIME_PER_10
    assert doctors.headerData(DoctorModel.PER_10_COLUMN,
                              Qt.Orientation.Horizontal) == DOCTOR_TIME_PER_10
    # Tallen (LSS): 22 rounds of 60 min in 52 weeks for 2 patients: 2,1 per 10
    assert _cell(units, "Tallen", per_10) == "2,1"
    assert _cell(units, "Ekbacken", per_10) == ""  # no patients: no figure
    assert not _pink(units, "Tallen", per_10)  # over the default floor 1,0
    assert _cell(doctors, "Anna Berg", DoctorModel.PER_10_COLUMN) != ""

    save_settings(ui_db, YEAR, replace(get_settings(ui_db, YEAR), doctor_hours_per_10=2.5))
    window.units.reload()
    window.doctors.reload()
    assert _pink(units, "Tallen", per_10)  # under the raised floor
    assert "Läkartid under avtalet: Tallen 2,1" in _cell(units, "Tallen", per_10,
                                                        Qt.ItemDataRole.ToolTipRole)
    assert not _pink(units, "Bäckliden", per_10)  # 3,0: over it


def test_the_settings_dialog_edits_the_floor(qtbot, ui_db):
    values = (get_settings(ui_db, YEAR), [])
    dialog = SettingsDialog(YEAR, values)
    qtbot.addWidget(dialog)
    assert dialog.doctor_hours.value() == 1.0  # the default: 1 hour per 10 patients a week
    assert dialog.data().doctor_hours_per_10 == 1.0
    dialog.doctor_hours.setValue(1.5)
    assert dialog.data().doctor_hours_per_10 == 1.5


def test_after_a_new_plan_the_doctor_time_is_read_behind_when_enheter_is_shown(
        window, ui_db, qtbot):
    units, doctors = window.units_view.model, window.doctors_view.doctor_model
    per_10 = UnitModel.PER_10_COLUMN
    qtbot.waitUntil(lambda: not window.ctx.jobs.busy(), timeout=10_000)
    window.tabs.setCurrentWidget(window.week_view)
    save_settings(ui_db, YEAR, replace(get_settings(ui_db, YEAR), doctor_hours_per_10=2.5))
    document = window.ctx.document
    window.ctx.plan_changed.emit(PlanChange(YEAR, document, document))  # a new plan: everything
    qtbot.waitUntil(lambda: not window.ctx.jobs.busy(), timeout=10_000)
    assert not _pink(units, "Tallen", per_10)  # Enheter not shown: nothing read yet
    window.tabs.setCurrentWidget(window.units_view)
    assert not _pink(units, "Tallen", per_10)  # shown: the old figures until the new arrive
    qtbot.waitUntil(lambda: not window.ctx.jobs.busy(), timeout=10_000)
    assert _pink(units, "Tallen", per_10)  # read behind the window
    assert doctors.rows()[0].floor == 2.5  # Läkare too

    save_settings(ui_db, YEAR, replace(get_settings(ui_db, YEAR), doctor_hours_per_10=1.0))
    window.ctx.plan_changed.emit(PlanChange(YEAR, document, document, frozenset({1})))
    window.tabs.setCurrentWidget(window.week_view)
    window.tabs.setCurrentWidget(window.units_view)
    qtbot.waitUntil(lambda: not window.ctx.jobs.busy(), timeout=10_000)
    assert _pink(units, "Tallen", per_10)  # an outcome (some ÅMV) reads no doctor time again


def test_an_older_doctor_time_on_its_way_never_replaces_a_newer_list(window, qtbot):
    qtbot.waitUntil(lambda: not window.ctx.jobs.busy(), timeout=10_000)
    units, doctors = window.units_view.model, window.doctors_view.doctor_model
    window.units.read_doctor_time()
    window.doctors.read_doctor_time()
    window.units.reload()  # e.g. a unit saved: read at once, newer than the job's
    window.doctors.reload()
    shown = (units.rows()[0], doctors.rows()[0])
    qtbot.waitUntil(lambda: not window.ctx.jobs.busy(), timeout=10_000)
    assert (units.rows()[0], doctors.rows()[0]) == shown
    assert units.rows()[0] is shown[0] and doctors.rows()[0] is shown[1]  # the answers dropped

    window.units.read_doctor_time()  # the same without a newer read: the answer is shown
    qtbot.waitUntil(lambda: not window.ctx.jobs.busy(), timeout=10_000)
    assert units.rows()[0] is not shown[0]
