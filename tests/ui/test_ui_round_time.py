"""Round time in the window (issue 21.1, R5b): the unit form warns before saving when the
ÅMV and "Övrig tid" do not fit in the round or the doctor's rounds overlap (saving is still
allowed), has "Övrig tid (min)", and Avvikelser lists the plan's round-time warnings with
the cause and what to do."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from lakarrond.services import doctors as doctor_service
from lakarrond.services import units as unit_service
from lakarrond.ui.dialogs.unit import UnitDialog

TIMEOUT_MS = 60_000


def _unit(db, name):  # type: ignore[no-untyped-def]
    return next(u for u in unit_service.list_units(db) if u.name == name)


def _dialog(qtbot, db, name):  # type: ignore[no-untyped-def]
    row = _unit(db, name)
    dialog = UnitDialog(db, doctor_service.list_doctors(db), row.data, row.patients,
                        preview_from=date(2027, 3, 1), unit_id=row.id)
    qtbot.addWidget(dialog)
    return dialog


def test_a_unit_that_fits_shows_no_round_time_warning(qtbot, ui_db):
    dialog = _dialog(qtbot, ui_db, "Bäckliden")  # 2 × 30 min in 120 min, alone on Tuesdays
    assert dialog.warning.isHidden() and dialog.warning.text() == ""


def test_the_form_warns_when_the_reviews_do_not_fit_and_still_saves(qtbot, window, ui_db):
    row = _unit(ui_db, "Bäckliden")
    seen: list[str] = []

    def too_many(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, UnitDialog)
        dialog.length.setValue(60)
        dialog.per_round.setValue(5)
        seen.append(dialog.warning.text())
        assert not dialog.warning.isHidden()
        dialog.other_minutes.setValue(15)
        seen.append(dialog.warning.text())
        dialog.accept()  # a warning, not an error: the form closes
        return dialog.result() == 1

    window.ctx.exec_dialog = too_many
    assert window.units.edit(row.id)
    assert "Sänk ÅMV per rond till 2 eller förläng ronden till 150 min" in seen[0]
    assert "övrig tid 15 min = 165 min" in seen[1] and "ÅMV per rond till 1" in seen[1]
    saved = _unit(ui_db, "Bäckliden").data
    assert (saved.length_min, saved.reviews_per_round, saved.other_minutes) == (60, 5, 15)


def test_the_form_warns_of_an_overlap_naming_both_units(qtbot, ui_db):
    dialog = _dialog(qtbot, ui_db, "Bäckliden")
    dialog.days[1].setChecked(False)  # Tuesday → Monday 08:00, onto Ekbacken's 08:30 round
    dialog.days[0].setChecked(True)
    dialog.start.setTime(dialog.start.time().fromString("08:00", "HH:mm"))
    text = dialog.warning.text()
    assert "Anna Berg har två ronder samtidigt på måndagar" in text
    assert "Bäckliden 08:00–10:00" in text and "Ekbacken 08:30–09:30" in text
    dialog.start.setTime(dialog.start.time().fromString("10:00", "HH:mm"))  # after it: none
    assert dialog.warning.isHidden()


def test_avvikelser_lists_the_round_time_warning_with_what_to_do(qtbot, window, ui_db):
    row = _unit(ui_db, "Bäckliden")
    unit_service.update_unit(ui_db, row.id, replace(row.data, length_min=60,
                                                    reviews_per_round=5))
    window.tabs.setCurrentWidget(window.plan_view)
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        window.plan.start(time_limit=5.0, show_dialog=False)
    model = window.plan_view.violations.model
    causes = [model.cause_at(model.index(r, 0)) for r in range(model.rowCount())]
    [cause] = [c for c in causes if c.key.startswith("time:")]
    assert cause.title == "ÅMV och övrig tid ryms inte i ronden" and cause.where == "Bäckliden"
    assert cause.fix == "Sänk ÅMV per rond till 2 eller förläng ronden till 150 min"
    assert "60 min (09:00–10:00)" in cause.violations[0].message
    assert cause.action is None  # done by the nurse in the unit form
    assert cause.summary == "varning" and cause.patients == 0
    tabs = window.plan_view.tabs
    assert "Avvikelser (" in tabs.tabText(tabs.indexOf(window.plan_view.violations))
