"""Small shared pieces of the dialogs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QAbstractItemModel, QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lakarrond.today import today as todays_date
from lakarrond.ui.dates import DateEdit


def row_table(model: QAbstractItemModel, stretch_last: bool = True) -> QTableView:
    """A table of whole rows, one chosen at a time, columns sized to their contents."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(stretch_last)
    return view


def select_first_row(view: QTableView) -> None:
    """Choose the first row (the best suggestion), when there is one."""
    if view.model().rowCount() > 0:
        view.selectRow(0)


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(day: date | None = None, parent: QWidget | None = None) -> QDateEdit:
    """Every date field of the program: one that takes a whole typed date (:class:`DateEdit`)."""
    edit = DateEdit(parent)
    edit.setDate(to_qdate(day or todays_date()))
    return edit


def error_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    label.hide()
    return label


class NumbersChoice:
    """"Utan personnummer" (chosen) or "Med personnummer" in one row, and the warning about
    full personnummer (hidden; the dialog shows it as its choice says): every file a
    dialog writes with patients offers this one choice."""

    def __init__(self, owner: QWidget, warning: str) -> None:
        self.without_numbers = QRadioButton("Utan personnummer")
        self.with_numbers = QRadioButton("Med personnummer")
        self.group = QButtonGroup(owner)
        self.group.addButton(self.without_numbers)
        self.group.addButton(self.with_numbers)
        self.without_numbers.setChecked(True)
        self.warning = QLabel(warning)
        self.warning.setWordWrap(True)
        self.warning.setVisible(False)
        self.row = QHBoxLayout()
        self.row.addWidget(self.without_numbers)
        self.row.addWidget(self.with_numbers)
        self.row.addStretch()


def ok_cancel(parent: QWidget, ok_text: str = "Spara") -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
    return buttons


def first_input(dialog: QWidget) -> QWidget | None:
    """The first field of ``dialog`` in its tab order that takes typing or a choice: not a
    push button, not read-only, visible and enabled (None when it has none)."""
    widget = dialog.nextInFocusChain()
    while widget is not None and widget is not dialog:
        takes = (bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.isEnabled()
                 and widget.isVisibleTo(dialog)
                 and (not isinstance(widget, QAbstractButton) or isinstance(widget, QCheckBox))
                 and not (isinstance(widget, QLineEdit) and widget.isReadOnly()))
        if takes:
            return widget
        widget = widget.nextInFocusChain()
    return None


class Dialog(QDialog):
    """Every dialog of the window takes typing (issue 20): it opens with the focus in its
    first input (not on a button, where a typed space would press it), Enter confirms (the
    default button), Escape cancels. Buttons take the focus by Tab only, so a click on one
    does not leave the focus where the next typed space presses it again."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # the button box has made its first accept button default
        for button in self.findChildren(QAbstractButton):
            if not isinstance(button, QCheckBox):
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        field = first_input(self)
        if field is not None and not event.spontaneous():
            field.setFocus(Qt.FocusReason.OtherFocusReason)


class FormDialog(Dialog):
    """A dialog with an error label that stays open while its checks fail."""

    errors: QLabel

    def show_errors(self, errors: Sequence[str] | str) -> None:
        text = errors if isinstance(errors, str) else "\n".join(errors)
        self.errors.setText(text)
        self.errors.setVisible(bool(text))

    def check(self) -> list[str]:
        return []

    def accept(self) -> None:
        errors = self.check()
        if errors:
            self.show_errors(errors)
            return
        super().accept()

    def _finish(self, form: QFormLayout, ok_text: str = "Spara") -> None:
        buttons = ok_cancel(self, ok_text)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
