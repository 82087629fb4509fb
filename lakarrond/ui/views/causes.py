"""Avvikelser: the broken rules grouped by cause (expand a cause for its patients), what to
do about each, and "Prova åtgärden …" for the causes the program can fix itself."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from lakarrond.causes import Cause
from lakarrond.ui.models.causes import CauseTreeModel


class CausesView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CauseTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(0, 340)
        self.try_button = QPushButton("Prova åtgärden …")
        self.try_button.setToolTip("Räkna planen med åtgärden och jämför sida vid sida, "
                                   "innan något ändras")
        self.hint = QLabel("Välj en orsak. Grönmarkerade åtgärder kan programmet prova.")
        self.hint.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.try_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.tree)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self._update()

    def set_causes(self, causes: list[Cause]) -> None:
        self.model.set_causes(causes)
        self._update()

    def current_cause(self) -> Cause | None:
        rows = self.tree.selectionModel().selectedRows()
        return self.model.cause_at(rows[0]) if rows else None

    def _update(self) -> None:
        cause = self.current_cause()
        self.try_button.setEnabled(cause is not None and cause.action is not None)
        if cause is not None and cause.action is None:
            self.hint.setText(f"Åtgärd: {cause.fix} (görs utanför programmet).")
        elif cause is not None:
            self.hint.setText(f"Åtgärd: {cause.fix}")
