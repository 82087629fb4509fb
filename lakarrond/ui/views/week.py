"""Veckan: the coordinator's week. Per doctor and day the rounds and the ÅMV in them with
their preparation (a tree), what needs doing now (right), and the preparation checklist of
the chosen ÅMV (right, below). ◀ / ▶ (Alt+Vänster / Alt+Höger), "Denna vecka" (Alt+Home)
and a date field move between weeks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, QItemSelection, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from lakarrond.document import AnnualReview
from lakarrond.matter import Role, parse_role
from lakarrond.services.preparation import StepCount, StepState
from lakarrond.services.week_data import TodoItem, WeekData, WeekReview, day_label
from lakarrond.ui.dates import DateEdit
from lakarrond.ui.models.table import PreparedRows
from lakarrond.ui.models.week import ChecklistModel, TodoModel, WeekTreeModel
from lakarrond.ui.models.week_lists import for_role
from lakarrond.ui.views.common import TablePanel
from lakarrond.ui.views.matter_bar import MatterBar
from lakarrond.ui.views.start import StartHint
from lakarrond.ui.views.week_find import FindBar, find_rows

ALL_DOCTORS = "Alla läkare"
CENTRE_SUFFIX = " – alla läkare"  # "VC Norr – alla läkare": a health centre's doctors
ALL_STEPS = "Alla steg"
ALL_ROLES = "Alla"  # "Mina steg": every item of "Att göra nu"


class ElidedLabel(QLabel):
    """One line of text, elided with "…" to the width it gets (the whole text in the
    tooltip), its height fixed to one line: it never wraps, widens or moves what is
    below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setWordWrap(False)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self.setFixedHeight(self.fontMetrics().height() + 4)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(
            self._full, Qt.TextElideMode.ElideRight, max(self.width(), 40)))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class WeekView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.week: WeekData | None = None
        self.step_roles: dict[str, Role | None] = {}  # the year's steps and who does each
        self.prev_button = QPushButton("◀")
        self.prev_button.setToolTip("Föregående vecka (Alt+Vänster)")
        self.prev_button.setShortcut(QKeySequence("Alt+Left"))
        self.today_button = QPushButton("Denna vecka")
        self.today_button.setToolTip("Tillbaka till denna vecka (Alt+Home)")
        self.today_button.setShortcut(QKeySequence("Alt+Home"))
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip("Nästa vecka (Alt+Höger)")
        self.next_button.setShortcut(QKeySequence("Alt+Right"))
        for b in (self.prev_button, self.next_button):
            b.setFixedWidth(36)
        self.date_edit = DateEdit()
        self.date_edit.setKeyboardTracking(False)  # go to the week once the date is typed
        self.date_edit.setToolTip("Gå till veckan med detta datum")
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.note = QLabel()
        self.note.setStyleSheet("color: #5c4400;")
        for label in (self.title, self.note):  # wrap rather than widen the window (1024 px)
            label.setWordWrap(True)
        self.doctor_combo = QComboBox()
        self.doctor_combo.setToolTip("Visa och skriv ut veckan för en läkare, en vårdcentrals "
                                     "läkare eller alla")
        self.doctor_combo.setMaxVisibleItems(25)
        self.doctor_combo.setMinimumContentsLength(14)  # a name fits; the list is wider
        self.doctor_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.doctor_combo.addItem(ALL_DOCTORS)
        self.print_button = QPushButton("Skriv ut veckan …")
        self.print_button.setToolTip("Veckans ronder till läkarna: en sida per läkare")
        self.pdf_button = QToolButton()  # one click saves; the arrow: open/change the folder
        self.pdf_button.setText("Spara veckan som PDF …")
        self.pdf_button.setToolTip(
            "Veckolistan (vald läkare eller alla) som PDF i mappen du använde senast, "
            "med vecka och läkare i filnamnet")
        self.pdf_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        pdf_menu = QMenu(self.pdf_button)
        self.pdf_folder_action = pdf_menu.addAction("Spara i en annan mapp …")
        self.pdf_open_action = pdf_menu.addAction("Öppna mappen")
        self.pdf_button.setMenu(pdf_menu)
        bar = QHBoxLayout()
        for w in (self.prev_button, self.today_button, self.next_button, self.date_edit):
            bar.addWidget(w)
        bar.addSpacing(12)
        bar.addWidget(self.title)
        bar.addWidget(self.note, 1)
        bar.addWidget(self.doctor_combo)
        bar.addWidget(self.print_button)
        bar.addWidget(self.pdf_button)

        self.done_button = QPushButton("Genomförd")
        self.declined_button = QPushButton("Avböjd …")
        self.cancelled_button = QPushButton("Inställd …")
        self.open_button = QPushButton("Öppna patienten …")
        self.open_button.setToolTip("Patientens uppgifter (dubbelklick på en ÅMV)")
        actions = QHBoxLayout()
        actions.addWidget(QLabel("Markerad ÅMV:"))
        for b in self.review_buttons:
            actions.addWidget(b)
        actions.addStretch()

        self.tree_model = WeekTreeModel(self)
        self._sized = False  # the columns fitted to a week's rows (once: issue 17)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setResizeContentsPrecision(100)  # widths from a sample of rows
        self.find_bar = FindBar(self.tree, lambda: self.week)
        for action in (self.find_bar.next_action, self.find_bar.previous_action):
            self.addAction(action)  # F3 / Shift+F3 anywhere in Veckan

        self.todo_model = TodoModel(self)
        self.todo = TablePanel(self.todo_model, {TodoModel.KIND_COLUMN: "Att göra"})
        self.todo.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # late first, as built
        self.todo.view.horizontalHeader().setResizeContentsPrecision(100)  # quick to fit
        self.todo.search.setPlaceholderText("Sök i listan …")  # Ctrl+F: find in the week
        self.todo.allow_many()  # Ctrl+A: every ÅMV listed, for "Bocka av för markerade"
        self.todo_title = QLabel()
        self.role_combo = QComboBox()  # "Mina steg": only the steps of one role
        self.role_combo.addItems([ALL_ROLES, *(r.value for r in Role)])
        self.role_combo.setToolTip("Visa bara förberedelsesteg som denna yrkesroll gör "
                                   "(Alla: allt som ska göras)")
        self.role_combo.currentIndexChanged.connect(self._role_changed)
        role_bar = QHBoxLayout()
        role_bar.addWidget(self.todo_title, 1)
        role_bar.addWidget(QLabel("Mina steg:"))
        role_bar.addWidget(self.role_combo)
        self.step_combo = QComboBox()  # the step "Bocka av för markerade" ticks
        self.step_combo.setToolTip("Visa bara ÅMV där detta steg är att göra; Ctrl+A markerar "
                                   "alla, sedan Bocka av för markerade")
        self.tick_button = QPushButton("Bocka av för markerade")
        self.tick_button.setToolTip("Markera steget klart idag för alla markerade ÅMV "
                                    "(ett steg att ångra)")
        self.tick_button.setEnabled(False)  # until a step is chosen and ÅMV are selected
        tick_bar = QHBoxLayout()
        tick_bar.addWidget(QLabel("Steg:"))
        tick_bar.addWidget(self.step_combo, 1)
        tick_bar.addWidget(self.tick_button)
        todo_box = QWidget()
        box = QVBoxLayout(todo_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(role_bar)
        box.addWidget(self.todo)
        box.addLayout(tick_bar)

        self.checklist_model = ChecklistModel(self)
        self.checklist = QTableView()
        self.checklist.setModel(self.checklist_model)
        self.checklist.verticalHeader().hide()
        self.checklist.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.checklist.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.checklist.horizontalHeader().setStretchLastSection(True)
        self.checklist.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        def to_first_column(now: QModelIndex, _before: QModelIndex) -> None:
            if now.isValid() and now.column() != 0:
                self.checklist.setCurrentIndex(now.siblingAtColumn(0))

        # Space ticks from any column
        self.checklist.selectionModel().currentChanged.connect(to_first_column)
        # one line, elided, fixed height: the list never moves between ÅMV (issue 20.1)
        self.checklist_title = ElidedLabel()
        check_box = QWidget()
        box = QVBoxLayout(check_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.checklist_title)
        box.addWidget(self.checklist)

        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(todo_box)
        side.addWidget(check_box)
        side.setSizes([400, 250])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("weekSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([900, 600])
        self.start_hint = StartHint()
        layout = QVBoxLayout(self)
        layout.addWidget(self.start_hint)
        layout.addLayout(bar)
        layout.addLayout(actions)
        self.matter_bar = MatterBar()  # the round's matters (issue 21)
        layout.addWidget(self.matter_bar)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.splitter, 1)
        self.step_actions: list[QAction] = []
        for number in range(1, 10):  # Alt+1 … Alt+9: tick step n of the selected ÅMV
            action = QAction(f"Bocka av steg {number}", self)
            action.setShortcut(QKeySequence(f"Alt+{number}"))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
            self.step_actions.append(action)
        self.show_checklist([], [])
        self.update_buttons()

    @property
    def review_buttons(self) -> tuple[QPushButton, ...]:
        return (self.done_button, self.declined_button, self.cancelled_button,
                self.open_button)

    # --- loading --------------------------------------------------------------------------
    def chosen_doctor(self) -> str | None:
        """The doctor chosen in Veckan, or None (Alla läkare or a health centre)."""
        text = self.doctor_combo.currentText()
        if text in ("", ALL_DOCTORS) or self.chosen_centre() is not None:
            return None
        return text

    def chosen_centre(self) -> str | None:
        """The health centre chosen in Veckan (its doctors shown), or None."""
        data = self.doctor_combo.currentData()
        return data if isinstance(data, str) and data else None

    def chosen_doctors(self, week: WeekData | None = None) -> list[str] | None:
        """The doctors of ``week`` (default: the week shown) the chooser shows, None for
        all of them."""
        week = week or self.week
        doctor, centre = self.chosen_doctor(), self.chosen_centre()
        if doctor is not None:
            return [doctor]
        if centre is None:
            return None
        return [d.doctor for d in (week.doctors if week else ()) if d.health_centre == centre]

    def set_doctors(self, doctors: Sequence[str], chosen: str | None,
                    centres: Sequence[str] = (), centre: str | None = None) -> None:
        """Alla läkare, the health centres (each: its doctors) and ``doctors`` in the
        chooser; ``centre`` or else ``chosen`` (when among them) chosen."""
        combo = self.doctor_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL_DOCTORS)
        if centres:
            combo.insertSeparator(combo.count())
        for name in centres:
            combo.addItem(f"{name}{CENTRE_SUFFIX}", name)
        if doctors:
            combo.insertSeparator(combo.count())
        combo.addItems(list(doctors))
        at = combo.findData(centre) if centre else -1
        if at < 0:
            at = combo.findText(chosen or "") if chosen else 0
        combo.setCurrentIndex(max(0, at))
        combo.blockSignals(False)

    def open_find(self) -> None:
        """Ctrl+F on Veckan: the find bar."""
        self.find_bar.open_bar()

    def load(self, week: WeekData, cancelled: Sequence[AnnualReview] = (),
             todo: PreparedRows[TodoItem] | None = None) -> None:
        """Show ``week``; ``todo``: its "Att göra nu" rows prepared on a job's thread."""
        self.week = week
        shown = self.chosen_doctors(week)
        if shown is not None:  # the tree shows the chosen doctor(s) only
            week = replace(week, doctors=tuple(d for d in week.doctors if d.doctor in shown))
        self.title.setText(week.label)
        self.note.setText(week.note)
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(_qdate(week.monday))
        self.date_edit.blockSignals(False)
        self.tree_model.set_week(week, cancelled)
        for index in self.tree_model.spanned():
            self.tree.setFirstColumnSpanned(index.row(), index.parent(), True)
        self.tree.expandAll()
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        if not self._sized:  # once, on the first week with rows: a week step keeps them
            self._sized = self.tree_model.rowCount() > 0
            for column in range(self.tree_model.columnCount() - 1):
                self.tree.resizeColumnToContents(column)
                width = self.tree.columnWidth(column)
                self.tree.setColumnWidth(column, min(width, 260))
        if todo is not None:  # ``week``'s rows prepared on a job's thread: the list set
            self.todo_model.set_prepared(todo)  # next keeps their texts (set_rows)
        self._show_todo(week)
        self.update_buttons()
        if self.find_bar.isVisible() and self.find_bar.edit.text():
            self.find_bar.matches = find_rows(self.tree_model, self.find_bar.edit.text())
            self.find_bar.at = -1  # the rows are new: the next match is the first

    def update_week(self, week: WeekData, cancelled: Sequence[AnnualReview] = ()) -> bool:
        """The week shown, read again (issue 17): the rows that changed are updated in place
        (selection, folding and columns stay). False, nothing done, when it is another week
        or rows came or went (then :meth:`load`)."""
        if self.week is None or week.monday != self.week.monday:
            return False
        chosen = self.chosen_doctors(week)
        shown = week if chosen is None else replace(
            week, doctors=tuple(d for d in week.doctors if d.doctor in chosen))
        if not self.tree_model.update_week(shown, cancelled):
            return False
        self.week = week
        self.note.setText(week.note)
        if for_role(week.todo, self.chosen_role()) != self.todo.model.rows():
            self._show_todo(week)
        self.update_buttons()
        return True

    def _show_todo(self, week: WeekData) -> None:
        rows = for_role(week.todo, self.chosen_role())
        self.todo.set_rows(rows)
        late = sum(1 for t in rows if t.late)
        self.todo_title.setText(
            f"<b>Att göra nu</b> – {len(rows)} st, varav {late} försenade "
            "(denna och de två följande veckorna)" if rows
            else "<b>Att göra nu</b> – inget just nu")

    def chosen_role(self) -> Role | None:
        """The role chosen under "Mina steg" (None: Alla)."""
        return parse_role(self.role_combo.currentText())

    def set_role(self, role: Role | None) -> None:
        """Choose the role of "Mina steg" (None: Alla); the list follows."""
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findText(
            role.value if role is not None else ALL_ROLES)))

    def _role_changed(self) -> None:
        if self.week is not None:
            self._show_todo(self.week)
        if self.step_roles:  # the step chooser follows: only this role's steps
            before = self.step_combo.currentText()
            self.set_steps(list(self.step_roles), self.step_roles)
            if self.step_combo.currentText() != before:  # the step chosen was another's
                self.step_combo.currentTextChanged.emit(self.step_combo.currentText())

    def show_checklist(self, reviews: Sequence[AnnualReview],
                       rows: Sequence[StepState | StepCount]) -> None:
        """The checklist of one ÅMV, or of several (each step once, "3 av 9 klara")."""
        if not reviews:
            text = "Förberedelse – välj en eller flera ÅMV"
        elif len(reviews) == 1:
            review = reviews[0]
            text = (f"Förberedelse – {review.patient}, ÅMV {day_label(review.date)} "
                    f"({review.unit}). Bocka i när ett steg är klart.")
        else:
            text = (f"Förberedelse – {len(reviews)} markerade ÅMV. En bock gäller alla "
                    "(Alt+1 … Alt+9: steg 1 … 9).")
        self.checklist_title.set_full_text(text)
        self.checklist_model.set_rows(list(rows))
        self.checklist.resizeColumnsToContents()
        self.checklist.setEnabled(bool(reviews))

    def set_steps(self, names: Sequence[str],
                  roles: Mapping[str, Role | None] | None = None) -> None:
        """The steps of the year in the step chooser under "Att göra nu" (the choice kept;
        with a role chosen under "Mina steg" only that role's steps)."""
        self.step_roles = dict(roles or {})
        role = self.chosen_role()
        current = self.step_combo.currentText()
        self.step_combo.blockSignals(True)
        self.step_combo.clear()
        self.step_combo.addItems([ALL_STEPS, *(n for n in names
                                               if role is None or self.step_roles.get(n) == role)])
        self.step_combo.setCurrentIndex(max(0, self.step_combo.findText(current)))
        self.step_combo.blockSignals(False)
        for number, action in enumerate(self.step_actions):
            action.setText(f"Bocka av {names[number]}" if number < len(names)
                           else f"Bocka av steg {number + 1}")

    def chosen_step(self) -> str | None:
        text = self.step_combo.currentText()
        return None if text in ("", ALL_STEPS) else text

    # --- selection ------------------------------------------------------------------------
    def selected_reviews(self) -> list[WeekReview]:
        rows = self.tree.selectionModel().selectedRows()
        found = [self.tree_model.review_at(i) for i in sorted(rows, key=self._order)]
        return [w for w in found if w is not None]

    def _order(self, index: QModelIndex) -> tuple[int, ...]:
        path: list[int] = []
        while index.isValid():
            path.insert(0, index.row())
            index = index.parent()
        return tuple(path)

    def current_todo(self) -> TodoItem | None:
        row = self.todo.current()
        return row if isinstance(row, TodoItem) else None

    def select_visits(self, visit_ids: Sequence[int]) -> int:
        """Select the ÅMV of ``visit_ids`` shown in the tree (the first made current);
        returns how many were found."""
        indexes = [i for i in (self.tree_model.find_visit(v) for v in visit_ids)
                   if i.isValid()]
        if not indexes:
            return 0
        chosen = QItemSelection()
        for index in indexes:
            last = index.siblingAtColumn(self.tree_model.columnCount() - 1)
            chosen.select(index, last)
        model = self.tree.selectionModel()
        model.setCurrentIndex(indexes[0], QItemSelectionModel.SelectionFlag.NoUpdate)
        model.select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect
                     | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(indexes[0])
        return len(indexes)

    def selected_todo(self) -> list[TodoItem]:
        return [r for r in self.todo.selected() if isinstance(r, TodoItem)]

    def select_visit(self, visit_id: int) -> bool:
        index = self.tree_model.find_visit(visit_id)
        if not index.isValid():
            return False
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.selectionModel().setCurrentIndex(index, flags)
        self.tree.scrollTo(index)
        return True

    def update_buttons(self, has_review: bool | None = None) -> None:
        if has_review is None:
            has_review = bool(self.selected_reviews())
        for b in self.review_buttons:
            b.setEnabled(has_review)
