"""The patient form's named contacts (issue 18 point 1): "Läkare" (the unit's doctor or a
named one) and "Sjuksköterska" round-trip through the form and the store, and the Patienter
list shows the patient's doctor and nurse."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from sqlalchemy import select

from lakarrond.services import patients as patient_service
from lakarrond.services.doctors import list_doctors
from lakarrond.services.units import list_units
from lakarrond.store import models as m
from lakarrond.ui.dialogs.patient import PatientDialog
from lakarrond.ui.models.store_models import PatientModel


def _karin(db) -> int:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        karin = m.Doctor(name="Karin Ek", review_weekdays="4")
        s.add(karin)
        s.flush()
        return karin.id


def _karl(db) -> patient_service.PatientRow:  # type: ignore[no-untyped-def]
    return next(r for r in patient_service.list_patients(db) if r.name == "Karl Nilsson")


def test_the_form_offers_the_units_doctor_first_and_round_trips_a_named_one(qtbot, ui_db):
    karin = _karin(ui_db)
    karl = _karl(ui_db)
    dialog = PatientDialog(list_units(ui_db), karl.data, doctors=list_doctors(ui_db))
    qtbot.addWidget(dialog)
    assert dialog.doctor.itemText(0) == "Enhetens läkare (Anna Berg)"
    assert dialog.doctor.currentData() is None and dialog.data().doctor_id is None
    assert "Eva Syster" in dialog.nurse.placeholderText()
    offered = [dialog.doctor.itemText(i) for i in range(dialog.doctor.count())]
    assert offered == ["Enhetens läkare (Anna Berg)", "Karin Ek"]  # the unit's is first only
    dialog.doctor.setCurrentIndex(dialog.doctor.findData(karin))
    dialog.nurse.setText("Lisa Lind")
    saved = patient_service.update_patient(ui_db, karl.id, dialog.data(), karl.version)
    assert (saved.data.doctor_id, saved.doctor, saved.nurse) == (karin, "Karin Ek", "Lisa Lind")
    again = PatientDialog(list_units(ui_db), saved.data, doctors=list_doctors(ui_db))
    qtbot.addWidget(again)
    assert (again.doctor.currentText(), again.nurse.text()) == ("Karin Ek", "Lisa Lind")
    assert again.data().doctor_id == karin
    again.doctor.setCurrentIndex(0)  # back to the unit's doctor
    assert again.data().doctor_id is None


def test_the_list_shows_the_named_doctor_and_nurse(qtbot, ui_db):
    karin = _karin(ui_db)
    karl = _karl(ui_db)
    patient_service.update_patient(ui_db, karl.id,
                                   replace(karl.data, doctor_id=karin, nurse="Lisa Lind"))
    model = PatientModel()
    model.set_rows(patient_service.list_patients(ui_db))
    horizontal, display = Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole
    headers = [model.headerData(c, horizontal, display) for c in range(model.columnCount())]
    doctor, nurse = headers.index("Läkare"), headers.index("Sjuksköterska")
    rows = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    assert model.index(rows["Karl Nilsson"], doctor).data() == "Karin Ek"
    assert model.index(rows["Karl Nilsson"], nurse).data() == "Lisa Lind"
    assert model.index(rows["Greta Ek"], doctor).data() == "Anna Berg"
    assert model.index(rows["Greta Ek"], nurse).data() == "Eva Syster"
    with ui_db.read() as s:
        assert s.scalars(select(m.Patient.nurse).where(m.Patient.name == "Greta Ek")).one() == ""


def test_tab_goes_from_the_room_to_the_doctor_and_the_nurse(qtbot, ui_db):
    dialog = PatientDialog(list_units(ui_db), doctors=list_doctors(ui_db))
    qtbot.addWidget(dialog)

    def next_tab(widget):  # type: ignore[no-untyped-def]
        w = widget.nextInFocusChain()
        while not (w.focusPolicy() & Qt.FocusPolicy.TabFocus) or not w.isEnabled():
            w = w.nextInFocusChain()
        return w

    assert next_tab(dialog.room) is dialog.doctor
    assert next_tab(dialog.doctor) is dialog.nurse
    assert next_tab(dialog.nurse) is not dialog.room  # goes on to Inskriven
