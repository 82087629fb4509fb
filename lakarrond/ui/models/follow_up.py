"""Årsplan's "Att följa upp": displays the plan's follow-up list as the services give it
(:func:`lakarrond.services.week.follow_ups`, the list Veckan's "Att göra" starts from): past
ÅMV not recorded, ÅMV that need a new date, frozen ÅMV the last re-plan had to move."""

from __future__ import annotations

from PySide6.QtCore import QObject

from lakarrond.services.week import follow_ups
from lakarrond.services.week_data import FORCED, NEW_DATE, UNRECORDED, TodoItem
from lakarrond.ui.models.table import Column, RowTableModel

FollowUp = TodoItem  # one row: a TodoItem of the service's list

__all__ = ["FORCED", "NEW_DATE", "UNRECORDED", "FollowUp", "FollowUpModel", "follow_ups"]


class FollowUpModel(RowTableModel[TodoItem]):
    KIND_COLUMN = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column("Att göra", lambda r: r.kind),
                Column("Datum", lambda r: r.date),
                Column("Patient", lambda r: r.patient),
                Column("Enhet", lambda r: r.unit),
                Column("Läkare", lambda r: r.doctor),
                Column("Varför", lambda r: r.detail, lambda r: r.detail),
            ],
            parent,
        )
