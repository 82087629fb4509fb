"""Årsuppföljning …: choose the year, see the follow-up in tabs (per health centre, doctor,
unit and the total), save it as Excel or PDF. The dialog only shows; its controller
(:mod:`lakarrond.ui.controllers.year_follow_up`) loads and saves in the background."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lakarrond.followup import FollowUp
from lakarrond.ui.dialogs.common import Dialog, row_table
from lakarrond.ui.models.year_follow_up import NAME_KEYS, FollowUpTableModel

EXPLAINED = ("En ÅMV räknas som hållen bara när den är registrerad Genomförd. Ronder och "
             "försenade räknas till årets slut (i år: till i dag). Läkartid: läkartimmar per "
             "vecka per 10 patienter.")


class FollowUpDialog(Dialog):
    def __init__(self, year: int, load: Callable[[int], None], save: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Årsuppföljning")
        self.resize(1100, 520)
        self.follow_up: FollowUp | None = None
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.year.setAccessibleName("År")
        self.show_button = QPushButton("Visa")
        self.show_button.clicked.connect(lambda: load(self.year.value()))
        self.year.editingFinished.connect(lambda: load(self.year.value()))
        self.state = QLabel("")
        top = QHBoxLayout()
        top.addWidget(QLabel("År:"))
        top.addWidget(self.year)
        top.addWidget(self.show_button)
        top.addWidget(self.state, 1)
        self.tabs = QTabWidget()
        self.models: dict[str, FollowUpTableModel] = {}
        for name in NAME_KEYS:
            model = FollowUpTableModel(name, self)
            self.models[name] = model
            self.tabs.addTab(row_table(model, stretch_last=False), name)
        note = QLabel(EXPLAINED)
        note.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton("Stäng", QDialogButtonBox.ButtonRole.RejectRole)
        self.excel_button = buttons.addButton("Spara som Excel …",
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button = buttons.addButton("Spara som PDF …",
                                            QDialogButtonBox.ButtonRole.ActionRole)
        self.excel_button.clicked.connect(lambda: save(".xlsx"))
        self.pdf_button.clicked.connect(lambda: save(".pdf"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.set_result(None)

    def set_loading(self) -> None:
        self.state.setText("Räknar …")
        self.excel_button.setEnabled(False)
        self.pdf_button.setEnabled(False)

    def set_result(self, result: FollowUp | None) -> None:
        """Show ``result`` in the tabs (None: empty, nothing to save)."""
        self.follow_up = result
        tables = dict(result.tables()) if result is not None else {}
        for name, model in self.models.items():
            model.set_rows(tables.get(name, ()))
        ready = result is not None
        self.excel_button.setEnabled(ready)
        self.pdf_button.setEnabled(ready)
        self.state.setText(f"Årsuppföljning {result.year}" if result is not None else "")

    def rows(self, table: str) -> list[list[str]]:
        """The shown texts of a table, row by row (for tests and scripts)."""
        model = self.models[table]
        return [[model.text(r, c) for c in range(model.columnCount())]
                for r in range(model.rowCount())]


__all__ = ["FollowUpDialog"]
