"""Undoable edits: each QUndoCommand's redo/undo calls a service, each in its own
transaction (the service audits it). The first redo is skipped because the window already
applied the change before pushing the command (so a failure never enters the stack).

A failing undo/redo (say, another user changed the patient meanwhile) is reported in an
error dialog and makes the command obsolete, so the stack drops it instead of pretending.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QUndoCommand

from lakarrond.errors import UserError
from lakarrond.services import doctors as doctor_service
from lakarrond.services import patients as patient_service
from lakarrond.services import preparation as preparation_service
from lakarrond.services import suggest as suggest_service
from lakarrond.services import units as unit_service
from lakarrond.services import visits as visit_service
from lakarrond.services import whatif as whatif_service
from lakarrond.store import ConflictError
from lakarrond.ui.context import ALL, DOCTORS, PATIENTS, PLAN, PREPARATION, UNITS, AppContext

Ctx = AppContext


class ServiceCommand(QUndoCommand):
    kind = PATIENTS

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
        except UserError as exc:
            self.setObsolete(True)
            self.ctx.notify(self.kind)
            self.ctx.show_error(str(exc))
            return
        self.ctx.notify(self.kind)

    def do_redo(self) -> None:
        raise NotImplementedError

    def do_undo(self) -> None:
        raise NotImplementedError


class EditPatient(ServiceCommand):
    """Undo/redo check that the patient still has the values this command left (else
    someone else changed it meanwhile: conflict)."""

    def __init__(self, ctx: Ctx, patient_id: int, before: patient_service.PatientData,
                 after: patient_service.PatientData, version: int, text: str) -> None:
        super().__init__(ctx, text)
        self.patient_id, self.before, self.after = patient_id, before, after

    def _swap(self, expected: patient_service.PatientData,
              new: patient_service.PatientData) -> None:
        current = patient_service.get_patient(self.ctx.db, self.patient_id)
        if current.data != expected:
            raise ConflictError("patienten")
        patient_service.update_patient(self.ctx.db, self.patient_id, new, current.version)

    def do_undo(self) -> None:
        self._swap(self.after, self.before)

    def do_redo(self) -> None:
        self._swap(self.before, self.after)


class AddPatient(ServiceCommand):
    def __init__(self, ctx: Ctx, row: patient_service.PatientRow) -> None:
        super().__init__(ctx, f"Lägg till {row.data.name}")
        self.patient_id, self.data = row.id, row.data

    def do_undo(self) -> None:
        current = patient_service.get_patient(self.ctx.db, self.patient_id)
        if current.data != self.data:
            raise ConflictError("patienten")
        patient_service.delete_patient(self.ctx.db, self.patient_id, current.version)

    def do_redo(self) -> None:
        patient_service.restore_patient(self.ctx.db, self.patient_id, self.data)


class EditUnit(ServiceCommand):
    kind = UNITS

    def __init__(self, ctx: Ctx, unit_id: int, before: unit_service.UnitData,
                 after: unit_service.UnitData, version: int, text: str) -> None:
        super().__init__(ctx, text)
        self.unit_id, self.before, self.after = unit_id, before, after

    def _swap(self, expected: unit_service.UnitData, new: unit_service.UnitData) -> None:
        current = next((u for u in unit_service.list_units(self.ctx.db)
                        if u.id == self.unit_id), None)
        if current is None or current.data != expected:
            raise ConflictError("enheten")
        unit_service.update_unit(self.ctx.db, self.unit_id, new, current.version)

    def do_undo(self) -> None:
        self._swap(self.after, self.before)

    def do_redo(self) -> None:
        self._swap(self.before, self.after)


class AddUnit(ServiceCommand):
    kind = UNITS

    def __init__(self, ctx: Ctx, row: unit_service.UnitRow) -> None:
        super().__init__(ctx, f"Lägg till enheten {row.data.name}")
        self.unit_id, self.data = row.id, row.data

    def do_undo(self) -> None:
        unit_service.delete_unit(self.ctx.db, self.unit_id)

    def do_redo(self) -> None:
        self.unit_id = unit_service.create_unit(self.ctx.db, self.data).id


class SetVisit(ServiceCommand):
    kind = PLAN

    def __init__(self, ctx: Ctx, visit_id: int, before: tuple[date, str],
                 after: tuple[date, str], version: int, text: str) -> None:
        super().__init__(ctx, text)
        self.visit_id, self.before, self.after = visit_id, before, after

    def _swap(self, expected: tuple[date, str], new: tuple[date, str]) -> None:
        current = visit_service.get_visit(self.ctx.db, self.visit_id)
        if (current.date, current.status) != expected:
            raise ConflictError("besöket")
        visit_service.set_visit(self.ctx.db, self.visit_id, *new,
                                  expected_version=current.version)

    def do_undo(self) -> None:
        self._swap(self.after, self.before)

    def do_redo(self) -> None:
        self._swap(self.before, self.after)


class AddAbsence(ServiceCommand):
    kind = DOCTORS

    def __init__(self, ctx: Ctx, absence_id: int, data: doctor_service.AbsenceData) -> None:
        super().__init__(ctx, "Lägg till frånvaro")
        self.absence_id, self.data = absence_id, data

    def do_undo(self) -> None:
        doctor_service.delete_absence(self.ctx.db, self.absence_id)

    def do_redo(self) -> None:
        self.absence_id = doctor_service.add_absence(self.ctx.db, self.data)


class DeleteAbsence(ServiceCommand):
    kind = DOCTORS

    def __init__(self, ctx: Ctx, absence_id: int, data: doctor_service.AbsenceData) -> None:
        super().__init__(ctx, "Ta bort frånvaro")
        self.absence_id, self.data = absence_id, data

    def do_undo(self) -> None:
        self.absence_id = doctor_service.add_absence(self.ctx.db, self.data)

    def do_redo(self) -> None:
        doctor_service.delete_absence(self.ctx.db, self.absence_id)


class RecordOutcomes(ServiceCommand):
    """Outcomes (Genomförd, Avböjd, Inställd, Låst, Planerad) of several ÅMV as one step."""

    kind = PLAN

    def __init__(self, ctx: Ctx, changes: list[visit_service.VisitChange], text: str) -> None:
        super().__init__(ctx, text)
        self.changes = changes

    def do_undo(self) -> None:
        visit_service.restore_visits(self.ctx.db, [(c.visit_id, c.after, c.before)
                                                   for c in self.changes])

    def do_redo(self) -> None:
        visit_service.restore_visits(self.ctx.db, [(c.visit_id, c.before, c.after)
                                                   for c in self.changes])


class TickStep(ServiceCommand):
    """A preparation step ticked or unticked: undo puts back the tick before (done date and
    who included), redo the one the undo replaced. Each change is audited by the service."""

    kind = PREPARATION

    def __init__(self, ctx: Ctx, patient_id: int, review_date: date, step: str,
                 before: preparation_service.Tick | None, text: str) -> None:
        super().__init__(ctx, text)
        self.key = (patient_id, review_date, step)
        self.before = before
        self.after: preparation_service.Tick | None = None

    def do_undo(self) -> None:
        self.after = preparation_service.restore_tick(self.ctx.db, *self.key, self.before)

    def do_redo(self) -> None:
        preparation_service.restore_tick(self.ctx.db, *self.key, self.after)


class BookVisit(ServiceCommand):
    """Booking one suggested date (undo: the ÅMV it made goes, or the moved one goes back)."""

    kind = PLAN

    def __init__(self, ctx: Ctx, patient_id: int, booking: suggest_service.Booking,
                 text: str) -> None:
        super().__init__(ctx, text)
        self.patient_id, self.booking = patient_id, booking

    def do_undo(self) -> None:
        suggest_service.unbook(self.ctx.db, self.booking)

    def do_redo(self) -> None:
        self.booking = suggest_service.book(self.ctx.db, self.patient_id,
                                            self.booking.after.date)


class ApplyFix(ServiceCommand):
    """A tried fix and the plan made with it, as one step (undo removes both)."""

    kind = ALL

    def __init__(self, ctx: Ctx, whatif: whatif_service.WhatIf,
                 applied: whatif_service.AppliedFix, text: str) -> None:
        super().__init__(ctx, text)
        self.whatif, self.applied = whatif, applied

    def do_undo(self) -> None:
        whatif_service.undo_whatif(self.ctx.db, self.applied)

    def do_redo(self) -> None:
        self.applied = whatif_service.use_whatif(self.ctx.db, self.whatif, check_stale=False)
