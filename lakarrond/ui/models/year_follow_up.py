"""Årsuppföljning: one table of the yearly follow-up (per health centre, doctor, unit or the
total) as a Qt model over the service's plain rows (:class:`lakarrond.followup.Row`)."""

from __future__ import annotations

from typing import Any  # Any: Qt's data roles return values of many types

from PySide6.QtCore import QObject, Qt

from lakarrond.followup import COUNT_KEYS, HEADERS, Row
from lakarrond.ui.models.table import Column, RowTableModel

NAME_KEYS = {"Per vårdcentral": ("health_centre",), "Per läkare": ("health_centre", "doctor"),
             "Per enhet": ("health_centre", "doctor", "unit"), "Totalt": ()}


def _name(key: str) -> Column[Row]:
    return Column(HEADERS[key], lambda r: getattr(r, key) or "(ingen)")


def _count(key: str) -> Column[Row]:
    return Column(HEADERS[key], lambda r: getattr(r.counts, key))


def _per_10(row: Row) -> float | None:
    return None if row.per_10 is None else round(row.per_10, 2)


def columns(table: str) -> list[Column[Row]]:
    """The columns of one table: its names, then every measure (Swedish headers)."""
    return [*(_name(k) for k in NAME_KEYS[table]), *(_count(k) for k in COUNT_KEYS),
            Column(HEADERS["per_10"], _per_10)]


class FollowUpTableModel(RowTableModel[Row]):
    def __init__(self, table: str, parent: QObject | None = None) -> None:
        super().__init__(columns(table), parent)
        self.table = table
        self.first_figure = len(NAME_KEYS[table])  # the names come first, then the figures

    def extra_data(self, row: Row, column: int, role: int) -> Any:
        """The figures right-aligned, as in the PDF, so that they stand under each other."""
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= self.first_figure:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


__all__ = ["NAME_KEYS", "FollowUpTableModel", "columns"]
