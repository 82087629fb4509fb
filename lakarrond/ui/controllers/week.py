"""Veckan: move between weeks, record an outcome of the chosen ÅMV (through the plan's
undoable :meth:`~lakarrond.ui.controllers.plan.PlanController.record`), open the patient,
tick preparation steps (audited, undoable) and print the week's round list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QMenu

from lakarrond.document import AnnualReview
from lakarrond.errors import UserError
from lakarrond.printouts import Printout
from lakarrond.services import preparation
from lakarrond.services.printing import make_week_list
from lakarrond.services.week import load_week, review_checklist
from lakarrond.services.week_data import (
    NEW_DATE,
    TodoItem,
    WeekData,
    day_label,
    monday_of,
)
from lakarrond.ui import undo
from lakarrond.ui.context import PREPARATION, AppContext
from lakarrond.ui.dialogs.outcome import DayDoneDialog
from lakarrond.ui.models.cancelled import cancelled_reviews
from lakarrond.ui.views.week import WeekView
from solver.problem import VisitStatus

T = TypeVar("T")
DOCTOR_KEY = "week/doctor"  # the doctor chosen in Veckan ("" = Alla läkare)
Record = Callable[[list[AnnualReview], VisitStatus], bool]
RecordHeld = Callable[[list[AnnualReview]], bool]
OUTCOMES = ((VisitStatus.DONE, "Genomförd"), (VisitStatus.DECLINED, "Avböjd …"),
            (VisitStatus.CANCELLED, "Inställd …"))


class WeekController(QObject):
    open_patient_requested = Signal(int)  # patient id
    suggest_requested = Signal(int)  # patient id: find a new date

    def __init__(self, ctx: AppContext, view: WeekView, record: Record,
                 preview: Callable[[Printout], bool], record_held: RecordHeld) -> None:
        super().__init__(ctx)
        self.ctx, self.view = ctx, view
        self.record_fn, self.preview, self.record_held_fn = record, preview, record_held
        self.monday = monday_of(ctx.today())
        self.week: WeekData | None = None
        self.current: AnnualReview | None = None  # the ÅMV whose checklist is shown
        v = view
        v.prev_button.clicked.connect(self.previous_week)
        v.next_button.clicked.connect(self.next_week)
        v.today_button.clicked.connect(self.this_week)
        v.doctor_combo.currentTextChanged.connect(lambda _text: self._doctor_chosen())
        v.date_edit.dateChanged.connect(
            lambda d: self.go(date(d.year(), d.month(), d.day())))
        menu = QMenu(v.print_button)
        menu.aboutToShow.connect(lambda: self._fill_print_menu(menu))
        v.print_button.setMenu(menu)
        v.done_button.clicked.connect(lambda: self.record_selected(VisitStatus.DONE))
        v.declined_button.clicked.connect(lambda: self.record_selected(VisitStatus.DECLINED))
        v.cancelled_button.clicked.connect(lambda: self.record_selected(VisitStatus.CANCELLED))
        v.open_button.clicked.connect(self.open_patient)
        for button in (*v.review_buttons, v.prev_button, v.next_button, v.today_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the keys in the rows
        v.tree.selectionModel().selectionChanged.connect(lambda *_: self._tree_selected())
        v.tree.doubleClicked.connect(self._tree_activated)
        v.tree.customContextMenuRequested.connect(self._menu)
        v.todo.selection_changed.connect(self._todo_selected)
        v.todo.activated.connect(self.todo_activated)
        v.checklist_model.toggled.connect(self.set_step)
        v.checklist.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        v.checklist.customContextMenuRequested.connect(self._checklist_menu)

    def _read(self, fn: Callable[[], T]) -> T | None:
        """Read for the view; a failure is shown once (not ``ctx.call``, whose "read
        everything again" would come back here)."""
        try:
            return fn()
        except UserError as exc:
            self.ctx.show_error(str(exc))
            return None

    # --- weeks ----------------------------------------------------------------------------
    def go(self, day: date) -> None:
        monday = monday_of(day)
        if monday != self.monday or self.week is None:
            self.monday = monday
            self.reload()

    def next_week(self) -> None:
        self.go(self.monday + timedelta(days=7))

    def previous_week(self) -> None:
        self.go(self.monday - timedelta(days=7))

    def this_week(self) -> None:
        self.go(self.ctx.today())

    def reload(self) -> None:
        """Read the week again (the window's plan document is reused for its year)."""
        chosen = [w.visit_id for w in self.view.selected_reviews()]
        todo = self.view.current_todo()
        week = self._read(lambda: load_week(self.ctx.db, self.monday, self.ctx.today(),
                                            known=[self.ctx.document]))
        if week is None:
            return
        self.week = week
        doctor = str(self.ctx.settings.value(DOCTOR_KEY, "") or "")  # kept in any week
        self.view.set_doctors(sorted({d.doctor for d in week.doctors} | {doctor} - {""}),
                              doctor)
        self.view.load(week, cancelled_reviews(self.ctx.document, week.monday, week.sunday))
        if week.missing and self.ctx.document is None:  # say it as the status bar does
            self.view.note.setText(f"Ingen plan för {self.ctx.year} ännu.")
        self.view.select_visits(chosen)  # a recorded outcome or undo keeps the selection
        if todo is not None and not chosen:
            self.view.todo.select_where(lambda r: r.kind == todo.kind
                                        and r.visit_id == todo.visit_id
                                        and r.patient_id == todo.patient_id)
        self._refresh_current()

    def _doctor_chosen(self) -> None:
        """Veckan for one doctor or all (remembered); the tree and the printout follow."""
        self.ctx.settings.setValue(DOCTOR_KEY, self.view.chosen_doctor() or "")
        self.reload()

    # --- the chosen ÅMV -------------------------------------------------------------------
    def _find(self, visit_id: int) -> AnnualReview | None:
        if self.week is None:
            return None
        found = self.week.find(visit_id)
        if found is not None:
            return found.review
        return next((t.review for t in self.week.todo if t.visit_id == visit_id and t.review),
                    None)

    def _refresh_current(self) -> None:
        current = self.current
        self.show_checklist(self._find(current.visit_id) if current is not None else None)

    def _tree_selected(self) -> None:
        chosen = self.view.selected_reviews()
        if chosen:
            self.view.todo.view.clearSelection()
            self.show_checklist(chosen[0].review)
        self.view.update_buttons(bool(chosen) or self._todo_review() is not None)

    def _todo_review(self) -> AnnualReview | None:
        item = self.view.current_todo()
        return item.review if item is not None else None

    def _todo_selected(self) -> None:
        review = self._todo_review()
        if review is not None:
            self.view.tree.selectionModel().clearSelection()
            self.show_checklist(review)
        self.view.update_buttons(review is not None or bool(self.view.selected_reviews()))

    def targets(self) -> list[AnnualReview]:
        """The ÅMV the buttons act on: those selected in the week, else the one chosen in
        the list of what needs doing."""
        chosen = [w.review for w in self.view.selected_reviews()]
        if chosen:
            return chosen
        review = self._todo_review()
        return [review] if review is not None else []

    def select(self, review: AnnualReview) -> bool:
        """Show the ÅMV in its week, selected (False when it is not in the plan's weeks)."""
        self.go(review.date)
        return self.view.select_visit(review.visit_id)

    # --- outcomes and the patient -----------------------------------------------------------
    def record_selected(self, status: VisitStatus) -> bool:
        """Record ``status`` for the chosen ÅMV; they stay selected (``reload``) and the
        keyboard is back in the week's rows, so arrows and Ctrl+A work at once."""
        recorded = self.record_fn(self.targets(), status)
        if self.view.selected_reviews():
            self.view.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        return recorded

    def open_patient(self) -> bool:
        chosen = self.targets()
        if chosen:
            self.open_patient_requested.emit(chosen[0].patient_id)
        return bool(chosen)

    def _tree_activated(self, index: QModelIndex) -> None:
        review = self.view.tree_model.review_at(index)
        if review is not None:
            self.open_patient_requested.emit(review.patient_id)

    def todo_activated(self, item: TodoItem) -> None:
        """Double-click on what needs doing: a new date is offered; otherwise the ÅMV is
        shown in its week."""
        if item.kind == NEW_DATE:
            if item.patient_id:
                self.suggest_requested.emit(item.patient_id)
            return
        if item.review is not None:
            self.select(item.review)

    def _menu(self, point: QPoint) -> None:
        index = self.view.tree.indexAt(point)
        review = self.view.tree_model.review_at(index)
        if review is None:
            return
        if review.visit_id not in {w.visit_id for w in self.view.selected_reviews()}:
            self.view.select_visit(review.visit_id)
        menu = QMenu(self.view)
        for status, text in OUTCOMES:
            menu.addAction(text, lambda s=status: self.record_selected(s))
        menu.addAction("Genomförd annat datum …", lambda: self.record_held_fn(self.targets()))
        menu.addSeparator()
        menu.addAction("Öppna patienten …", self.open_patient)
        menu.popup(self.view.tree.viewport().mapToGlobal(point))

    # --- preparation ----------------------------------------------------------------------
    def show_checklist(self, review: AnnualReview | None) -> None:
        self.current = review
        if review is None:
            self.view.show_checklist(None, [])
            return
        states = self._read(lambda: review_checklist(self.ctx.db, review, self.ctx.today()))
        self.view.show_checklist(review, states or [])

    def set_step(self, step: str, done: bool, day: date | None = None) -> bool:
        """Tick (done today, or on ``day``) or untick a step of the shown ÅMV; undoable,
        audited."""
        review = self.current
        if review is None:
            return False
        key = (review.patient_id, review.date, step)
        done_on = day or self.ctx.today()
        if done:
            result = self.ctx.call(
                lambda: (preparation.tick(self.ctx.db, *key, done_on=done_on),))
            text = f"Klart: {step} ({review.patient})"
        else:
            result = self.ctx.call(lambda: (preparation.untick(self.ctx.db, *key),))
            text = f"Inte klart: {step} ({review.patient})"
        if result is None:
            return False  # the service said no (shown); the window reads everything again
        before = result[0]
        if (before is None and not done) or (done and before is not None
                                             and before.done_on == done_on):
            self.show_checklist(review)
            return False  # nothing changed
        self.ctx.undo_stack.push(undo.TickStep(self.ctx, *key, before, text))
        self.ctx.notify(PREPARATION)
        self.ctx.status(f"{text} – {day_label(done_on)}.")
        return True

    def step_done_on(self, step: str) -> bool:
        """Ask the day the step was done (up to today) and tick it with that day."""
        if self.current is None:
            return False
        dialog = DayDoneDialog("Klart ett annat datum", f"{step} – {self.current.patient}",
                               "Klart den", "Markera klart", self.ctx.today(),
                               parent=self.view)
        if not self.ctx.exec_dialog(dialog):
            return False
        return self.set_step(step, True, dialog.value())

    def _checklist_menu(self, point: QPoint) -> None:
        index = self.view.checklist.indexAt(point)
        if not index.isValid() or self.current is None:
            return
        row = self.view.checklist_model.row_at(index.row())
        menu = QMenu(self.view)
        menu.addAction("Klart ett annat datum …", lambda: self.step_done_on(row.step))
        if row.done:
            menu.addAction("Inte klart", lambda: self.set_step(row.step, False))
        menu.popup(self.view.checklist.viewport().mapToGlobal(point))

    # --- paper ----------------------------------------------------------------------------
    def _fill_print_menu(self, menu: QMenu) -> None:
        """The doctor chosen in Veckan (if one is), Alla läkare (one page each), then one
        entry per doctor of the week."""
        menu.clear()
        chosen = self.view.chosen_doctor()
        if chosen is not None:
            menu.addAction(f"{chosen} (vald i Veckan) …", lambda: self.print_week(chosen))
        menu.addAction("Alla läkare (en sida per läkare) …",
                       lambda: self.print_week(every=True))
        doctors = sorted({d.doctor for d in self.week.doctors}) if self.week else []
        if doctors:
            menu.addSeparator()
        for name in doctors:
            menu.addAction(f"{name} …", lambda n=name: self.print_week(n))

    def print_week(self, doctor: str | None = None, every: bool = False) -> bool:
        """The week's round list through the print preview: only ``doctor``'s page (by
        default the doctor chosen in Veckan), or with ``every`` (or no doctor chosen) one
        page per doctor."""
        if doctor is None and not every:
            doctor = self.view.chosen_doctor()
        printout = self.ctx.call(lambda: make_week_list(
            self.ctx.db, self.monday, self.ctx.today(), doctor=doctor,
            known=[self.ctx.document]))
        return printout is not None and self.preview(printout)
