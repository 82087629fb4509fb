"""Veckan for one doctor: a chooser (Alla läkare, each health centre, each doctor; remembered)
filters the tree and the week's printout."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtPrintSupport import QPrintPreviewDialog
from sqlalchemy import select

from lakarrond.services.doctors import DoctorData, create_doctor
from lakarrond.store import models as m
from lakarrond.ui.main_window import MainWindow
from lakarrond.ui.views.week import ALL_DOCTORS

TIMEOUT_MS = 60_000
TODAY = date(2027, 3, 22)


def _doctors_in_tree(window) -> list[str]:  # type: ignore[no-untyped-def]
    tree = window.week_view.tree_model
    return [tree.node(tree.index(r, 0)).item.doctor for r in range(tree.rowCount())]


def _ready(qtbot, window, ui_db):  # type: ignore[no-untyped-def]
    """A second doctor with a weekly round on Mondays, then the plan, living on TODAY."""
    create_doctor(ui_db, DoctorData("Bo Lund", "Vårdcentralen Norr", (0,)))
    with ui_db.begin() as s:
        bo = s.scalars(select(m.Doctor).where(m.Doctor.name == "Bo Lund")).one()
        s.add(m.Unit(name="Ekhagen", type="SÄBO", doctor=bo, rhythm_kind="Varje vecka",
                     weekdays="0", start_time=time(9, 0), length_min=60, form="Fysisk",
                     reviews_per_round=2))
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    window.ctx.fixed_today = TODAY
    window.reload()
    window.week.this_week()


def _prints(db) -> list[m.AuditLog]:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        rows = s.scalars(select(m.AuditLog).where(m.AuditLog.action == "print")
                         .order_by(m.AuditLog.id)).all()
        s.expunge_all()
    return list(rows)


def test_the_week_for_one_doctor_is_chosen_shown_printed_and_remembered(
        qtbot, window, ui_db, settings):
    _ready(qtbot, window, ui_db)
    combo = window.week_view.doctor_combo
    assert [combo.itemText(i) for i in range(combo.count()) if combo.itemText(i)] == [
        ALL_DOCTORS, "Vårdcentralen Norr – alla läkare", "Vårdcentralen Test – alla läkare",
        "Anna Berg", "Bo Lund"]
    assert _doctors_in_tree(window) == ["Anna Berg", "Bo Lund"]
    combo.setCurrentText("Bo Lund")
    assert _doctors_in_tree(window) == ["Bo Lund"]
    assert settings.value("week/doctor") == "Bo Lund"
    window.week.next_week()  # another week keeps the choice
    assert _doctors_in_tree(window) == ["Bo Lund"]
    # the printout is the chosen doctor's page
    seen = []
    window.ctx.exec_dialog = lambda d: seen.append(d) or True  # type: ignore[func-returns-value]
    assert window.week.print_week()
    assert isinstance(seen[0], QPrintPreviewDialog)
    assert _prints(ui_db)[-1].after["doctor"] == "Bo Lund"
    menu = window.week_view.print_button.menu()
    menu.aboutToShow.emit()
    labels = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert labels[:2] == ["Bo Lund (vald i Veckan) …", "Alla läkare (en sida per läkare) …"]
    # remembered by the next window
    again = MainWindow(ui_db, year=2027, settings=settings)
    qtbot.addWidget(again)
    assert again.week_view.chosen_doctor() == "Bo Lund"
    again.close()


def test_all_doctors_shows_every_doctor(qtbot, window, ui_db, settings):
    _ready(qtbot, window, ui_db)
    window.week_view.doctor_combo.setCurrentText("Anna Berg")
    window.week_view.doctor_combo.setCurrentText(ALL_DOCTORS)
    assert _doctors_in_tree(window) == ["Anna Berg", "Bo Lund"]
    assert settings.value("week/doctor") == ""
    seen = []
    window.ctx.exec_dialog = lambda d: seen.append(d) or True  # type: ignore[func-returns-value]
    assert window.week.print_week()
    assert _prints(window.db)[-1].after.get("doctor") in (None, "")
