"""Årsplan: make the plan in the background (progress, cancel), show the saved plan, and
move, lock or record an ÅMV – each change undoable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Signal

from lakarrond.services import visits as visit_service
from lakarrond.services.document import current_document
from lakarrond.services.plan import SavedPlan, plan_year
from lakarrond.services.visits import VisitRow
from lakarrond.ui import undo
from lakarrond.ui.context import PLAN, AppContext
from lakarrond.ui.dialogs.plan import MoveVisitDialog, PlanProgressDialog
from lakarrond.ui.jobs import Job
from lakarrond.ui.views.plan import PlanView
from lakarrond.ui.views.rounds import RoundsView
from solver.problem import VisitStatus

PLAN_JOB = "plan"


class PlanController(QObject):
    plan_finished = Signal(object)  # SavedPlan
    plan_failed = Signal(str)
    document_changed = Signal()

    def __init__(self, ctx: AppContext, view: PlanView, rounds_view: RoundsView) -> None:
        super().__init__(ctx)
        self.ctx, self.view, self.rounds_view = ctx, view, rounds_view
        self.job: Job | None = None
        self.progress_dialog: PlanProgressDialog | None = None
        self.last_plan: SavedPlan | None = None
        v = view
        v.plan_button.clicked.connect(lambda: self.start())
        v.year_spin.valueChanged.connect(ctx.set_year)
        v.move_button.clicked.connect(lambda: self._with_visit(self.move_visit))
        v.lock_button.clicked.connect(
            lambda: self._with_visit(lambda i: self.set_status(i, VisitStatus.LOCKED)))
        v.done_button.clicked.connect(
            lambda: self._with_visit(lambda i: self.set_status(i, VisitStatus.DONE)))
        v.unlock_button.clicked.connect(
            lambda: self._with_visit(lambda i: self.set_status(i, VisitStatus.PLANNED)))
        v.visits.activated.connect(lambda row: self.move_visit(row.visit_id))

    def _with_visit(self, fn: Callable[[int], object]) -> None:
        row = self.view.current_visit()
        if row is not None:
            fn(row.visit_id)

    # --- the saved plan -------------------------------------------------------------------
    def reload(self) -> None:
        doc, error = self.ctx.try_call(lambda: current_document(self.ctx.db, self.ctx.year))
        if error:
            self.ctx.show_error(error)
        self.ctx.document = doc
        self.view.load(self.ctx.year, doc)
        self.rounds_view.load(self.ctx.year, doc)
        self.document_changed.emit()

    def show_patient(self, patient_id: int) -> bool:
        """Show the patient's ÅMV in the plan's list (False when the plan has none)."""
        found = self.view.show_patient(patient_id)
        if not found:
            self.ctx.status(f"Patienten har ingen ÅMV i planen för {self.ctx.year}.")
        return found

    # --- planning -------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self, time_limit: float | None = None, show_dialog: bool = True) -> bool:
        """Make the year plan in the background; the window stays responsive. Returns False
        when a plan is already being made."""
        if self.job is not None:
            return False
        if time_limit is None:
            time_limit = float(self.ctx.settings.value("plan/time_limit_s", 0) or 0) or None
        dialog = None
        if show_dialog:
            dialog = PlanProgressDialog(self.ctx.year, self.ctx.window)
            dialog.setModal(False)
            dialog.cancel_requested.connect(self.cancel)
        self.job = self.ctx.run(PLAN_JOB, plan_year, self.ctx.db, self.ctx.year,
                                time_limit=time_limit, on_done=self._done,
                                on_error=self._failed,
                                on_progress=dialog.show_progress if dialog else None,
                                progress=True)
        self.progress_dialog = dialog
        if dialog is not None:
            dialog.show()
        self.document_changed.emit()
        return True

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.ctx.status("Avbryter – den bästa planen hittills sparas …")

    def _finish(self) -> None:
        self.job = None
        if self.progress_dialog is not None:
            self.progress_dialog.done_()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _done(self, saved: SavedPlan) -> None:
        self._finish()
        self.last_plan = saved
        self.ctx.year = saved.year  # the year may have been changed while planning
        self.reload()
        doc = self.ctx.document
        moved = doc.moved_since_previous if doc is not None else 0
        stopped = " (avbruten – bästa planen hittills)" if saved.result.stopped else ""
        self.ctx.status(f"Årsplan {saved.year} version {saved.version} sparad{stopped}; "
                        f"{moved} ÅMV flyttade mot förra versionen.", 10000)
        self.plan_finished.emit(saved)

    def _failed(self, message: str) -> None:
        self._finish()
        self.document_changed.emit()
        self.ctx.show_error(message, "Planeringen misslyckades")
        self.plan_failed.emit(message)

    # --- one ÅMV ----------------------------------------------------------------------------
    def move_visit(self, visit_id: int, day: date | None = None, lock: bool = True) -> bool:
        visit = self.ctx.call(lambda: visit_service.get_visit(self.ctx.db, visit_id))
        if visit is None:
            return False
        if day is None:
            dates = self.ctx.call(lambda: visit_service.allowed_dates(self.ctx.db, visit_id))
            if dates is None:
                return False
            dialog = MoveVisitDialog(visit, dates, self.ctx.window)
            if not self.ctx.exec_dialog(dialog) or dialog.chosen() is None:
                return False
            day, lock = dialog.chosen(), dialog.lock.isChecked()
        if day is None:
            return False
        status = VisitStatus.LOCKED.value if lock else visit.status
        return self._set(visit, day, status, f"Flytta ÅMV för {visit.patient}")

    def set_status(self, visit_id: int, status: VisitStatus | str) -> bool:
        visit = self.ctx.call(lambda: visit_service.get_visit(self.ctx.db, visit_id))
        if visit is None:
            return False
        wanted = VisitStatus(status)
        return self._set(visit, visit.date, wanted.value,
                         f"{wanted.value}: ÅMV för {visit.patient}")

    def _set(self, visit: VisitRow, day: date, status: str, text: str) -> bool:
        if (day, status) == (visit.date, visit.status):
            return False
        saved = self.ctx.call(lambda: visit_service.set_visit(self.ctx.db, visit.id, day,
                                                              status, visit.version))
        if saved is None:
            return False
        self.ctx.undo_stack.push(undo.SetVisit(self.ctx, visit.id, (visit.date, visit.status),
                                               (day, status), saved.version, text))
        self.ctx.notify(PLAN)
        self.view.visits.select_where(lambda r: r.visit_id == visit.id)
        return True
