"""Tables that scale (issue 17): a table answers ``data()`` from texts computed once per row,
sorting and the search use precomputed keys, and the search waits for a pause in typing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from lakarrond.ui.models.table import Column, RowTableModel
from lakarrond.ui.views.common import SEARCH_PAUSE_MS, TablePanel

ROWS = 10_000


@dataclass(frozen=True)
class Row:
    name: str
    unit: str
    doctor: str
    day: date
    number: int


def _rows(n: int = ROWS) -> list[Row]:
    return [Row(f"Patient {i:05d}", f"Enhet {i % 37}", f"Läkare {i % 110}",
                date(2027, 1, 1) + timedelta(days=i % 365), (i * 7919) % 1000)
            for i in range(n)]


class CountingModel(RowTableModel[Row]):
    """Counts every ``data()`` call (and the column functions' calls)."""

    def __init__(self) -> None:
        self.calls = 0
        self.values = 0

        def value(fn: Any) -> Any:
            def counted(r: Row) -> Any:
                self.values += 1
                return fn(r)
            return counted

        super().__init__([
            Column("Namn", value(lambda r: r.name)),
            Column("Enhet", value(lambda r: r.unit)),
            Column("Läkare", value(lambda r: r.doctor)),
            Column("Datum", value(lambda r: r.day)),
            Column("Nummer", value(lambda r: r.number)),
        ])

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        self.calls += 1
        return super().data(index, role)


def _panel(qtbot: Any) -> tuple[TablePanel, CountingModel]:
    model = CountingModel()
    panel = TablePanel(model, {1: "Enhet"})
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    qtbot.waitExposed(panel)
    return panel, model


def _visible_cells(panel: TablePanel) -> int:
    view = panel.view
    rows = view.viewport().height() // max(view.rowHeight(0), 1) + 2
    return rows * panel.model.columnCount()


def test_setting_10000_rows_calls_data_a_few_times_per_visible_cell(qtbot: Any) -> None:
    panel, model = _panel(qtbot)
    panel.set_rows(_rows())
    panel.view.viewport().repaint()
    qtbot.wait(10)
    assert panel.proxy.rowCount() == ROWS
    # each cell's value is read once per row, and data() only for what is painted
    assert model.values == ROWS * model.columnCount()
    assert model.calls < 5 * _visible_cells(panel) * 3  # roles per painted cell: ~10


def test_sorting_and_filtering_10000_rows_do_not_call_data_per_row(qtbot: Any) -> None:
    panel, model = _panel(qtbot)
    panel.set_rows(_rows())
    model.calls = 0
    panel.view.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    panel.filters[1].setCurrentText("Enhet 3")
    panel.search.setText("läkare 3")
    qtbot.wait(10)
    assert model.calls < ROWS  # the keys are cached: a per-row data() would be 10,000+
    shown = panel.proxy_rows()
    assert shown and all(r.unit == "Enhet 3" and "Läkare 3" in r.doctor for r in shown)
    numbers = [r.number for r in shown]
    assert numbers == sorted(numbers, reverse=True)


def test_each_row_has_one_lower_case_search_key_of_its_columns() -> None:
    model = CountingModel()
    model.set_rows([Row("Signe Berg", "Tallen", "Anna Åberg", date(2027, 3, 4), 12)])
    assert model.search_key(0) == "signe berg\ttallen\tanna åberg\t2027-03-04\t12"
    assert model.text(0, 3) == "2027-03-04"


def test_the_search_matches_any_column_case_insensitively_but_not_across_columns(
        qtbot: Any) -> None:
    panel, _ = _panel(qtbot)
    panel.set_rows([Row("Signe Berg", "Tallen", "Anna Åberg", date(2027, 3, 4), 12),
                    Row("Karl Ek", "Lugnet", "Per Holm", date(2027, 5, 6), 13)])
    panel.search.setText("ÅBERG")
    assert [r.name for r in panel.proxy_rows()] == ["Signe Berg"]
    panel.search.setText("berg tallen")  # two columns' texts are not one text
    assert panel.proxy_rows() == []


def test_sorting_keeps_the_selected_row_selected(qtbot: Any) -> None:
    panel, _ = _panel(qtbot)
    panel.set_rows(_rows(50))
    assert panel.select_where(lambda r: r.name == "Patient 00007")
    panel.view.sortByColumn(4, Qt.SortOrder.AscendingOrder)
    chosen = panel.current()
    assert isinstance(chosen, Row) and chosen.name == "Patient 00007"
    panel.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # as built again
    assert [r.name for r in panel.proxy_rows()[:2]] == ["Patient 00000", "Patient 00001"]


def test_typing_three_keys_filters_once_after_the_pause(qtbot: Any) -> None:
    panel, _ = _panel(qtbot)
    panel.set_rows(_rows(500))
    runs = panel.proxy.filter_runs
    qtbot.keyClicks(panel.search, "Pat")
    assert panel.proxy.filter_runs == runs  # not yet: the pause has not passed
    assert panel.proxy.rowCount() == 500
    qtbot.waitUntil(lambda: panel.proxy.filter_runs > runs, timeout=SEARCH_PAUSE_MS * 10)
    qtbot.wait(SEARCH_PAUSE_MS * 2)
    assert panel.proxy.filter_runs == runs + 1  # one filter for three keys
    assert panel.proxy.search_text() == "pat"


def test_enter_filters_at_once(qtbot: Any) -> None:
    panel, _ = _panel(qtbot)
    panel.set_rows(_rows(500))
    qtbot.keyClicks(panel.search, "00042")
    assert panel.proxy.rowCount() == 500
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert [r.name for r in panel.proxy_rows()] == ["Patient 00042"]
    assert not panel.search_timer.isActive()


def test_columns_are_sized_from_a_sample_not_every_row(qtbot: Any) -> None:
    panel, _ = _panel(qtbot)
    rows = _rows(200)
    rows[150] = Row("X" * 200, "Enhet", "Läkare", date(2027, 1, 1), 1)  # beyond the sample
    panel.set_rows(rows)
    narrow = panel.view.columnWidth(0)
    assert narrow < 250
    assert narrow >= panel.view.fontMetrics().horizontalAdvance("Patient 00000")
    panel.set_rows([Row("X" * 200, "Enhet", "Läkare", date(2027, 1, 1), 1)])
    assert panel.view.columnWidth(0) > narrow  # in the sample: widened (to the cap)


def test_rows_are_given_in_the_order_set_whatever_the_sorting(qtbot: Any) -> None:
    panel, model = _panel(qtbot)
    rows = _rows(20)
    panel.set_rows(rows)
    panel.view.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    assert model.rows() == rows
    assert [model.row_at(r).number for r in range(20)] == sorted(
        (r.number for r in rows), reverse=True)  # row_at follows the model's indexes
