"""A read-only table model over a list of rows, described by columns, and a filter proxy
with a search text and exact-match column filters.

The model computes each row's display strings and search key once, when rows are set (or one
row is replaced), and the sort keys of the column it is sorted by: ``data()`` is a list
lookup, sorting is Python's sort over the keys (the proxy forwards it to the model) and the
search is one ``in`` test per row. This is
what keeps a 10,000-row list quick (issue 17)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar  # Any: Qt-role edge: a cell's value per role and column

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from lakarrond.formatting import decimal

T = TypeVar("T")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    value: Callable[[T], Any]
    tooltip: Callable[[T], str] | None = None


def display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return decimal(value)
    return str(value)


SortKey = tuple[int, Any]


def sort_key(value: Any) -> SortKey:
    """A key that orders numbers before text, text case-insensitively and dates by day;
    None sorts as empty text."""
    if isinstance(value, bool):
        return (1, display(value).casefold())
    if isinstance(value, int | float):
        return (0, value)
    if value is None:
        return (1, "")
    if isinstance(value, date):
        return (1, value.isoformat())
    return (1, str(value).casefold())


def _frozen(row: object) -> bool:
    """A row that cannot change (its texts, once computed, stay right)."""
    params = getattr(type(row), "__dataclass_params__", None)
    return bool(params is not None and params.frozen)


@dataclass(frozen=True)
class PreparedRows(Generic[T]):
    """Rows with their display texts and search keys, and the sort keys of the column the
    model was sorted by when they were prepared (:meth:`RowTableModel.prepare`)."""

    rows: list[T]
    texts: list[tuple[str, ...]]
    keys: list[str]
    sorted_by: int = -1
    sorts: list[SortKey] | None = None  # column ``sorted_by``'s keys, row by row


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Rows of any type; each column says how to show a row. The display texts and the
    search key of a row are computed once (:meth:`set_rows`, :meth:`replace_row`); sort
    keys only for the column sorted by (a sort by another column computes that column's).
    Equal display texts share one string (a date or a number repeated in many rows)."""

    def __init__(self, columns: Sequence[Column[T]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = []
        self._texts: list[tuple[str, ...]] = []
        self._keys: list[str] = []
        self._sort_keys: list[SortKey] = []  # column ``_sorted[0]``'s keys (when >= 0)
        self._built: list[int] = []  # each row's place in the list as set (sort "as built")
        self._sorted: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    # --- data -----------------------------------------------------------------------------
    def _cache(self, row: T, memo: dict[str, str] | None = None, column: int = -1
               ) -> tuple[tuple[str, ...], str, SortKey | None]:
        """The row's display texts, search key and (``column`` >= 0) that column's sort
        key; each column's value is read once."""
        values = [c.value(row) for c in self._columns]
        texts = tuple(display(v) for v in values)
        if memo is not None:
            texts = tuple([memo.setdefault(t, t) for t in texts])
        key = sort_key(values[column]) if 0 <= column < len(values) else None
        return texts, "\t".join(texts).casefold(), key

    def _column_keys(self, column: int, rows: Sequence[T]) -> list[SortKey]:
        value = self._columns[column].value
        return [sort_key(value(r)) for r in rows]

    def prepare(self, rows: Sequence[T]) -> PreparedRows[T]:
        """The rows with their display texts and keys computed, for :meth:`set_prepared`:
        pure Python (the columns' functions touch no Qt), so a job's thread can do it."""
        listed = list(rows)
        memo: dict[str, str] = {}
        column = self._sorted[0] if self._sorted[0] < len(self._columns) else -1
        cached = [self._cache(r, memo, column) for r in listed]
        sorts = [k for _, _, k in cached if k is not None] if column >= 0 else None
        return PreparedRows(listed, [c[0] for c in cached], [c[1] for c in cached],
                            column, sorts)

    def set_rows(self, rows: Sequence[T]) -> None:
        """Set ``rows``; a row that is already in the table (the same object, of a frozen
        dataclass: Veckan's follow-ups from one week to the next) keeps its computed texts
        and keys."""
        kept = {id(r): i for i, r in enumerate(self._rows) if _frozen(r)}
        if not kept:
            self.set_prepared(self.prepare(rows))
            return
        listed = list(rows)
        new = [r for r in listed if id(r) not in kept]
        fresh = self.prepare(new)
        made = {id(r): i for i, r in enumerate(new)}
        column = self._sorted[0]
        texts, keys, sorts = [], [], []
        for r in listed:
            i = kept.get(id(r))
            if i is not None:
                texts.append(self._texts[i])
                keys.append(self._keys[i])
                if fresh.sorts is not None:
                    sorts.append(self._sort_keys[i])
            else:
                j = made[id(r)]
                texts.append(fresh.texts[j])
                keys.append(fresh.keys[j])
                if fresh.sorts is not None:
                    sorts.append(fresh.sorts[j])
        self.set_prepared(PreparedRows(listed, texts, keys, column,
                                       sorts if fresh.sorts is not None else None))

    def set_prepared(self, prepared: PreparedRows[T]) -> None:
        """Set rows prepared by :meth:`prepare` (one model reset; nothing computed here
        unless the model was sorted by another column meanwhile)."""
        self.beginResetModel()
        self._rows = list(prepared.rows)
        self._texts = list(prepared.texts)
        self._keys = list(prepared.keys)
        column = self._sorted[0]
        if prepared.sorts is not None and prepared.sorted_by == column:
            self._sort_keys = list(prepared.sorts)
        else:
            self._sort_keys = self._column_keys(column, self._rows) \
                if 0 <= column < len(self._columns) else []
        self._built = list(range(len(self._rows)))
        self._order_rows(*self._sorted)
        self.endResetModel()

    def replace_row(self, row: int, item: T) -> None:
        """Put ``item`` in place of row ``row`` (one ``dataChanged``, no reset)."""
        self._rows[row] = item
        self._texts[row], self._keys[row], key = self._cache(item, None, self._sorted[0])
        if key is not None:
            self._sort_keys[row] = key
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))

    def rows(self) -> list[T]:
        """The rows in the order they were set (whatever the sorting)."""
        built = self._built
        return [self._rows[r] for r in sorted(range(len(self._rows)), key=built.__getitem__)]

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def text(self, row: int, column: int) -> str:
        """The display text of a cell (no ``data()`` call)."""
        return self._texts[row][column]

    def search_key(self, row: int) -> str:
        """The row's lower-case search text: its columns' texts joined by tabs."""
        return self._keys[row]

    def column_texts(self, column: int, sample: int | None = None) -> list[str]:
        """The display texts of ``column`` (the first ``sample`` rows when given)."""
        texts = self._texts if sample is None else self._texts[:sample]
        return [t[column] for t in texts]

    # --- sorting (the proxy forwards it here) ---------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``'s keys (column -1: the order the rows were set in)."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        old_rows = [i.row() for i in before]
        if column != self._sorted[0]:
            self._sort_keys = self._column_keys(column, self._rows) \
                if 0 <= column < len(self._columns) else []
        moved = self._order_rows(column, order)
        where = {old: new for new, old in enumerate(moved)}
        self.changePersistentIndexList(
            before, [self.index(where[r], i.column()) if r in where else QModelIndex()
                     for r, i in zip(old_rows, before, strict=True)])
        self.layoutChanged.emit()

    def _order_rows(self, column: int, order: Qt.SortOrder) -> list[int]:
        """Reorder the rows and their caches; returns the old row of each new row."""
        self._sorted = (column, order)
        n = len(self._rows)
        if 0 <= column < len(self._columns):
            keys = self._sort_keys
            moved = sorted(range(n), key=keys.__getitem__,
                           reverse=order == Qt.SortOrder.DescendingOrder)
            self._sort_keys = [keys[r] for r in moved]
        else:
            built = self._built
            moved = sorted(range(n), key=built.__getitem__)
        self._rows = [self._rows[r] for r in moved]
        self._texts = [self._texts[r] for r in moved]
        self._keys = [self._keys[r] for r in moved]
        self._built = [self._built[r] for r in moved]
        return moved

    # --- Qt -------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or row >= len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[row][index.column()]
        column = self._columns[index.column()]
        if role == SORT_ROLE:
            return sort_key(column.value(self._rows[row]))[1]
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(self._rows[row])
        return self.extra_data(self._rows[row], index.column(), role)

    def extra_data(self, row: T, column: int, role: int) -> Any:
        """Subclasses add roles (background, font …) here."""
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                return self._columns[section].header
            return None
        return str(section + 1)


class SearchFilterProxy(QSortFilterProxyModel):
    """Keeps rows whose search key (every column's text, lower case) contains the search
    text and whose filtered columns equal the chosen values. Over a :class:`RowTableModel`
    sorting is the model's own (precomputed keys) and the filter reads the model's cached
    texts; over any other model it works as Qt's proxy does."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._text = ""
        self._equals: dict[int, str] = {}
        self.filter_runs = 0  # how many times the rows were filtered (the tests count it)

    def _rows_model(self) -> RowTableModel[Any] | None:
        model = self.sourceModel()
        return model if isinstance(model, RowTableModel) else None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self._rows_model()
        if model is None:
            super().sort(column, order)
            return
        model.sort(column, order)  # the proxy keeps the model's order

    def search_text(self) -> str:
        return self._text

    def set_search(self, text: str) -> None:
        text = text.strip().casefold()
        if text == self._text:
            return
        self.filter_runs += 1
        self.beginFilterChange()
        self._text = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_column_filter(self, column: int, value: str | None) -> None:
        self.beginFilterChange()
        if value:
            self._equals[column] = value
        else:
            self._equals.pop(column, None)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._text and not self._equals:
            return True  # nothing chosen: every row (the common case after a reset)
        rows = self._rows_model()
        if rows is not None:
            for column, wanted in self._equals.items():
                if rows.text(source_row, column) != wanted:
                    return False
            return not self._text or self._text in rows.search_key(source_row)
        model = self.sourceModel()
        if model is None:
            return True
        for column, wanted in self._equals.items():
            if model.index(source_row, column, source_parent).data() != wanted:
                return False
        if not self._text:
            return True
        for column in range(model.columnCount(source_parent)):
            text = model.index(source_row, column, source_parent).data()
            if text and self._text in str(text).casefold():
                return True
        return False
