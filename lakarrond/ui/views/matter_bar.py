"""Veckan's bar for the matters (ärenden) of a round (issue 21): book one, record the chosen
one after the round, print the planning basis."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QWidget


class MatterBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book_button = QPushButton("Boka ärende …")
        self.book_button.setToolTip("Boka ett ärende i den markerade ronden (Ctrl+Shift+B)")
        self.book_button.setShortcut("Ctrl+Shift+B")
        self.done_button = QPushButton("Genomfört")
        self.moved_button = QPushButton("Flyttat till nästa rond …")
        self.struck_button = QPushButton("Struket …")
        self.basis_button = QToolButton()
        self.basis_button.setText("Skriv ut planeringsunderlag …")
        self.basis_button.setToolTip("Planeringsunderlag fast planerad läkartid, sparas som PDF")
        self.basis_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.basis_menu = QMenu(self.basis_button)
        self.round_action = self.basis_menu.addAction("Den markerade ronden …")
        self.week_action = self.basis_menu.addAction("Vald läkares ronder denna vecka …")
        self.basis_menu.addSeparator()
        self.numbers_action = QAction("Med personnummer", self.basis_menu)
        self.numbers_action.setCheckable(True)
        self.basis_menu.addAction(self.numbers_action)
        self.basis_button.setMenu(self.basis_menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.book_button)
        layout.addWidget(QLabel("Markerat ärende:"))
        for b in self.record_buttons:
            layout.addWidget(b)
        layout.addStretch(1)
        layout.addWidget(self.basis_button)
        self.set_matter_chosen(False)

    @property
    def record_buttons(self) -> tuple[QPushButton, ...]:
        return (self.done_button, self.moved_button, self.struck_button)

    def set_matter_chosen(self, chosen: bool) -> None:
        for b in self.record_buttons:
            b.setEnabled(chosen)
