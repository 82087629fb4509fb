"""Läkare: add, edit, retire and reactivate doctors; add, edit and delete absences
(frånvaro). Every change is undoable; a refused form opens again with what was typed."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QObject

from lakarrond.services import doctors as doctor_service
from lakarrond.services.doctor_time import doctors_with_doctor_time
from lakarrond.services.doctors import AbsenceData, AbsenceRow, DoctorData, DoctorRow
from lakarrond.ui import undo
from lakarrond.ui.context import DOCTORS, AppContext
from lakarrond.ui.controllers.forms import save_through_form
from lakarrond.ui.dialogs.doctor import AbsenceDialog, DoctorDialog, RetireDialog
from lakarrond.ui.views.doctors import DoctorsView

DOCTORS_JOB = "read doctor time of the doctors"


class DoctorController(QObject):
    def __init__(self, ctx: AppContext, view: DoctorsView) -> None:
        super().__init__(ctx)
        self._reads = 0  # reads of the list made: a job's answer is shown if it is the last
        self.ctx, self.view = ctx, view
        view.add_button.clicked.connect(lambda: self.add())
        view.edit_button.clicked.connect(lambda: self.edit())
        view.doctors.activated.connect(lambda row: self.edit(row.id))
        view.retire_button.clicked.connect(lambda: self.retire())
        view.reactivate_button.clicked.connect(lambda: self.reactivate())
        view.show_retired.toggled.connect(lambda _on: self.reload())
        view.add_absence_button.clicked.connect(lambda: self.add_absence())
        view.edit_absence_button.clicked.connect(lambda: self.edit_absence())
        view.absences.activated.connect(lambda row: self.edit_absence(row.id))
        view.delete_absence_button.clicked.connect(lambda: self.delete_absence())

    def reload(self, background: bool = False) -> None:
        """Read the doctors with their doctor time and the absences; with ``background``
        the doctor time later (:meth:`read_doctor_time`, as Enheter's)."""
        include = self.view.show_retired.isChecked()
        self.view.absences.set_rows(doctor_service.list_absences(self.ctx.db))
        self._reads += 1  # a doctor time on its way from before this is older: dropped
        if not background:
            self._show(doctors_with_doctor_time(self.ctx.db, self.ctx.year,
                                                include_retired=include))
        elif not self.view.doctor_model.rowCount():
            self._show(doctor_service.list_doctors(self.ctx.db, include_retired=include))

    def read_doctor_time(self) -> None:
        """The doctors with their doctor time read on the job runner."""
        include = self.view.show_retired.isChecked()
        self._reads += 1
        self.ctx.run(DOCTORS_JOB, partial(doctors_with_doctor_time, self.ctx.db, self.ctx.year,
                                          include_retired=include),
                     on_done=partial(self._answer, self._reads))

    def _answer(self, read: int, rows: list[DoctorRow]) -> None:
        if read == self._reads:  # else a newer read was made since
            self._show(rows)

    def _show(self, rows: list[DoctorRow]) -> None:
        chosen = self.view.current_doctor()
        self.view.doctors.set_rows(rows)
        if chosen is not None:
            self.select(chosen.id)

    def select(self, doctor_id: int) -> None:
        self.view.doctors.select_where(lambda r: r.id == doctor_id)

    # --- looking up -----------------------------------------------------------------------
    def _doctor(self, doctor_id: int | None) -> DoctorRow | None:
        """The doctor ``doctor_id`` (the selected one when None), read again."""
        if doctor_id is None:
            current = self.view.current_doctor()
            if current is None:
                return None
            doctor_id = current.id
        found = next((d for d in doctor_service.list_doctors(self.ctx.db) if d.id == doctor_id),
                     None)
        if found is None:
            self.ctx.show_error("Läkaren finns inte längre – läs in igen.")
        return found

    def _absence(self, absence_id: int | None) -> AbsenceRow | None:
        if absence_id is None:
            current = self.view.absences.current()
            if not isinstance(current, AbsenceRow):
                return None
            absence_id = current.id
        found = next((a for a in doctor_service.list_absences(self.ctx.db)
                      if a.id == absence_id), None)
        if found is None:
            self.ctx.show_error("Frånvaron finns inte längre – läs in igen.")
        return found

    def _centres(self) -> list[str]:
        return sorted({d.health_centre for d in doctor_service.list_doctors(self.ctx.db)
                       if d.health_centre})

    # --- doctors --------------------------------------------------------------------------
    def _doctor_form(self, data: DoctorData, title: str, error: str = "") -> DoctorData | None:
        dialog = DoctorDialog(data, self._centres(), title, self.ctx.window)
        if error:
            dialog.show_errors(error)
        return dialog.data() if self.ctx.exec_dialog(dialog) else None

    def add(self, data: DoctorData | None = None) -> int | None:
        """A new doctor (the form when ``data`` is None); returns the id."""
        title = "Ny läkare"
        reopen = None if data is not None else (
            lambda t, e: self._doctor_form(t, title, e))
        typed = data or self._doctor_form(
            doctor_service.new_doctor_data(self.ctx.db, self.ctx.year), title)
        row = save_through_form(self.ctx, typed,
                                lambda t: doctor_service.create_doctor(self.ctx.db, t), reopen)
        if row is None:
            return None
        self.ctx.undo_stack.push(undo.AddDoctor(self.ctx, row))
        self.ctx.notify(DOCTORS)
        self.select(row.id)
        self.ctx.status(f"{row.name} är tillagd.", 5000)
        return row.id

    def edit(self, doctor_id: int | None = None, data: DoctorData | None = None) -> bool:
        """Change name, health centre, ÅMV days and ÅMV per day (the form when ``data`` is
        None)."""
        row = self._doctor(doctor_id)
        if row is None:
            return False
        title = f"Redigera {row.name}"
        reopen = None if data is not None else (
            lambda t, e: self._doctor_form(t, title, e))
        typed = data or self._doctor_form(row.data, title)
        if typed is None or typed == row.data:
            return False
        before = save_through_form(
            self.ctx, typed,
            lambda t: doctor_service.edit_doctor(self.ctx.db, row.id, t, row.version), reopen)
        if before is None:
            return False
        after = self._doctor(row.id)
        if after is not None:
            self.ctx.undo_stack.push(undo.EditDoctor(self.ctx, row.id, before, after.data,
                                                     f"Ändra läkaren {after.name}"))
        self.ctx.notify(DOCTORS)
        self.select(row.id)
        return True

    def retire(self, doctor_id: int | None = None, on: date | None = None) -> bool:
        """The doctor stops from ``on`` (asked when None); refused with the reason while
        units still have the doctor."""
        row = self._doctor(doctor_id)
        if row is None:
            return False
        if row.retired_on is not None:
            self.ctx.show_info(f"{row.name} är redan avslutad ({row.retired_on.isoformat()}).")
            return False
        if on is None:
            dialog = RetireDialog(row.name, max(self.ctx.today(), date(self.ctx.year, 1, 1)),
                                  self.ctx.window)
            if not self.ctx.exec_dialog(dialog):
                return False
            on = dialog.value()
        day = on
        done, error = self.ctx.try_call(
            lambda: (doctor_service.retire_doctor(self.ctx.db, row.id, day),))
        if done is None:
            if error:
                self.ctx.show_error(error, "Läkaren kan inte avslutas")
            return False
        self.ctx.undo_stack.push(undo.RetireDoctor(self.ctx, row.id, done[0], day,
                                                   f"Avsluta läkaren {row.name}"))
        self.ctx.notify(DOCTORS)
        self.ctx.status(f"{row.name} är avslutad från {day.isoformat()}.", 8000)
        return True

    def reactivate(self, doctor_id: int | None = None) -> bool:
        row = self._doctor(doctor_id)
        if row is None or row.retired_on is None:
            return False
        done = self.ctx.call(lambda: (doctor_service.reactivate_doctor(self.ctx.db, row.id),))
        if done is None:
            return False
        self.ctx.undo_stack.push(undo.RetireDoctor(self.ctx, row.id, done[0], None,
                                                   f"Återaktivera läkaren {row.name}"))
        self.ctx.notify(DOCTORS)
        self.select(row.id)
        return True

    # --- absences -------------------------------------------------------------------------
    def _absence_form(self, data: AbsenceData | None, error: str = "") -> AbsenceData | None:
        doctors = doctor_service.list_doctors(self.ctx.db)
        keep = data.doctor_id if data is not None else None
        choices = [d for d in doctors if not d.retired or d.id == keep]
        current = self.view.current_doctor()
        dialog = AbsenceDialog(choices, current.id if current else None, self.ctx.window,
                               data=data)
        if error:
            dialog.show_errors(error)
        return dialog.data() if self.ctx.exec_dialog(dialog) else None

    def add_absence(self, data: AbsenceData | None = None) -> int | None:
        reopen = None if data is not None else (lambda t, e: self._absence_form(t, e))
        typed = data or self._absence_form(None)
        absence_id = save_through_form(
            self.ctx, typed, lambda t: doctor_service.add_absence(self.ctx.db, t), reopen)
        if absence_id is None or typed is None:
            return None
        saved = next(a for a in doctor_service.list_absences(self.ctx.db) if a.id == absence_id)
        self.ctx.undo_stack.push(undo.AddAbsence(self.ctx, absence_id, saved.data))
        self.ctx.notify(DOCTORS)
        return absence_id

    def edit_absence(self, absence_id: int | None = None,
                     data: AbsenceData | None = None) -> bool:
        """Change an absence: days, reason, the substitute and whether the substitute holds
        the ÅMV those days."""
        row = self._absence(absence_id)
        if row is None:
            return False
        reopen = None if data is not None else (lambda t, e: self._absence_form(t, e))
        typed = data or self._absence_form(row.data)
        if typed is None or typed == row.data:
            return False
        before = save_through_form(
            self.ctx, typed,
            lambda t: doctor_service.update_absence(self.ctx.db, row.id, t, row.version),
            reopen)
        if before is None:
            return False
        after = self._absence(row.id)
        if after is not None:
            self.ctx.undo_stack.push(undo.EditAbsence(self.ctx, row.id, before, after.data))
        self.ctx.notify(DOCTORS)
        self.view.absences.select_where(lambda r: r.id == row.id)
        return True

    def delete_absence(self, absence_id: int | None = None) -> bool:
        row = self._absence(absence_id)
        if row is None or not self.ctx.confirm(
                f"Ta bort frånvaron för {row.doctor} {row.data.start}–{row.data.end}?"):
            return False
        data = self.ctx.call(lambda: doctor_service.delete_absence(self.ctx.db, row.id))
        if data is not None:
            self.ctx.undo_stack.push(undo.DeleteAbsence(self.ctx, row.id, data))
        self.ctx.notify(DOCTORS)
        return data is not None
