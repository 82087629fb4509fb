"""Veckan's find bar (Ctrl+F on the Veckan tab): find a patient or a doctor among the rows of
the week shown; Enter or F3 goes to the next match, Shift+Enter or Shift+F3 to the previous
one, Esc closes the bar. A name not in the week (or only with a doctor not shown) is said."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QTreeView,
    QWidget,
)

from lakarrond.services.week_data import WeekData
from lakarrond.ui.models.week import DOCTOR, REVIEW, WeekTreeModel


def find_rows(model: WeekTreeModel, text: str) -> list[QModelIndex]:
    """The doctor rows and ÅMV rows whose doctor or patient contains ``text`` (any case),
    in the order shown."""
    wanted = text.strip().casefold()
    if not wanted:
        return []
    names = {DOCTOR: lambda n: n.item.doctor, REVIEW: lambda n: n.item.patient}
    return [model.index_of(node) for node in model.nodes()
            if node.kind in names and wanted in names[node.kind](node).casefold()]


def hidden_doctors(week: WeekData | None, text: str) -> list[str]:
    """The doctors of the whole ``week`` with a patient or name matching ``text``."""
    wanted = text.strip().casefold()
    if week is None or not wanted:
        return []
    return [d.doctor for d in week.doctors
            if wanted in d.doctor.casefold()
            or any(wanted in r.patient.casefold() for r in d.reviews)]


class _FindEdit(QLineEdit):
    escaped = Signal()
    backwards = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.backwards.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """The bar under Veckan's buttons; hidden until Ctrl+F. ``tree`` shows the week,
    ``whole_week`` gives the week read (every doctor, whatever the chooser shows)."""

    def __init__(self, tree: QTreeView, whole_week: Callable[[], WeekData | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree, self.whole_week = tree, whole_week
        self.matches: list[QModelIndex] = []
        self.at = -1
        self.edit = _FindEdit()
        self.edit.setPlaceholderText("Hitta patient eller läkare i veckan …")
        self.edit.setClearButtonEnabled(True)
        self.previous_button = QToolButton()
        self.previous_button.setText("▲ Föregående")
        self.previous_button.setToolTip("Föregående träff (Skift+Enter, Skift+F3)")
        self.next_button = QToolButton()
        self.next_button.setText("▼ Nästa")
        self.next_button.setToolTip("Nästa träff (Enter, F3)")
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("Stäng (Esc)")
        self.result = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Hitta:"))
        layout.addWidget(self.edit, 2)
        for w in (self.previous_button, self.next_button):
            layout.addWidget(w)
        layout.addWidget(self.result, 3)
        layout.addWidget(self.close_button)
        self.next_action = QAction("Nästa träff", self)
        self.next_action.setShortcut(QKeySequence("F3"))
        self.previous_action = QAction("Föregående träff", self)
        self.previous_action.setShortcut(QKeySequence("Shift+F3"))
        for action in (self.next_action, self.previous_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.hide()
        self.edit.textChanged.connect(lambda _text: self.search())
        self.edit.returnPressed.connect(lambda: self.step(1))
        self.edit.backwards.connect(lambda: self.step(-1))
        self.edit.escaped.connect(self.close_bar)
        self.next_button.clicked.connect(lambda: self.step(1))
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_action.triggered.connect(lambda: self.step(1))
        self.previous_action.triggered.connect(lambda: self.step(-1))
        self.close_button.clicked.connect(self.close_bar)

    @property
    def model(self) -> WeekTreeModel:
        model = self.tree.model()
        assert isinstance(model, WeekTreeModel)
        return model

    def open_bar(self) -> None:
        """Show the bar with the text selected (Ctrl+F again: a new search)."""
        self.show()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def search(self) -> int:
        """Find the text in the week shown and go to the first match; returns the number
        of matches."""
        text = self.edit.text()
        self.matches = find_rows(self.model, text)
        self.at = -1
        if self.matches:
            self.step(1)
        elif not text.strip():
            self.result.setText("")
        else:
            others = hidden_doctors(self.whole_week(), text)
            self.result.setText(
                f"Finns hos {', '.join(others[:3])}{' …' if len(others) > 3 else ''} – "
                "välj Alla läkare för att se" if others
                else f"”{text.strip()}” finns inte i veckan")
        return len(self.matches)

    def step(self, by: int) -> bool:
        """Go to the next (``by`` 1) or previous (-1) match, round the week."""
        if not self.matches:
            return False
        self.at = (self.at + by) % len(self.matches)
        index = self.matches[self.at]
        selection = self.tree.selectionModel()
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        selection.select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                         | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(index)
        self.result.setText(f"{self.at + 1} av {len(self.matches)}")
        return True
