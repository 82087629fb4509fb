"""Årsuppföljning: one table of the yearly follow-up (per health centre, doctor, unit or the
total) as a Qt model over the service's plain rows (:class:`lakarrond.followup.Row`)."""

from __future__ import annotations

from typing import Any  # Any: Qt's data roles return values of many types

from PySide6.QtCore import QObject, Qt

from lakarrond.followup import COUNT_KEYS, HEADERS, SHORT_HEADERS, Row
from lakarrond.ui.models.table import Column, RowTableModel

NAME_KEYS = {"Per vårdcentral": ("health_centre",), "Per läkare": ("health_centre", "doctor"),
             "Per enhet": ("health_centre", "doctor", "unit"), "Totalt": ()}


def _name(key: str) -> Column[Row]:
    return Column(HEADERS[key], lambda r: getattr(r, key) or "(ingen)")


def _count(key: str) -> Column[Row]:
    return Column(SHORT_HEADERS[key], lambda r: getattr(r.counts, key))


def _per_10(row: Row) -> float | None:
    return None if row.per_10 is None else round(row.per_10, 2)


def keys(table: str) -> list[str]:
    """The keys of one table's columns: its names, then every measure."""
    return [*NAME_KEYS[table], *COUNT_KEYS, "per_10"]


def columns(table: str) -> list[Column[Row]]:
    """The columns of one table: its names, then every measure under the short headers of
    the PDF (the whole header is the header's tooltip), so that every figure fits."""
    return [*(_name(k) for k in NAME_KEYS[table]), *(_count(k) for k in COUNT_KEYS),
            Column(SHORT_HEADERS["per_10"], _per_10)]


class FollowUpTableModel(RowTableModel[Row]):
    def __init__(self, table: str, parent: QObject | None = None) -> None:
        super().__init__(columns(table), parent)
        self.table = table
        self.keys = keys(table)
        self.first_figure = len(NAME_KEYS[table])  # the names come first, then the figures

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The short header shown, the whole one as its tooltip."""
        if (role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.keys)):
            return HEADERS[self.keys[section]]
        return super().headerData(section, orientation, role)

    def extra_data(self, row: Row, column: int, role: int) -> Any:
        """The figures right-aligned, as in the PDF, so that they stand under each other."""
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= self.first_figure:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


__all__ = ["NAME_KEYS", "FollowUpTableModel", "columns", "keys"]
