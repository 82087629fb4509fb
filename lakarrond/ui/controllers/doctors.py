"""Läkare: ÅMV days and capacity of a doctor, absences (frånvaro)."""

from __future__ import annotations

from PySide6.QtCore import QObject

from lakarrond.services import doctors as doctor_service
from lakarrond.services.doctors import AbsenceData
from lakarrond.ui import undo
from lakarrond.ui.context import DOCTORS, AppContext
from lakarrond.ui.dialogs.doctor import AbsenceDialog, DoctorDialog
from lakarrond.ui.views.doctors import DoctorsView


class DoctorController(QObject):
    def __init__(self, ctx: AppContext, view: DoctorsView) -> None:
        super().__init__(ctx)
        self.ctx, self.view = ctx, view
        view.edit_button.clicked.connect(self.edit)
        view.doctors.activated.connect(lambda row: self.edit())
        view.add_absence_button.clicked.connect(lambda: self.add_absence())
        view.delete_absence_button.clicked.connect(self.delete_absence)

    def reload(self) -> None:
        self.view.doctors.set_rows(doctor_service.list_doctors(self.ctx.db))
        self.view.absences.set_rows(doctor_service.list_absences(self.ctx.db))

    def edit(self) -> None:
        row = self.view.doctors.current()
        if row is None:
            return
        dialog = DoctorDialog(row, self.ctx.window)
        if self.ctx.exec_dialog(dialog):
            days, per_day = dialog.value()
            self.ctx.call(lambda: doctor_service.update_doctor(self.ctx.db, row.id, days,
                                                               per_day))
            self.ctx.notify(DOCTORS)

    def add_absence(self, data: AbsenceData | None = None) -> int | None:
        if data is None:
            current = self.view.doctors.current()
            dialog = AbsenceDialog(doctor_service.list_doctors(self.ctx.db),
                                   current.id if current else None, self.ctx.window)
            if not self.ctx.exec_dialog(dialog):
                return None
            data = dialog.data()
        chosen = data
        absence_id = self.ctx.call(lambda: doctor_service.add_absence(self.ctx.db, chosen))
        if absence_id is None:
            return None
        self.ctx.undo_stack.push(undo.AddAbsence(self.ctx, absence_id, chosen))
        self.ctx.notify(DOCTORS)
        return absence_id

    def delete_absence(self) -> None:
        row = self.view.absences.current()
        if row is None or not self.ctx.confirm(
                f"Ta bort frånvaron för {row.doctor} {row.data.start}–{row.data.end}?"):
            return
        data = self.ctx.call(lambda: doctor_service.delete_absence(self.ctx.db, row.id))
        if data is not None:
            self.ctx.undo_stack.push(undo.DeleteAbsence(self.ctx, row.id, data))
        self.ctx.notify(DOCTORS)
