"""The best dates for one patient's ÅMV in the saved plan (a date that moves one other ÅMV
says so: "flyttar <namn> från <datum> till <datum>"); "Boka" books the chosen one as Planerad
and moves the other."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from lakarrond.services.suggest import Suggestions
from lakarrond.ui.dialogs.common import Dialog, row_table, select_first_row
from lakarrond.ui.models.table import Column, RowTableModel
from solver.problem import WEEKDAY_NAMES_SV
from solver.suggest import Suggestion


def move_text(s: Suggestion) -> str:
    """The other ÅMV a suggestion moves, in words ("" when none)."""
    mv = s.move
    if mv is None:
        return ""
    return f"flyttar {mv.patient} från {mv.old.isoformat()} till {mv.new.isoformat()}"


def why(s: Suggestion) -> str:
    """The reason without the move (the column Flyttar shows it)."""
    return s.reason.replace(f"; {move_text(s)}", "") if s.move else s.reason


class SuggestionModel(RowTableModel[Suggestion]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column("Datum", lambda s: s.date),
                Column("Dag", lambda s: WEEKDAY_NAMES_SV[s.date.weekday()]),
                Column("Vecka", lambda s: s.week),
                Column("Inom fönstret", lambda s: s.in_window),
                Column("Flyttar", move_text, move_text),
                Column("Varför", why, lambda s: s.reason),
            ],
            parent,
        )


class SuggestDialog(Dialog):
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
        intro = QLabel(
            f"<b>{found.patient}</b>, {found.unit}: ÅMV bör hållas {first.isoformat()} – "
            f"{last.isoformat()}. Bästa datum i den sparade planen: lediga inom fönstret "
            "först, sedan datum inom fönstret där en annan ÅMV flyttas inom sitt eget "
            "fönster, sedan lediga datum efter fönstret:")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        select_first_row(self.view)
        self.resize(900, 320)

    def chosen(self) -> date | None:
        suggestion = self.chosen_suggestion()
        return suggestion.date if suggestion else None

    def chosen_suggestion(self) -> Suggestion | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None
