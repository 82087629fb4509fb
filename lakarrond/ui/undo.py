"""Undoable edits: each QUndoCommand's redo/undo calls a service, each in its own
transaction (the service audits it). The first redo is skipped because the window already
applied the change before pushing the command (so a failure never enters the stack).

A failing undo/redo (say, another user changed the patient meanwhile) is reported through
``Ctx.on_error`` and makes the command obsolete, so the stack drops it instead of pretending.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtGui import QUndoCommand

from lakarrond.services import doctors as doctor_service
from lakarrond.services import patients as patient_service
from lakarrond.services import units as unit_service
from lakarrond.services.errors import ServiceError
from lakarrond.store import Database
from lakarrond.store.errors import StoreError


@dataclass
class Ctx:
    """What commands need: the database and the window's callbacks."""

    db: Database
    on_changed: Callable[[str], None]  # "patients", "units", "doctors", "plan"
    on_error: Callable[[str], None]


class ServiceCommand(QUndoCommand):
    kind = "patients"

    def __init__(self, ctx: Ctx, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self._applied = True  # the window applied the change before pushing

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._run(self.do_redo)

    def undo(self) -> None:
        self._run(self.do_undo)

    def _run(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except (ServiceError, StoreError) as exc:
            self.setObsolete(True)
            self.ctx.on_changed(self.kind)
            self.ctx.on_error(str(exc))
            return
        self.ctx.on_changed(self.kind)

    def do_redo(self) -> None:
        raise NotImplementedError

    def do_undo(self) -> None:
        raise NotImplementedError


class EditPatient(ServiceCommand):
    def __init__(self, ctx: Ctx, patient_id: int, before: patient_service.PatientData,
                 after: patient_service.PatientData, version: int, text: str) -> None:
        super().__init__(ctx, text)
        self.patient_id, self.before, self.after, self.version = (
            patient_id, before, after, version)

    def do_undo(self) -> None:
        row = patient_service.update_patient(self.ctx.db, self.patient_id, self.before,
                                             self.version)
        self.version = row.version

    def do_redo(self) -> None:
        row = patient_service.update_patient(self.ctx.db, self.patient_id, self.after,
                                             self.version)
        self.version = row.version


class AddPatient(ServiceCommand):
    def __init__(self, ctx: Ctx, row: patient_service.PatientRow) -> None:
        super().__init__(ctx, f"Lägg till {row.data.name}")
        self.patient_id, self.data, self.version = row.id, row.data, row.version

    def do_undo(self) -> None:
        patient_service.delete_patient(self.ctx.db, self.patient_id, self.version)

    def do_redo(self) -> None:
        row = patient_service.restore_patient(self.ctx.db, self.patient_id, self.data)
        self.version = row.version


class EditUnit(ServiceCommand):
    kind = "units"

    def __init__(self, ctx: Ctx, unit_id: int, before: unit_service.UnitData,
                 after: unit_service.UnitData, version: int, text: str) -> None:
        super().__init__(ctx, text)
        self.unit_id, self.before, self.after, self.version = unit_id, before, after, version

    def do_undo(self) -> None:
        self.version = unit_service.update_unit(self.ctx.db, self.unit_id, self.before,
                                                self.version).version

    def do_redo(self) -> None:
        self.version = unit_service.update_unit(self.ctx.db, self.unit_id, self.after,
                                                self.version).version


class AddUnit(ServiceCommand):
    kind = "units"

    def __init__(self, ctx: Ctx, row: unit_service.UnitRow) -> None:
        super().__init__(ctx, f"Lägg till enheten {row.data.name}")
        self.unit_id, self.data = row.id, row.data

    def do_undo(self) -> None:
        unit_service.delete_unit(self.ctx.db, self.unit_id)

    def do_redo(self) -> None:
        self.unit_id = unit_service.create_unit(self.ctx.db, self.data).id


class SetVisit(ServiceCommand):
    kind = "plan"

    def __init__(self, ctx: Ctx, visit_id: int, before: tuple[date, str],
                 after: tuple[date, str], version: int, text: str) -> None:
        super().__init__(ctx, text)
        self.visit_id, self.before, self.after, self.version = visit_id, before, after, version

    def do_undo(self) -> None:
        self.version = patient_service.set_visit(self.ctx.db, self.visit_id, *self.before,
                                                 expected_version=self.version).version

    def do_redo(self) -> None:
        self.version = patient_service.set_visit(self.ctx.db, self.visit_id, *self.after,
                                                 expected_version=self.version).version


class AddAbsence(ServiceCommand):
    kind = "doctors"

    def __init__(self, ctx: Ctx, absence_id: int, data: doctor_service.AbsenceData) -> None:
        super().__init__(ctx, "Lägg till frånvaro")
        self.absence_id, self.data = absence_id, data

    def do_undo(self) -> None:
        doctor_service.delete_absence(self.ctx.db, self.absence_id)

    def do_redo(self) -> None:
        self.absence_id = doctor_service.add_absence(self.ctx.db, self.data)


class DeleteAbsence(ServiceCommand):
    kind = "doctors"

    def __init__(self, ctx: Ctx, absence_id: int, data: doctor_service.AbsenceData) -> None:
        super().__init__(ctx, "Ta bort frånvaro")
        self.absence_id, self.data = absence_id, data

    def do_undo(self) -> None:
        self.absence_id = doctor_service.add_absence(self.ctx.db, self.data)

    def do_redo(self) -> None:
        doctor_service.delete_absence(self.ctx.db, self.absence_id)
