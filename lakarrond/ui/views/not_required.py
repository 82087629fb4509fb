"""Behöver ingen ÅMV: the patients the plan needs no ÅMV for, each with the reason, so that
the ÅMV list, the unplaced (under Avvikelser) and this list hold every patient."""

from __future__ import annotations

from lakarrond.document import NotRequiredEntry
from lakarrond.ui.models.table import Column, RowTableModel
from lakarrond.ui.views.common import TablePanel


class NotRequiredModel(RowTableModel[NotRequiredEntry]):
    """Patient, Enhet, Orsak over the plan document's ``not_required``."""

    UNIT_COLUMN = 1

    def __init__(self) -> None:
        super().__init__([
            Column[NotRequiredEntry]("Patient", lambda n: n.patient),
            Column[NotRequiredEntry]("Enhet", lambda n: n.unit),
            Column[NotRequiredEntry]("Orsak", lambda n: n.reason),
        ])


def not_required_panel() -> TablePanel[NotRequiredEntry]:
    """The list with a search field and a unit filter."""
    return TablePanel(NotRequiredModel(), {NotRequiredModel.UNIT_COLUMN: "Enhet"})
