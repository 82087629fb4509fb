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
from lakarrond.services import round_changes as round_change_service
from lakarrond.services import settings as settings_service
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
        self._run(self.do_redo, "Gjort om")

    def undo(self) -> None:
        self._run(self.do_undo, "Ångrat")

    def _run(self, fn: Callable[[], None], done: str) -> None:
        try:
            fn()
        except UserError as exc:
            self.setObsolete(True)
            self.ctx.notify(self.kind)
            self.ctx.status("")  # what the status bar said about the edit no longer holds
            self.ctx.show_error(str(exc))
            return
        self.changed()
        self.ctx.status(f"{done}: {self.text()}")  # never the edit's own "Klart: …" left

    def changed(self) -> None:
        """Tell the views what the undo/redo changed (by default: read ``kind`` again)."""
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
              new: patient_service.PatientData, undo: bool = False) -> None:
        current = patient_service.get_patient(self.ctx.db, self.patient_id)
        if current.data != expected:
            raise ConflictError("patienten")
        # undo/redo raise no matters (services.raised): the first save did; an undo is
        # audited as one (a move undone is not a move: services.census)
        patient_service.update_patient(self.ctx.db, self.patient_id, new, current.version,
                                       raise_matters=False, undo=undo)

    def do_undo(self) -> None:
        self._swap(self.after, self.before, undo=True)

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

    def changed(self) -> None:
        self.ctx.visits_changed([self.visit_id])  # the one ÅMV, in place


class AddAbsence(ServiceCommand):
    kind = DOCTORS

    def __init__(self, ctx: Ctx, absence_id: int, data: doctor_service.AbsenceData) -> None:
        super().__init__(ctx, "Lägg till frånvaro")
        self.absence_id, self.data = absence_id, data

    def do_undo(self) -> None:
        doctor_service.delete_absence(self.ctx.db, self.absence_id)

    def do_redo(self) -> None:
        doctor_service.add_absence(self.ctx.db, self.data, self.absence_id)


class DeleteAbsence(ServiceCommand):
    kind = DOCTORS

    def __init__(self, ctx: Ctx, absence_id: int, data: doctor_service.AbsenceData) -> None:
        super().__init__(ctx, "Ta bort frånvaro")
        self.absence_id, self.data = absence_id, data

    def do_undo(self) -> None:
        doctor_service.add_absence(self.ctx.db, self.data, self.absence_id)

    def do_redo(self) -> None:
        doctor_service.delete_absence(self.ctx.db, self.absence_id)


class RecordOutcomes(ServiceCommand):
    """Outcomes (Genomförd, Avböjd, Inställd, Låst, Planerad) of several ÅMV as one step."""

    kind = PLAN

    def __init__(self, ctx: Ctx, changes: list[visit_service.VisitChange], text: str) -> None:
        super().__init__(ctx, text)
        self.changes = changes

    def changed(self) -> None:
        self.ctx.visits_changed([c.visit_id for c in self.changes])  # those ÅMV, in place

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


class TickSteps(ServiceCommand):
    """One step ticked or unticked for several ÅMV at once (issue 20.1), as one undo step:
    undo puts back each ÅMV's tick before, redo the ticks the undo replaced; each in one
    transaction, audited per ÅMV by the service."""

    kind = PREPARATION

    def __init__(self, ctx: Ctx, step: str,
                 before: list[tuple[preparation_service.ReviewKey,
                                    preparation_service.Tick | None]], text: str) -> None:
        super().__init__(ctx, text)
        self.step, self.before = step, before
        self.after: list[tuple[preparation_service.ReviewKey,
                               preparation_service.Tick | None]] = []

    def do_undo(self) -> None:
        self.after = preparation_service.restore_ticks(self.ctx.db, self.step, self.before)

    def do_redo(self) -> None:
        preparation_service.restore_ticks(self.ctx.db, self.step, self.after)


class BookVisit(ServiceCommand):
    """Booking one suggested date (undo: the ÅMV it made goes, or the moved one goes back,
    and the other ÅMV it moved goes back too)."""

    kind = PLAN

    def __init__(self, ctx: Ctx, patient_id: int, booking: suggest_service.Booking,
                 text: str) -> None:
        super().__init__(ctx, text)
        self.patient_id, self.booking = patient_id, booking

    def do_undo(self) -> None:
        suggest_service.unbook(self.ctx.db, self.booking)

    def do_redo(self) -> None:
        self.booking = suggest_service.book(self.ctx.db, self.patient_id,
                                            self.booking.after.date, self.booking.move)


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


# --- master data: doctors, absences, settings, one-off round dates ------------------------


def _doctor(ctx: Ctx, doctor_id: int) -> doctor_service.DoctorRow | None:
    return next((d for d in doctor_service.list_doctors(ctx.db) if d.id == doctor_id), None)


class AddDoctor(ServiceCommand):
    """Undo removes the new doctor (refused once a unit has the doctor); redo puts the doctor
    back under the same id."""

    kind = DOCTORS

    def __init__(self, ctx: Ctx, row: doctor_service.DoctorRow) -> None:
        super().__init__(ctx, f"Lägg till läkaren {row.name}")
        self.doctor_id, self.data = row.id, row.data

    def do_undo(self) -> None:
        current = _doctor(self.ctx, self.doctor_id)
        if current is None or current.data != self.data:
            raise ConflictError("läkaren")
        doctor_service.delete_doctor(self.ctx.db, self.doctor_id)

    def do_redo(self) -> None:
        doctor_service.restore_doctor(self.ctx.db, self.doctor_id, self.data)


class EditDoctor(ServiceCommand):
    kind = DOCTORS

    def __init__(self, ctx: Ctx, doctor_id: int, before: doctor_service.DoctorData,
                 after: doctor_service.DoctorData, text: str) -> None:
        super().__init__(ctx, text)
        self.doctor_id, self.before, self.after = doctor_id, before, after

    def _swap(self, expected: doctor_service.DoctorData,
              new: doctor_service.DoctorData) -> None:
        current = _doctor(self.ctx, self.doctor_id)
        if current is None or current.data != expected:
            raise ConflictError("läkaren")
        doctor_service.edit_doctor(self.ctx.db, self.doctor_id, new, current.version)

    def do_undo(self) -> None:
        self._swap(self.after, self.before)

    def do_redo(self) -> None:
        self._swap(self.before, self.after)


class RetireDoctor(ServiceCommand):
    """Retiring (``after`` a date) or reactivating (``after`` None) a doctor; undo puts back
    the date before."""

    kind = DOCTORS

    def __init__(self, ctx: Ctx, doctor_id: int, before: date | None, after: date | None,
                 text: str) -> None:
        super().__init__(ctx, text)
        self.doctor_id, self.before, self.after = doctor_id, before, after

    def _set(self, day: date | None) -> None:
        if day is None:
            doctor_service.reactivate_doctor(self.ctx.db, self.doctor_id)
        else:
            doctor_service.retire_doctor(self.ctx.db, self.doctor_id, day)

    def do_undo(self) -> None:
        self._set(self.before)

    def do_redo(self) -> None:
        self._set(self.after)


class EditAbsence(ServiceCommand):
    kind = DOCTORS

    def __init__(self, ctx: Ctx, absence_id: int, before: doctor_service.AbsenceData,
                 after: doctor_service.AbsenceData) -> None:
        super().__init__(ctx, "Ändra frånvaro")
        self.absence_id, self.before, self.after = absence_id, before, after

    def _swap(self, expected: doctor_service.AbsenceData,
              new: doctor_service.AbsenceData) -> None:
        current = next((a for a in doctor_service.list_absences(self.ctx.db)
                        if a.id == self.absence_id), None)
        if current is None or current.data != expected:
            raise ConflictError("frånvaron")
        doctor_service.update_absence(self.ctx.db, self.absence_id, new, current.version)

    def do_undo(self) -> None:
        self._swap(self.after, self.before)

    def do_redo(self) -> None:
        self._swap(self.before, self.after)


Steps = list[preparation_service.PreparationStep]


class SaveSettings(ServiceCommand):
    """The Settings dialog's values and preparation steps of one year, as one step."""

    kind = ALL

    def __init__(self, ctx: Ctx, year: int,
                 before: tuple[settings_service.SettingsData, Steps],
                 after: tuple[settings_service.SettingsData, Steps]) -> None:
        super().__init__(ctx, f"Ändra inställningarna för {year}")
        self.year, self.before, self.after = year, before, after

    def _swap(self, expected: tuple[settings_service.SettingsData, Steps],
              new: tuple[settings_service.SettingsData, Steps]) -> None:
        db = self.ctx.db
        current = (settings_service.get_settings(db, self.year),
                   preparation_service.steps(db, self.year))
        if current != (settings_service.normalised(expected[0]), expected[1]):
            raise ConflictError("inställningarna")
        settings_service.save_settings(db, self.year, new[0])
        preparation_service.set_steps(db, self.year, new[1])

    def do_undo(self) -> None:
        self._swap(self.after, self.before)

    def do_redo(self) -> None:
        self._swap(self.before, self.after)


class AddRoundChange(ServiceCommand):
    """An extra or cancelled round date; ``added`` False: the command removed it."""

    kind = UNITS

    def __init__(self, ctx: Ctx, change_id: int,
                 data: round_change_service.RoundChangeData, added: bool, text: str) -> None:
        super().__init__(ctx, text)
        self.change_id, self.data, self.added = change_id, data, added

    def _add(self) -> None:
        d = self.data
        round_change_service.add_round_change(self.ctx.db, d.unit_id, d.date, d.kind, d.note,
                                              change_id=self.change_id)

    def _remove(self) -> None:
        round_change_service.remove_round_change(self.ctx.db, self.change_id)

    def do_undo(self) -> None:
        self._remove() if self.added else self._add()

    def do_redo(self) -> None:
        self._add() if self.added else self._remove()
