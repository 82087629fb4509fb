"""Veckan: move between weeks, record an outcome of the chosen ÅMV (through the plan's
undoable :meth:`~lakarrond.ui.controllers.plan.PlanController.record`), open the patient,
tick preparation steps (audited, undoable) and print the week's round list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from functools import partial
from typing import TypeVar

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QMenu

from lakarrond.document import AnnualReview
from lakarrond.errors import UserError
from lakarrond.matter import parse_role
from lakarrond.printouts import Printout
from lakarrond.services import preparation
from lakarrond.services.preparation import StepCount, StepState
from lakarrond.services.printing import make_week_list
from lakarrond.services.week import load_week, review_checklists
from lakarrond.services.week_data import (
    NEW_DATE,
    TodoItem,
    WeekData,
    day_label,
    monday_of,
)
from lakarrond.ui import undo
from lakarrond.ui.context import PREPARATION, AppContext
from lakarrond.ui.controllers.week_matters import WeekMatters
from lakarrond.ui.dialogs.outcome import DayDoneDialog
from lakarrond.ui.models.cancelled import cancelled_reviews
from lakarrond.ui.prepared import PlanContent, Preparer
from lakarrond.ui.views.week import WeekView
from solver.problem import VisitStatus

T = TypeVar("T")
DOCTOR_KEY = "week/doctor"  # the doctor chosen in Veckan ("" = Alla läkare)
CENTRE_KEY = "week/health_centre"  # or the health centre chosen ("" = none)
ROLE_KEY = "week/role"  # "Mina steg": the role whose steps "Att göra nu" shows ("" = Alla)
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
        self.shown: list[AnnualReview] = []  # the ÅMV whose checklist is shown
        self.step_names: list[str] = []  # the year's preparation steps, read at each reload
        self._content: PlanContent | None = None  # made on the save job (offer)
        v = view
        for button, go in ((v.prev_button, self.previous_week), (v.next_button, self.next_week),
                           (v.today_button, self.this_week)):
            button.clicked.connect(go)
            button.clicked.connect(self._keys_to_rows)  # a week step leaves the keys in the rows
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
        v.tick_button.clicked.connect(self.tick_chosen_step)
        v.step_combo.currentTextChanged.connect(lambda _text: self._step_chosen())
        v.set_role(parse_role(str(ctx.settings.value(ROLE_KEY, "") or "")))
        v.role_combo.currentIndexChanged.connect(lambda _i: self._role_chosen())
        for number, action in enumerate(v.step_actions):
            action.triggered.connect(lambda _=False, n=number: self.tick_step_number(n))
        self.matters = WeekMatters(ctx, view, lambda: self.monday,
                                   self.open_patient_requested.emit)
    def _read(self, fn: Callable[[], T]) -> T | None:
        """Read for the view; a failure is shown once (not ``ctx.call``, whose "read
        everything again" would come back here)."""
        try:
            return fn()
        except UserError as exc:
            self.ctx.show_error(str(exc))
            return None

    def preparer(self, base: Preparer) -> Preparer:
        """``base`` (Årsplan's and Rondschema's part) with Veckan's week shown now."""
        return replace(base, todo=self.view.todo_model.prepare, monday=self.monday)

    def offer(self, content: PlanContent | None) -> None:
        """The week prepared on the save job (the week shown then), used by the next reload
        when it is still that week of that document (issue 17)."""
        self._content = content

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

    def reload(self, in_place: bool = False) -> None:
        """Read the week again (the window's plan document is reused for its year). With
        ``in_place`` (after an outcome, a tick, their undo) the same week is updated in
        place – only the rows that changed (issue 17); otherwise it is shown anew."""
        chosen = [w.visit_id for w in self.view.selected_reviews()]
        todo = {(t.kind, t.visit_id, t.patient_id) for t in self.view.selected_todo()}
        content, self._content = self._content, None
        if content is not None and (content.week is None or content.week.monday != self.monday
                                    or content.document is not self.ctx.document):
            content = None  # another week or plan now: read as usual
        week = content.week if content is not None else self._read(lambda: load_week(
            self.ctx.db, self.monday, self.ctx.today(), known=[self.ctx.document]))
        if week is None:
            return
        same = in_place and self.week is not None and self.week.monday == week.monday
        self.week = week
        cancelled = cancelled_reviews(self.ctx.document, week.monday, week.sunday)
        if same and self.view.update_week(week, cancelled):
            if todo and not chosen and not self.view.selected_todo():
                self._select_todo(todo)
            self._refresh_current()
            return
        doctor = str(self.ctx.settings.value(DOCTOR_KEY, "") or "")  # kept in any week
        centre = str(self.ctx.settings.value(CENTRE_KEY, "") or "")
        self.view.set_doctors(sorted({d.doctor for d in week.doctors} | {doctor} - {""}),
                              doctor, sorted({d.health_centre for d in week.doctors}
                                             | {centre} - {""}), centre)
        self.view.load(week, cancelled, content.todo if content is not None else None)
        if week.missing and self.ctx.document is None:  # say it as the status bar does
            self.view.note.setText(f"Ingen plan för {self.ctx.year} ännu.")
        steps = self._steps()  # read once per reload (Alt+1 … Alt+9 use the names)
        self.step_names = [st.name for st in steps]
        self.view.set_steps(self.step_names, {st.name: st.role for st in steps})
        self.view.select_visits(chosen)  # every ÅMV selected stays selected
        if todo and not chosen:
            self._select_todo(todo)
        self._refresh_current()

    def _role_chosen(self) -> None:
        """"Mina steg" (remembered): the view shows that role's steps already."""
        role = self.view.chosen_role()
        self.ctx.settings.setValue(ROLE_KEY, role.value if role is not None else "")

    def _doctor_chosen(self) -> None:
        """Veckan for one doctor, a health centre's doctors or all (remembered); the tree
        and the printout follow."""
        self.ctx.settings.setValue(DOCTOR_KEY, self.view.chosen_doctor() or "")
        self.ctx.settings.setValue(CENTRE_KEY, self.view.chosen_centre() or "")
        if self.week is None:
            return
        chosen = [w.visit_id for w in self.view.selected_reviews()]  # the week as read: no store
        self.view.load(self.week, cancelled_reviews(self.ctx.document, self.week.monday,
                                                    self.week.sunday))
        self.view.select_visits(chosen)
        self._refresh_current()

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
        found = (self._find(a.visit_id) for a in self.shown)
        self.show_checklists([a for a in found if a is not None])

    def _tree_selected(self) -> None:
        chosen = self.view.selected_reviews()
        if chosen:
            self.view.todo.view.clearSelection()
            self.show_checklists([w.review for w in chosen])
        elif self.view.tree.selectionModel().hasSelection():  # a round, a day, a matter:
            self.view.todo.view.clearSelection()  # no ÅMV's steps are shown for it
            self.show_checklists([])
        self.view.update_buttons(bool(chosen) or self._todo_review() is not None)

    def _todo_review(self) -> AnnualReview | None:
        item = self.view.current_todo()
        return item.review if item is not None else None

    def _todo_selected(self) -> None:
        reviews = self._todo_reviews()
        if reviews:
            self.view.tree.selectionModel().clearSelection()
            self.show_checklists(reviews)
        self.view.update_buttons(bool(reviews) or bool(self.view.selected_reviews()))
        self.view.tick_button.setEnabled(bool(reviews) and self.view.chosen_step() is not None)

    def _todo_reviews(self) -> list[AnnualReview]:
        """The ÅMV of the rows selected in "Att göra nu" (each once)."""
        found = {t.review.visit_id: t.review for t in self.view.selected_todo()
                 if t.review is not None}
        return list(found.values())

    def _select_todo(self, keys: set[tuple[str, int, int]]) -> None:
        """Select again the rows of "Att göra nu" that were selected (one selection change)."""
        model, proxy = self.view.todo_model, self.view.todo.proxy
        chosen = QItemSelection()
        for r in range(model.rowCount()):
            t = model.row_at(r)
            if (t.kind, t.visit_id, t.patient_id) in keys:
                index = proxy.mapFromSource(model.index(r, 0))
                if index.isValid():
                    chosen.select(index, index)
        if not chosen.isEmpty():
            self.view.todo.view.selectionModel().select(
                chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def targets(self) -> list[AnnualReview]:
        """The ÅMV the buttons act on: those selected in the week, else those selected in
        the list of what needs doing."""
        chosen = [w.review for w in self.view.selected_reviews()]
        if chosen:
            return chosen
        return self._todo_reviews()

    def select(self, review: AnnualReview) -> bool:
        """Show the ÅMV in its week, selected (False when it is not in the plan's weeks)."""
        self.go(review.date)
        return self.view.select_visit(review.visit_id)

    # --- outcomes and the patient -----------------------------------------------------------
    def _keys_to_rows(self) -> None:
        self.view.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def record_selected(self, status: VisitStatus) -> bool:
        """Record ``status`` for the chosen ÅMV; they stay selected (``reload``) and the
        keyboard is back in the week's rows, so arrows and Ctrl+A work at once."""
        recorded = self.record_fn(self.targets(), status)
        if self.view.selected_reviews():
            self._keys_to_rows()
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
        if item.matter_id:  # a matter to record: shown in its round, chosen
            self.go(item.date)
            self.matters.select(item.matter_id)
            return
        if item.review is not None:
            self.select(item.review)

    def _menu(self, point: QPoint) -> None:
        menu = self.tree_menu(point)
        if menu is not None:
            menu.popup(self.view.tree.viewport().mapToGlobal(point))

    def tree_menu(self, point: QPoint) -> QMenu | None:
        """The week tree's context menu at ``point`` (None off an ÅMV); a right-click on an
        ÅMV outside the selection selects it alone."""
        index = self.view.tree.indexAt(point)
        review = self.view.tree_model.review_at(index)
        if review is None:
            return self.matters.menu(index)  # a matter or round row
        if review.visit_id not in {w.visit_id for w in self.view.selected_reviews()}:
            self.view.select_visit(review.visit_id)
        menu = QMenu(self.view)
        for status, text in OUTCOMES:
            menu.addAction(text, partial(self.record_selected, status))
        menu.addAction("Genomförd annat datum …", lambda: self.record_held_fn(self.targets()))
        menu.addSeparator()
        steps = menu.addMenu("Bocka av steg")  # issue 20.1: for every selected ÅMV
        for row in self.view.checklist_model.rows():
            steps.addAction(f"{row.step} ({_done_text(row)})",
                            partial(self.set_step, row.step, True))
        menu.addAction("Öppna patienten …", self.open_patient)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return menu

    # --- preparation ----------------------------------------------------------------------
    def show_checklists(self, reviews: list[AnnualReview]) -> None:
        """The checklist of one ÅMV, or of several (each step once, how many done)."""
        self.shown = reviews
        if not reviews:
            self.view.show_checklist([], [])
            return
        lists = self._read(lambda: review_checklists(self.ctx.db, reviews, self.ctx.today()))
        if len(reviews) == 1:
            rows: list[StepState | StepCount] = list((lists or [[]])[0])
        else:
            rows = list(preparation.count_steps(lists or []))
        self.view.show_checklist(reviews, rows)

    def show_checklist(self, review: AnnualReview | None) -> None:
        self.show_checklists([review] if review is not None else [])

    @property
    def current(self) -> AnnualReview | None:
        """The ÅMV whose checklist is shown, the first when several are."""
        return self.shown[0] if self.shown else None

    def _steps(self) -> list[preparation.PreparationStep]:
        found = self._read(lambda: preparation.steps(self.ctx.db, self.monday.year))
        return found or []

    def set_step(self, step: str, done: bool, day: date | None = None,
                 reviews: list[AnnualReview] | None = None) -> bool:
        """Tick (done today, or on ``day``) or untick a step of every ÅMV shown (or of
        ``reviews``) in one service call and one undo step; audited per ÅMV. A step
        already done keeps its date unless ``day`` is given."""
        targets = list(reviews if reviews is not None else self.shown)
        if not targets:
            return False
        keys = list(dict.fromkeys((a.patient_id, a.date) for a in targets))
        done_on = day or self.ctx.today()
        who = targets[0].patient if len(targets) == 1 else f"{len(targets)} ÅMV"
        if done:
            result = self.ctx.call(lambda: preparation.tick_many(
                self.ctx.db, keys, step, done_on=done_on, replace_done=day is not None))
            text = f"Klart: {step} ({who})"
        else:
            result = self.ctx.call(lambda: preparation.untick_many(self.ctx.db, keys, step))
            text = f"Inte klart: {step} ({who})"
        if result is None:
            return False  # the service said no (shown); the window reads everything again
        if not result:
            self.show_checklists(self.shown)
            self.ctx.status(f"{step}: redan {'klart' if done else 'inte klart'} för "
                            f"{'ÅMV:n' if len(targets) == 1 else 'alla markerade'}.")
            return False  # nothing changed
        self.ctx.undo_stack.push(undo.TickSteps(self.ctx, step, result, text))
        self.ctx.notify(PREPARATION)  # once for the batch
        self.ctx.status(f"{text} – {day_label(done_on)}." if done else f"{text}.")
        return True

    def tick_step_number(self, number: int) -> bool:
        """Alt+1 … Alt+9: tick step ``number`` (from 0) of the ÅMV shown."""
        names = self.step_names
        if not 0 <= number < len(names) or not self.shown:
            return False
        return self.set_step(names[number], True)

    def _step_chosen(self) -> None:
        """A step chosen under "Att göra nu": only the ÅMV where it is to be done show."""
        step = self.view.chosen_step()
        self.view.todo.search.setText(step or "")
        self._todo_selected()

    def tick_chosen_step(self) -> bool:
        """"Bocka av för markerade": the chosen step done today for every ÅMV selected in
        "Att göra nu"."""
        step, reviews = self.view.chosen_step(), self._todo_reviews()
        if step is None or not reviews:
            return False
        return self.set_step(step, True, reviews=reviews)

    def step_done_on(self, step: str) -> bool:
        """Ask the day the step was done (up to today) and tick it with that day."""
        if not self.shown:
            return False
        who = self.shown[0].patient if len(self.shown) == 1 else f"{len(self.shown)} ÅMV"
        dialog = DayDoneDialog("Klart ett annat datum", f"{step} – {who}",
                               "Klart den", "Markera klart", self.ctx.today(),
                               parent=self.view)
        if not self.ctx.exec_dialog(dialog):
            return False
        return self.set_step(step, True, dialog.value())

    def _checklist_menu(self, point: QPoint) -> None:
        index = self.view.checklist.indexAt(point)
        if not index.isValid() or not self.shown:
            return
        row = self.view.checklist_model.row_at(index.row())
        menu = QMenu(self.view)
        menu.addAction("Klart ett annat datum …", lambda: self.step_done_on(row.step))
        if row.done:  # done for this ÅMV, or for some of those shown
            menu.addAction("Inte klart", lambda: self.set_step(row.step, False))
        menu.popup(self.view.checklist.viewport().mapToGlobal(point))

    # --- paper ----------------------------------------------------------------------------
    def _fill_print_menu(self, menu: QMenu) -> None:
        """The doctor chosen in Veckan (if one is), Alla läkare (one page each), then one
        entry per doctor of the week."""
        menu.clear()
        chosen, centre = self.view.chosen_doctor(), self.view.chosen_centre()
        if chosen is not None:
            menu.addAction(f"{chosen} (vald i Veckan) …", lambda: self.print_week(chosen))
        if centre is not None:
            menu.addAction(f"{centre}: dess läkare (vald i Veckan) …", self.print_week)
        menu.addAction("Alla läkare (en sida per läkare) …",
                       lambda: self.print_week(every=True))
        doctors = sorted({d.doctor for d in self.week.doctors}) if self.week else []
        if doctors:
            menu.addSeparator()
        for name in doctors:
            menu.addAction(f"{name} …", partial(self.print_week, name))

    def print_week(self, doctor: str | None = None, every: bool = False) -> bool:
        """The week's round list through the print preview: only ``doctor``'s page (by
        default the doctor chosen in Veckan), or with ``every`` (or no doctor chosen) one
        page per doctor."""
        doctors = None
        if doctor is None and not every:
            doctor = self.view.chosen_doctor()
            doctors = self.view.chosen_doctors() if self.view.chosen_centre() else None
        printout = self.ctx.call(lambda: make_week_list(
            self.ctx.db, self.monday, self.ctx.today(), doctor=doctor,
            known=[self.ctx.document], doctors=doctors))
        return printout is not None and self.preview(printout)


def _done_text(row: StepState | StepCount) -> str:
    if isinstance(row, StepCount):
        return row.text
    return "klart" if row.done else "inte klart"
