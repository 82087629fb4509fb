"""The best dates for one patient's ÅMV in the saved plan (nobody else moves); "Boka" books
the chosen one as Planerad."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from lakarrond.services.suggest import Suggestions
from lakarrond.ui.dialogs.common import row_table, select_first_row
from lakarrond.ui.models.table import Column, RowTableModel
from solver.problem import WEEKDAY_NAMES_SV
from solver.suggest import Suggestion


class SuggestionModel(RowTableModel[Suggestion]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column("Datum", lambda s: s.date),
                Column("Dag", lambda s: WEEKDAY_NAMES_SV[s.date.weekday()]),
                Column("Vecka", lambda s: s.week),
                Column("Inom fönstret", lambda s: s.in_window),
                Column("Varför", lambda s: s.reason, lambda s: s.reason),
            ],
            parent,
        )


class SuggestDialog(QDialog):
    def __init__(self, found: Suggestions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Föreslå datum – {found.patient}")
        first, last = found.result.window
        self.model = SuggestionModel(self)
        self.model.set_rows(list(found.result.suggestions))
        self.view = row_table(self.model)
        self.view.doubleClicked.connect(self.accept)
        buttons = QDialogButtonBox()
        self.book_button = buttons.addButton("Boka", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Stäng", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            f"<b>{found.patient}</b>, {found.unit}: ÅMV bör hållas {first.isoformat()} – "
            f"{last.isoformat()}. Bästa lediga datum i den sparade planen (ingen annan "
            "flyttas):"))
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        select_first_row(self.view)
        self.resize(640, 320)

    def chosen(self) -> date | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).date if rows else None
