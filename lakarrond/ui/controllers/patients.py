"""Patienter: add, edit, discharge, mark deceased, move, exclude and delete patients.

A form the service refuses (a duplicate personnummer, say) opens again with what the user
typed and the Swedish reason, so no edit is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial

from PySide6.QtCore import QObject, Signal

from lakarrond.services import doctors as doctor_service
from lakarrond.services import patients as patient_service
from lakarrond.services import units as unit_service
from lakarrond.services.patients import PatientData, PatientRow
from lakarrond.ui import undo
from lakarrond.ui.context import PATIENTS, AppContext
from lakarrond.ui.controllers.forms import save_through_form
from lakarrond.ui.dialogs.patient import ChoiceDialog, DischargeDialog, PatientDialog
from lakarrond.ui.views.patients import PatientsView
from solver.problem import PatientStatus

Change = Callable[[PatientData], PatientData | None]


PATIENTS_JOB = "read patients"


class PatientController(QObject):
    show_visit_requested = Signal(int)  # patient id
    added = Signal(int)  # a new patient (from the form): offer dates for the ÅMV
    suggest_requested = Signal(int)  # "Föreslå datum …"
    loaded = Signal()  # the list is shown (after a read on the job runner too)

    def __init__(self, ctx: AppContext, view: PatientsView) -> None:
        super().__init__(ctx)
        self._reads = 0  # the latest read's number: only its answer is shown
        self.ctx, self.view = ctx, view
        v = view
        v.add_button.clicked.connect(lambda: self.add())
        v.edit_button.clicked.connect(lambda: self._with_current(self.edit))
        v.discharge_button.clicked.connect(lambda: self._with_current(self.discharge))
        v.deceased_button.clicked.connect(
            lambda: self._with_current(lambda pid: self.discharge(pid, deceased=True)))
        v.move_button.clicked.connect(lambda: self._with_current(self.move))
        v.exclude_button.clicked.connect(lambda: self._with_current(self.exclude))
        v.delete_button.clicked.connect(lambda: self._with_current(self.delete))
        v.visit_button.clicked.connect(
            lambda: self._with_current(self.show_visit_requested.emit))
        v.suggest_button.clicked.connect(
            lambda: self._with_current(self.suggest_requested.emit))
        v.panel.activated.connect(lambda row: self.edit(row.id))

    def _with_current(self, fn: Callable[[int], object]) -> None:
        row = self.view.panel.current()
        if row is not None:
            fn(row.id)

    def reload(self, fit: bool = True, background: bool = False) -> None:
        """Read the list again (with each patient's next ÅMV in the year's plan), keeping
        the chosen patient chosen. Without ``fit`` the filters and column widths stay (quick:
        after an outcome or a preparation tick only the next ÅMV and its marking change).
        With ``background`` the list is read on the job runner (start-up, "Läs in igen")
        and shown when it arrives, unless a later read came first."""
        self._reads += 1
        token = self._reads
        if background:
            def arrived(rows: list[PatientRow]) -> None:
                if token == self._reads:  # a later read came first: this one is old
                    self._show(rows, fit)

            self.ctx.run(PATIENTS_JOB, partial(patient_service.list_patients, self.ctx.db,
                                               self.ctx.year, self.ctx.today()),
                         on_done=arrived)
            return
        self._show(patient_service.list_patients(self.ctx.db, self.ctx.year,
                                                 self.ctx.today()), fit)

    def update_rows(self, patient_ids: frozenset[int]) -> None:
        """Read only these patients again (their next ÅMV changed: an outcome, a move) and
        replace their rows in place (no reset: the sorting, search, selection and scroll
        stay); a full read when a row is not in the list (issue 17)."""
        if not patient_ids:
            return
        self._reads += 1  # a full read still on its way would be older than this
        rows = patient_service.list_patients(self.ctx.db, self.ctx.year, self.ctx.today(),
                                             only=patient_ids)
        model = self.view.panel.model
        places = {model.row_at(i).id: i for i in range(model.rowCount())
                  if model.row_at(i).id in patient_ids}
        if len(rows) != len(patient_ids) or set(places) != patient_ids:
            self._show(patient_service.list_patients(self.ctx.db, self.ctx.year,
                                                     self.ctx.today()), fit=False)
            return
        for row in rows:
            model.replace_row(places[row.id], row)
        self.loaded.emit()

    def _show(self, rows: list[PatientRow], fit: bool) -> None:
        current = self.view.panel.current()
        if fit:
            self.view.panel.set_rows(rows)
        else:
            self.view.panel.model.set_rows(rows)
        if current is not None:
            self.view.panel.select_where(lambda r: r.id == current.id)
        self.loaded.emit()

    def _form(self, data: PatientData | None, error: str = "") -> PatientData | None:
        dialog = PatientDialog(unit_service.list_units(self.ctx.db), data,
                               parent=self.ctx.window,
                               doctors=doctor_service.list_doctors(self.ctx.db))
        if error:
            dialog.errors.setText(error)
            dialog.errors.show()
        return dialog.data() if self.ctx.exec_dialog(dialog) else None

    def add(self, data: PatientData | None = None) -> int | None:
        """Add a patient (from the form, or ``data``); the form opens again with what was
        typed when the service refuses it. Offers dates for the ÅMV afterwards."""
        from_form = data is None
        row = save_through_form(
            self.ctx, data or self._form(None),
            lambda typed: patient_service.create_patient(self.ctx.db, typed, self.ctx.today()),
            (lambda typed, error: self._form(typed, error)) if from_form else None)
        if row is None:
            return None
        self.ctx.undo_stack.push(undo.AddPatient(self.ctx, row))
        self.ctx.notify(PATIENTS)
        new_id = row.id
        self.view.panel.select_where(lambda r: r.id == new_id)
        self.ctx.status(f"{row.data.name} är tillagd.", 5000)
        self._tell_raised(row)
        if from_form:
            self.added.emit(new_id)
        return new_id

    def _save(self, patient_id: int, change: Change, text: str) -> bool:
        current = self.ctx.call(lambda: patient_service.get_patient(self.ctx.db, patient_id))
        if current is None:
            return False
        new = change(current.data)
        if new is None or new == current.data:
            return False
        saved = self.ctx.call(lambda: patient_service.update_patient(
            self.ctx.db, patient_id, new, current.version, self.ctx.today()))
        return self._saved(patient_id, current, saved, text)

    def _saved(self, patient_id: int, before: PatientRow, saved: PatientRow | None,
               text: str) -> bool:
        """An edit that was saved: one undo step, the lists told, the row chosen."""
        if saved is None:
            return False
        self.ctx.undo_stack.push(undo.EditPatient(
            self.ctx, patient_id, before.data, saved.data, saved.version,
            f"{text} {saved.data.name}"))
        self.ctx.notify(PATIENTS)
        self.view.panel.select_where(lambda r: r.id == patient_id)
        self._tell_raised(saved)
        return True

    def _tell_raised(self, row: PatientRow) -> None:
        """The matters the save raised (move-in assessment, Brytpunktsamtal): never silent."""
        if row.raised:
            self.ctx.show_info("\n".join(row.raised), "Ärenden från programmet")

    def edit(self, patient_id: int, data: PatientData | None = None) -> bool:
        if data is not None:
            return self._save(patient_id, lambda _old: data, "Ändra")
        current = self.ctx.call(lambda: patient_service.get_patient(self.ctx.db, patient_id))
        if current is None:
            return False
        typed = self._form(current.data)
        if typed is None or typed == current.data:
            return False
        saved = save_through_form(
            self.ctx, typed,
            lambda t: patient_service.update_patient(self.ctx.db, patient_id, t,
                                                     current.version, self.ctx.today()),
            lambda t, error: self._form(t, error))
        return self._saved(patient_id, current, saved, "Ändra")

    def discharge(self, patient_id: int, day: date | None = None,
                  deceased: bool = False) -> bool:
        status = PatientStatus.DECEASED if deceased else PatientStatus.DISCHARGED

        def change(old: PatientData) -> PatientData | None:
            chosen = day
            if chosen is None:
                dialog = DischargeDialog(old.name, deceased, old.admitted,
                                         parent=self.ctx.window, today=self.ctx.today())
                if not self.ctx.exec_dialog(dialog):
                    return None
                chosen = dialog.value()
            return replace(old, status=status.value, end_date=chosen)

        return self._save(patient_id, change, "Avliden:" if deceased else "Skriv ut")

    def move(self, patient_id: int, unit_id: int | None = None) -> bool:
        def change(old: PatientData) -> PatientData | None:
            chosen = unit_id
            if chosen is None:
                units = unit_service.list_units(self.ctx.db)
                dialog = ChoiceDialog("Flytta patient", "Till enhet",
                                      [(u.name, u.id) for u in units if u.id != old.unit_id],
                                      parent=self.ctx.window)
                if not self.ctx.exec_dialog(dialog):
                    return None
                value = dialog.value()
                if not isinstance(value, int):
                    return None
                chosen = value
            return replace(old, unit_id=chosen)

        return self._save(patient_id, change, "Flytta")

    def exclude(self, patient_id: int, reason: str | None = None) -> bool:
        def change(old: PatientData) -> PatientData | None:
            chosen = reason
            if chosen is None:
                dialog = ChoiceDialog(
                    "Undanta från planen", "Orsak (tomt = planeras igen)",
                    [(old.excluded or "växelvård", None), ("", None)], editable=True,
                    parent=self.ctx.window)
                if not self.ctx.exec_dialog(dialog):
                    return None
                chosen = str(dialog.value())
            return replace(old, excluded=chosen)

        return self._save(patient_id, change, "Undanta")

    def delete(self, patient_id: int) -> bool:
        row = self.ctx.call(lambda: patient_service.get_patient(self.ctx.db, patient_id))
        if row is None:
            return False
        if not self.ctx.confirm(f"Ta bort {row.name} och alla patientens ÅMV ur databasen?\n"
                                "Vill du bara avsluta vården, använd Skriv ut eller Avliden."):
            return False

        def delete() -> bool:
            patient_service.delete_patient(self.ctx.db, patient_id, row.version)
            return True

        done = self.ctx.call(delete)
        if not done:
            return False
        self.ctx.undo_stack.clear()  # a deleted patient's ÅMV history cannot be undone
        self.ctx.notify(PATIENTS)
        return True
