"""The bar above Årsplan's year grid: show every doctor, a health centre's doctors or one
doctor, and search a doctor or unit by name (the grid filters as you type: a few hundred
rows)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from lakarrond.ui.models.year_grid import YearGridModel

ALL_DOCTORS = "Alla läkare"
CENTRE_SUFFIX = " – alla läkare"


class GridFilterBar(QWidget):
    changed = Signal()

    def __init__(self, model: YearGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._centres: dict[str, str] = {}
        self.choice = QComboBox()
        self.choice.setToolTip("Visa alla läkare, en vårdcentrals läkare eller en läkare")
        self.choice.setMaxVisibleItems(25)
        self.choice.addItem(ALL_DOCTORS)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Sök läkare eller enhet …")
        self.search.setClearButtonEnabled(True)
        self.count = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Rutnätet:"))
        layout.addWidget(self.choice)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.count)
        self.choice.currentIndexChanged.connect(lambda _i: self.apply())
        self.search.textChanged.connect(lambda _text: self.apply())

    def set_doctors(self, centres: Mapping[str, str]) -> None:
        """The grid's doctors (``centres``: each doctor's health centre, "" for none) in
        the chooser, the choice kept when it is still there."""
        self._centres = {d: centres.get(d, "") for d in self.model.doctors()}
        current = self.choice.currentText()
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.addItem(ALL_DOCTORS)
        names = sorted(set(self._centres.values()) - {""})
        if names:
            self.choice.insertSeparator(self.choice.count())
        for name in names:
            self.choice.addItem(f"{name}{CENTRE_SUFFIX}", name)
        self.choice.insertSeparator(self.choice.count())
        self.choice.addItems(sorted(self._centres))
        self.choice.setCurrentIndex(max(0, self.choice.findText(current)))
        self.choice.blockSignals(False)
        self.apply()

    def chosen_doctors(self) -> list[str] | None:
        """The doctors the chooser shows, None for all."""
        text, centre = self.choice.currentText(), self.choice.currentData()
        if text in ("", ALL_DOCTORS):
            return None
        if isinstance(centre, str) and centre:
            return sorted(d for d, c in self._centres.items() if c == centre)
        return [text]

    def apply(self) -> None:
        self.model.set_filter(self.chosen_doctors(), self.search.text())
        shown, total = self.model.shown_rows(), self.model.all_rows()
        self.count.setText(f"{shown} av {total} rader" if shown != total else f"{total} rader")
        self.changed.emit()
