"""Issue 18 points 2 and 3 in the window: "Mina steg" filters "Att göra nu" to one role's
steps (remembered), the checklist says who does each step, the patient form has "Bjud inte
in närstående" and the absence form the substitute's "Telefon"."""

from __future__ import annotations

from datetime import date

from lakarrond.matter import Role
from lakarrond.services import patients as patient_service
from lakarrond.services.doctors import AbsenceData
from lakarrond.services.patients import PatientData
from lakarrond.services.week_data import PREP_DUE, PREP_LATE, UNRECORDED
from lakarrond.ui.dialogs.doctor import AbsenceDialog
from lakarrond.ui.dialogs.patient import PatientDialog
from lakarrond.ui.views.week import ALL_ROLES, ALL_STEPS

TIMEOUT_MS = 60_000
TODAY = date(2027, 3, 22)


def _planned(qtbot, window):  # type: ignore[no-untyped-def]
    window.ctx.fixed_today = TODAY
    window.week.this_week()
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    return window.week


def test_mina_steg_shows_only_that_roles_steps_and_is_remembered(qtbot, window):
    week = _planned(qtbot, window)
    view = window.week_view
    every = view.todo_model.rows()
    assert {t.kind for t in every} >= {PREP_LATE, UNRECORDED}  # Alla: everything to do
    greta = next(t for t in every if t.patient == "Greta Ek")
    assert "Planeringsunderlag till läkaren (Ssk)" in greta.detail  # who does each step
    assert "Läkaren ordinerar provtagning (Läk)" in greta.detail

    view.role_combo.setCurrentText(Role.DOCTOR.value)
    mine = view.todo_model.rows()
    assert mine and {t.kind for t in mine} <= {PREP_LATE, PREP_DUE}
    assert all(t.detail == "Läkaren ordinerar provtagning (Läk)" for t in mine)
    assert window.ctx.settings.value("week/role") == "Läkare"
    view.role_combo.setCurrentText(Role.OCCUPATIONAL.value)
    assert all(t.detail == "Riskbedömning arbetsterapeut (AT)"
               for t in view.todo_model.rows())
    # Greta's late steps are the nurse's and the doctor's; her OT step is only due now
    assert next(t for t in view.todo_model.rows() if t.patient == "Greta Ek").kind == PREP_DUE
    week.reload()  # the week read again keeps the choice
    assert view.chosen_role() is Role.OCCUPATIONAL
    assert all("(AT)" in t.detail for t in view.todo_model.rows())

    view.role_combo.setCurrentText(ALL_ROLES)
    assert view.todo_model.rows() == every
    assert window.ctx.settings.value("week/role") == ""


def test_the_step_chooser_follows_mina_steg(qtbot, window):
    _planned(qtbot, window)
    view = window.week_view

    def steps() -> list[str]:
        return [view.step_combo.itemText(i) for i in range(view.step_combo.count())]

    assert len(steps()) == 1 + 11  # Alla steg and every step
    view.step_combo.setCurrentText("Provtagning")
    assert view.todo.search.text() == "Provtagning"
    view.role_combo.setCurrentText(Role.PHYSIO.value)
    assert steps() == [ALL_STEPS, "Riskbedömning fysioterapeut"]
    assert view.chosen_step() is None and view.todo.search.text() == ""  # not hers: cleared
    view.role_combo.setCurrentText(ALL_ROLES)
    assert len(steps()) == 12


def test_the_role_chosen_is_read_back_at_start(qtbot, window):
    window.ctx.settings.setValue("week/role", "Fysioterapeut")
    from lakarrond.ui.controllers.week import WeekController

    again = WeekController(window.ctx, window.week_view, lambda *_: False, lambda _p: False,
                           lambda _r: False)
    assert again.view.chosen_role() is Role.PHYSIO


def test_the_patient_form_keeps_do_not_invite_relatives(qtbot, ui_db):
    from lakarrond.services.units import list_units

    units = list_units(ui_db)
    data = PatientData(name="Ny Patient", unit_id=units[0].id, admitted=date(2027, 1, 4),
                       no_relatives=True)
    dialog = PatientDialog(units, data)
    qtbot.addWidget(dialog)
    assert dialog.no_relatives.isChecked() and dialog.data().no_relatives
    dialog.no_relatives.setChecked(False)
    assert not dialog.data().no_relatives
    saved = patient_service.create_patient(ui_db, data)
    assert patient_service.get_patient(ui_db, saved.id).data.no_relatives


def test_the_absence_form_has_the_substitutes_phone(qtbot):
    data = AbsenceData(doctor_id=1, start=date(2027, 7, 5), end=date(2027, 7, 9),
                       substitute="Per Holm", phone="070-123 45 67")
    dialog = AbsenceDialog([], data=data)
    qtbot.addWidget(dialog)
    assert dialog.phone.text() == "070-123 45 67" and dialog.data().phone == "070-123 45 67"
    dialog.phone.setText("ring växeln")
    assert any(e.startswith("Telefon: telefonnumret får bara") for e in dialog.check())
    dialog.phone.setText("")
    assert not any(e.startswith("Telefon") for e in dialog.check())


def test_att_gora_nu_shows_what_to_do_beside_the_patient(qapp):
    """Found walking the window: at 1560 px the step ("Vad") was off the right edge, the
    very column "Mina steg" is about."""
    from PySide6.QtCore import Qt

    from lakarrond.ui.models.week_lists import TodoModel

    model = TodoModel()
    headers = [model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
               for c in range(model.columnCount())]
    assert headers.index("Vad") == headers.index("Patient") + 1
    assert headers[TodoModel.KIND_COLUMN] == "Att göra"
