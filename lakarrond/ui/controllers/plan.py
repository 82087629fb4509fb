"""Årsplan: plan from a date in the background (progress, cancel), preview what would move
and save on confirm, show the saved plan and what needs following up, and record outcomes
(Genomförd, Avböjd, Inställd, Lås, Planerad) for one or several ÅMV – each change undoable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any  # Any: make_plan's arguments passed through

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QWidget

from lakarrond.document import AnnualReview, PlanDocument
from lakarrond.formatting import count
from lakarrond.services import visits as visit_service
from lakarrond.services.document import current_document
from lakarrond.services.exporter import export_moves, moved_printout
from lakarrond.services.plan import PlanDraft, SavedPlan, make_plan, save_and_read
from lakarrond.services.problem import default_plan_from
from lakarrond.services.settings import get_settings
from lakarrond.services.staleness import staleness
from lakarrond.services.suggest import Suggestions, book, suggest_dates
from lakarrond.services.visits import VisitRow
from lakarrond.services.week import week_index
from lakarrond.store import Database
from lakarrond.ui import heap, undo
from lakarrond.ui.context import ALL, PLAN, AppContext, PlanChange
from lakarrond.ui.dialogs.outcome import DayDoneDialog, OutcomeDialog
from lakarrond.ui.dialogs.plan import MoveVisitDialog, PlanProgressDialog
from lakarrond.ui.dialogs.replan import ReplanDialog
from lakarrond.ui.dialogs.suggest import SuggestDialog
from lakarrond.ui.jobs import Job
from lakarrond.ui.models.follow_up import NEW_DATE, UNRECORDED, FollowUp
from lakarrond.ui.prepared import PlanContent, Preparer
from lakarrond.ui.views.plan import PlanView
from lakarrond.ui.views.rounds import RoundsView
from solver.problem import VisitStatus

PLAN_JOB = "plan"
SAVE_JOB = "save plan"
LOAD_JOB = "read plan"
WORDS = {VisitStatus.DONE: "Genomförd", VisitStatus.DECLINED: "Avböjd",
         VisitStatus.CANCELLED: "Inställd", VisitStatus.LOCKED: "Låst",
         VisitStatus.PLANNED: "Planerad"}


def _indexed(doc: PlanDocument | None, today: date) -> PlanDocument | None:
    """Veckan's index of the document and its follow-ups, made on the job runner too (the
    GUI thread then only shows the week)."""
    if doc is not None:
        week_index(doc).follow_ups(doc, today)
    return doc


def _read(db: Database, year: int, today: date) -> PlanDocument | None:
    return _indexed(current_document(db, year, today), today)


Saved = tuple[SavedPlan, PlanDocument | None, PlanContent | None]


def _save(db: Database, draft: PlanDraft, today: date, prepare: Preparer) -> Saved:
    """Save, read the document, and prepare what the views show of it (the tables' rows,
    Veckan's week) – all on the job's thread (issue 17)."""
    with heap.collector_paused():  # the window does not stall on the job's collections
        saved, doc = save_and_read(db, draft, today)
        doc = _indexed(doc, today)
        content = prepare(doc) if doc is not None else None
        heap.settle_expected()  # the window's settle collects what this job made
        return saved, doc, content


def _plan(*args: Any, **kwargs: Any) -> PlanDraft:  # Any: make_plan's own signature
    with heap.collector_paused():
        return make_plan(*args, **kwargs)


class PlanController(QObject):
    plan_finished = Signal(object)  # SavedPlan
    plan_failed = Signal(str)
    document_changed = Signal()
    prepared = Signal(object)  # PlanContent: made on the save job, before plan_changed

    def __init__(self, ctx: AppContext, view: PlanView, rounds_view: RoundsView,
                 print_moves: Callable[[PlanDraft], object] | None = None) -> None:
        super().__init__(ctx)
        self.ctx, self.view, self.rounds_view = ctx, view, rounds_view
        self.print_moves = print_moves
        self.job: Job[PlanDraft] | None = None
        # the plan being saved (on the job runner)
        self.saving: Job[Saved] | None = None
        self._loads = 0  # documents being read on the job runner
        self._token = 0  # the latest of them: only its answer is shown
        self.progress_dialog: PlanProgressDialog | None = None
        self.last_saved: tuple[int, int] | None = None  # (year, version) saved last
        self.last_draft: PlanDraft | None = None  # the last plan not saved (its moves)
        # what the save job prepares for the views (the window adds Veckan's week)
        self.make_preparer: Callable[[], Preparer] = self.preparer
        self._pending: dict[PlanView | RoundsView, PlanChange] = {}  # tabs waiting to be shown
        v = view
        v.plan_button.clicked.connect(lambda: self.start())
        v.year_spin.valueChanged.connect(ctx.set_year)
        v.move_button.clicked.connect(lambda: self._with_visit(self.move_visit))
        v.done_button.clicked.connect(lambda: self.record_selected(VisitStatus.DONE))
        v.declined_button.clicked.connect(lambda: self.record_selected(VisitStatus.DECLINED))
        v.cancelled_button.clicked.connect(lambda: self.record_selected(VisitStatus.CANCELLED))
        v.lock_button.clicked.connect(lambda: self.record_selected(VisitStatus.LOCKED))
        v.unlock_button.clicked.connect(lambda: self.record_selected(VisitStatus.PLANNED))
        v.visits.activated.connect(lambda row: self.move_visit(row.visit_id))
        v.follow_up.activated.connect(self.follow_up)
        v.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        v.grid.customContextMenuRequested.connect(self._grid_menu)
        v.visits.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        v.visits.view.customContextMenuRequested.connect(self._visits_menu)
        ctx.year_changed.connect(lambda _year: self.reset_planning_date())
        ctx.plan_changed.connect(self._show)
        self.reset_planning_date()

    def _with_visit(self, fn: Callable[[int], object]) -> None:
        row = self.view.current_visit()
        if row is not None:
            fn(row.visit_id)

    # --- the saved plan -------------------------------------------------------------------
    def reset_planning_date(self) -> None:
        settings = self.ctx.call(lambda: get_settings(self.ctx.db, self.ctx.year))
        freeze = settings.freeze_days if settings is not None else 14
        self.view.set_planning_date(default_plan_from(self.ctx.year, self.ctx.today()), freeze)

    def reload(self, background: bool = False) -> None:
        """Read the year's plan document again; every view that shows the plan follows
        (``plan_changed``). With ``background`` the read runs on the job runner (start-up,
        "Läs in igen", another database): the views keep the old plan until it arrives."""
        if background:
            self._read_in_background()
            return
        doc, error = self.ctx.try_call(lambda: current_document(self.ctx.db, self.ctx.year,
                                                                self.ctx.today()))
        if error:
            self.ctx.show_error(error)
        self.ctx.set_document(doc)  # plan_changed: every view that shows the plan follows

    @property
    def loading(self) -> bool:
        return self._loads > 0

    def _read_in_background(self) -> None:
        self._token += 1
        token, seen, year = self._token, self.ctx.generation, self.ctx.year
        self._loads += 1
        self.document_changed.emit()  # the status bar: "Läser in …"

        def arrived(doc: PlanDocument | None) -> None:
            self._loads -= 1
            if token != self._token:
                self.document_changed.emit()
                return  # a later read is on its way
            if self.ctx.generation != seen or self.ctx.year != year:
                self._read_in_background()  # changed meanwhile: this read is stale
                return
            self.ctx.set_document(doc)

        def failed(message: str) -> None:
            self._loads -= 1
            self.ctx.show_error(message)
            self.document_changed.emit()

        self.ctx.run(LOAD_JOB, partial(_read, self.ctx.db, year, self.ctx.today()),
                     on_done=arrived, on_error=failed)

    def _show(self, change: PlanChange) -> None:
        """Årsplan (with Avvikelser and the follow-up list) and Rondschema show the current
        plan document."""
        for view in (self.view, self.rounds_view):
            # what changed since the view last showed a document
            shown = _merged(self._pending.pop(view, None), change)
            if view.isVisible() or not view.window().isVisible():
                view.load(shown.year, shown.document, shown.visits)  # changed rows in place
            else:  # a tab not shown: filled when it is shown (tab_shown), not on this answer
                self._pending[view] = replace(shown, previous=None)  # the old plan may go
        state = self.ctx.call(lambda: staleness(self.ctx.db, self.ctx.year))
        self.view.show_stale(state.text if state is not None and state.stale else "")
        self.document_changed.emit()

    def tab_shown(self, widget: QWidget) -> None:
        """Årsplan or Rondschema is shown: the plan it waited for, if any."""
        for view in (self.view, self.rounds_view):
            change = self._pending.pop(view, None) if view is widget else None
            if change is not None:
                view.load(change.year, change.document, change.visits)

    def show_patient(self, patient_id: int) -> bool:
        """Show the patient's ÅMV in the plan's list (False when the plan has none)."""
        found = self.view.show_patient(patient_id)
        if not found:
            self.ctx.status(f"Patienten har ingen ÅMV i planen för {self.ctx.year}.")
        return found

    # --- planning -------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """Planning, or saving what was planned."""
        return self.job is not None or self.saving is not None

    def start(self, time_limit: float | None = None, show_dialog: bool = True,
              plan_from: date | None = None) -> bool:
        """Plan the year from the chosen date in the background (the window stays
        responsive); a re-plan is shown before it is saved. False when already planning."""
        if self.running:
            return False
        if time_limit is None:
            time_limit = float(str(self.ctx.settings.value("plan/time_limit_s", 0) or 0)) or None
        dialog = None
        if show_dialog:
            dialog = PlanProgressDialog(self.ctx.year, self.ctx.window)
            dialog.setModal(False)
            dialog.cancel_requested.connect(self.cancel)
        self.job = self.ctx.run_steps(
            PLAN_JOB, partial(_plan, self.ctx.db, self.ctx.year,
                              plan_from=plan_from or self.view.planning_date(),
                              freeze_days=self.view.freeze_spin.value(), time_limit=time_limit,
                              rebalance=self.view.rebalance_box.isChecked()),
            on_done=self._drafted, on_error=self._failed,
            on_progress=dialog.show_progress if dialog else None)
        self.progress_dialog = dialog
        if dialog is not None:
            dialog.show()
        self.document_changed.emit()
        return True

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.ctx.status("Avbryter – den bästa planen hittills visas …")

    def _finish(self) -> None:
        self.job = None
        if self.progress_dialog is not None:
            self.progress_dialog.done_()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _drafted(self, draft: PlanDraft) -> None:
        self._finish()
        self.last_draft = draft
        if draft.based_on is not None and not self.preview(draft):
            self.ctx.status("Planen sparades inte.")
            self.document_changed.emit()
            return
        self.saving = self.ctx.run(SAVE_JOB, partial(_save, self.ctx.db, draft, self.ctx.today(),
                                                     self.make_preparer()),
                                   on_done=self._saved, on_error=self._not_saved)
        self.ctx.status("Sparar planen …", 0)
        self.document_changed.emit()

    def preparer(self) -> Preparer:
        """Årsplan's and Rondschema's part of what a job prepares for the views."""
        return Preparer(self.ctx.db, self.ctx.today(), self.view.prepare_visits,
                        self.view.follow_up_model.prepare, self.rounds_view.model.prepare)

    def _saved(self, found: Saved) -> None:
        self.saving = None
        saved, doc, content = found
        for view in (self.view, self.rounds_view):
            view.offer(content)
        self.prepared.emit(content)  # Veckan
        self._done(saved, doc)

    def _not_saved(self, message: str) -> None:
        """The store said no (changed meanwhile, another version saved): said in a dialog,
        and everything read again, as after any refused change."""
        self.saving = None
        self.ctx.status("")
        self.ctx.show_error(message)
        self.ctx.notify(ALL)
        self.plan_failed.emit("inte sparad")
        self.document_changed.emit()

    def preview(self, draft: PlanDraft) -> bool:
        """The re-plan preview: True when the user chose "Spara planen"."""
        current = self.ctx.document.measures if self.ctx.document is not None else None
        dialog = ReplanDialog(draft, current, self.ctx.window)
        dialog.print_requested.connect(lambda: self.print_moves and self.print_moves(draft))
        dialog.export_requested.connect(lambda: self.export_moves_dialog(draft))
        return self._ask(dialog)

    def _ask(self, dialog: QDialog) -> bool:
        """Run ``dialog``; the window does not keep it afterwards (each re-plan's preview,
        parented to the window, kept its draft alive: the planner's problem and result)."""
        try:
            return self.ctx.exec_dialog(dialog)
        finally:
            dialog.setParent(None)  # Python owns it now: freed with the caller's reference

    def export_moves_dialog(self, draft: PlanDraft) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self.ctx.window, "Spara listan Flyttade – meddela",
            f"flyttade-{draft.year}-{draft.plan_from.isoformat()}.xlsx",
            "Excel-filer (*.xlsx);;PDF-filer (*.pdf)")
        if name:
            self.save_moves(draft, Path(name))

    def save_moves(self, draft: PlanDraft, path: Path) -> Path | None:
        out = path if path.suffix else path.with_suffix(".xlsx")
        saved = self.ctx.call(lambda: export_moves(self.ctx.db, moved_printout(draft), out))
        if saved is not None:
            self.ctx.status(f"Listan är sparad: {saved}")
        return saved

    def _done(self, saved: SavedPlan, doc: PlanDocument | None) -> None:
        self.last_saved = (saved.year, saved.version)
        self.last_draft = None  # the planner's problem and result are the store's now: freed
        self.ctx.year = saved.year  # the year may have been changed while planning
        self.ctx.set_document(doc)  # read on the job runner with the save
        doc = self.ctx.document
        moved = doc.moved_since_previous if doc is not None else 0
        stopped = " (avbruten – bästa planen hittills)" if saved.result.stopped else ""
        kept = (f" {count(saved.kept_changes, 'registrering', 'registreringar')} gjorda under "
                "tiden behölls." if saved.kept_changes else "")
        self.ctx.status(f"Årsplan {saved.year} version {saved.version} sparad{stopped}; "
                        f"{moved} ÅMV flyttade mot förra versionen.{kept}", 10000)
        self.plan_finished.emit(saved)

    def _failed(self, message: str) -> None:
        self._finish()
        self.document_changed.emit()
        self.ctx.show_error(message, "Planeringen misslyckades")
        self.plan_failed.emit(message)

    # --- outcomes of one or several ÅMV -------------------------------------------------------
    def record_selected(self, status: VisitStatus) -> bool:
        return self.record(self.view.selected_visits(), status)

    def record_held(self, reviews: list[AnnualReview]) -> bool:
        """Genomförd on another day than the planned one: ask the day (up to today)."""
        if not reviews:
            return False
        what = (f"ÅMV för {reviews[0].patient}, planerad {reviews[0].date.isoformat()}."
                if len(reviews) == 1 else f"{count(len(reviews), 'ÅMV', 'ÅMV')}, alla samma dag.")
        dialog = DayDoneDialog("Genomförd annat datum", what, "Hölls den", "Registrera",
                               self.ctx.today(), default=reviews[0].date, parent=self.ctx.window)
        if not self._ask(dialog):
            return False
        return self.record(reviews, VisitStatus.DONE, held_on=dialog.value())

    def record(self, reviews: list[AnnualReview], status: VisitStatus,
               reason: str | None = None, held_on: date | None = None) -> bool:
        """Record ``status`` for ``reviews`` (each on its own date, or a Genomförd on
        ``held_on``) as one undoable step; Avböjd and Inställd ask for a reason."""
        if not reviews:
            return False
        if reason is None and status in (VisitStatus.DECLINED, VisitStatus.CANCELLED):
            dialog = OutcomeDialog(status, len(reviews), self.ctx.window)
            if not self._ask(dialog):
                return False
            reason = dialog.value()
        ids = [r.visit_id for r in reviews]
        changes = self.ctx.call(lambda: visit_service.record_outcomes(
            self.ctx.db, ids, status, reason or "", held_on, self.ctx.today()))
        if not changes:
            return False
        text = (f"{WORDS[status]}: ÅMV för {reviews[0].patient}" if len(reviews) == 1
                else f"{WORDS[status]}: {count(len(reviews), 'ÅMV', 'ÅMV')}")
        self.ctx.undo_stack.push(undo.RecordOutcomes(self.ctx, changes, text))
        self.ctx.visits_changed(c.visit_id for c in changes)  # those rows, in place
        self.ctx.status(f"{text} registrerad.")
        return True

    def _grid_menu(self, point: QPoint) -> None:
        index = self.view.grid.indexAt(point)
        if not index.isValid():
            return
        self.view.show_cell(index)
        reviews = [r for r in self.view.visits.proxy_rows() if isinstance(r, AnnualReview)]
        if not reviews:
            return
        menu = QMenu(self.view)
        for status in (VisitStatus.DONE, VisitStatus.DECLINED, VisitStatus.CANCELLED,
                       VisitStatus.LOCKED):
            menu.addAction(f"{WORDS[status]} – alla {count(len(reviews), 'ÅMV', 'ÅMV')} i "
                           "cellen …", partial(self.record, reviews, status))
        menu.addAction(f"Genomförd annat datum – alla {count(len(reviews), 'ÅMV', 'ÅMV')} i "
                       "cellen …", lambda: self.record_held(reviews))
        menu.popup(self.view.grid.viewport().mapToGlobal(point))

    def _visits_menu(self, point: QPoint) -> None:
        reviews = self.view.selected_visits()
        if not reviews:
            return
        menu = QMenu(self.view)
        if len(reviews) == 1:
            menu.addAction("Flytta ÅMV …", lambda: self.move_visit(reviews[0].visit_id))
        for status in (VisitStatus.DONE, VisitStatus.DECLINED, VisitStatus.CANCELLED):
            dots = " …" if status is not VisitStatus.DONE else ""
            menu.addAction(f"{WORDS[status]}{dots}", partial(self.record, reviews, status))
        menu.addAction("Genomförd annat datum …", lambda: self.record_held(reviews))
        menu.addSeparator()
        menu.addAction("Lås", lambda: self.record(reviews, VisitStatus.LOCKED))
        menu.addAction("Planerad", lambda: self.record(reviews, VisitStatus.PLANNED))
        menu.popup(self.view.visits.view.viewport().mapToGlobal(point))

    # --- following up ---------------------------------------------------------------------------
    def follow_up(self, row: FollowUp) -> None:
        if row.kind == UNRECORDED:
            self.view.tabs.setCurrentWidget(self.view.visits)
            self.view.visits.select_where(lambda r: r.visit_id == row.visit_id)
        elif row.kind == NEW_DATE and row.patient_id:
            self.suggest(row.patient_id)

    def offer_dates(self, patient_id: int) -> bool:
        """After a patient is added: offer dates when the year has a plan and the patient
        needs an ÅMV in it (quietly nothing otherwise)."""
        if self.ctx.document is None:
            return False
        found, _error = self.ctx.try_call(lambda: self._suggestions(patient_id))
        return found is not None and self._book(found)

    def suggest(self, patient_id: int) -> bool:
        """Offer the best dates for the patient's ÅMV; "Boka" books one (undoable)."""
        found = self.ctx.call(lambda: self._suggestions(patient_id))
        return found is not None and self._book(found)

    def _suggestions(self, patient_id: int) -> Suggestions:
        """The same suggestions as ``lakarrond suggest`` (the service picks the year and the
        planning date from the window's today)."""
        return suggest_dates(self.ctx.db, patient_id, today=self.ctx.today())

    def _book(self, found: Suggestions) -> bool:
        dialog = SuggestDialog(found, self.ctx.window)
        if not self._ask(dialog) or dialog.chosen_suggestion() is None:
            return False
        chosen = dialog.chosen_suggestion()
        assert chosen is not None
        booking = self.ctx.call(lambda: book(self.ctx.db, found.patient_id, chosen.date,
                                             chosen.move))
        if booking is None:
            return False
        self.ctx.undo_stack.push(undo.BookVisit(
            self.ctx, found.patient_id, booking, f"Boka ÅMV för {found.patient}"))
        self.ctx.notify(PLAN)
        text = f"ÅMV för {found.patient} bokad {chosen.date.isoformat()}."
        if chosen.move is not None:
            text += (f" {chosen.move.patient} flyttad från {chosen.move.old.isoformat()} till "
                     f"{chosen.move.new.isoformat()} – meddela.")
        self.ctx.status(text)
        return True

    # --- one ÅMV ------------------------------------------------------------------------------
    def move_visit(self, visit_id: int, day: date | None = None, lock: bool = True) -> bool:
        visit = self.ctx.call(lambda: visit_service.get_visit(self.ctx.db, visit_id))
        if visit is None:
            return False
        if day is None:
            dates = self.ctx.call(lambda: visit_service.allowed_dates(self.ctx.db, visit_id))
            if dates is None:
                return False
            dialog = MoveVisitDialog(visit, dates, self.ctx.window)
            if not self._ask(dialog) or dialog.chosen() is None:
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
                                                              status, visit.version,
                                                              self.ctx.today()))
        if saved is None:
            return False
        self.ctx.undo_stack.push(undo.SetVisit(self.ctx, visit.id, (visit.date, visit.status),
                                               (day, status), saved.version, text))
        self.ctx.visits_changed([visit.id])
        self.view.visits.select_where(lambda r: r.visit_id == visit.id)
        return True


def _merged(waiting: PlanChange | None, change: PlanChange) -> PlanChange:
    """``change`` on top of one a hidden tab still waits for: the visits of both (None,
    everything, when either is)."""
    if waiting is None:
        return change
    if waiting.visits is None or change.visits is None:
        return replace(change, visits=None)
    return replace(change, visits=waiting.visits | change.visits)
