"""A table set again keeps what it computed for the rows it already shows (issue 17, helper
X: Veckan's follow-ups are the same objects from one week to the next) – for rows that
cannot change only."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from lakarrond.ui.models.table import Column, RowTableModel


@dataclass(frozen=True)
class Fixed:
    name: str


@dataclass
class Loose:
    name: str


def _model(calls: list[str]) -> RowTableModel[Fixed | Loose]:
    def name(row: Fixed | Loose) -> str:
        calls.append(row.name)
        return row.name

    model: RowTableModel[Fixed | Loose] = RowTableModel([Column("Namn", name)])
    model.sort(0, Qt.SortOrder.AscendingOrder)
    return model


def test_rows_already_shown_keep_their_texts(qapp):
    calls: list[str] = []
    model = _model(calls)
    bo, eva = Fixed("Bo"), Fixed("Eva")
    model.set_rows([eva, bo])
    calls.clear()
    model.set_rows([eva, Fixed("Ada"), bo])  # one new row: only it is computed
    assert calls == ["Ada"]
    assert [model.text(r, 0) for r in range(3)] == ["Ada", "Bo", "Eva"]  # sorted still


def test_a_row_that_can_change_is_computed_again(qapp):
    calls: list[str] = []
    model = _model(calls)
    row = Loose("Bo")
    model.set_rows([row])
    row.name = "Bodil"  # changed in place: the old text would be wrong
    model.set_rows([row])
    assert model.text(0, 0) == "Bodil"
