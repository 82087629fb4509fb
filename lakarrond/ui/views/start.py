"""What to do first, shown over Veckan while the database is empty (after "Nej" to the
example municipality at the first start): import, the import template, or the example."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

START_TEXT = (
    "<b>Databasen är tom – så kommer du igång:</b><br>"
    "1. Fyll i importmallen (Excel) med läkare, enheter och patienter och importera den: "
    "<i>Arkiv → Importera Excel …</i><br>"
    "2. Eller lägg in dem en och en: först läkarna (fliken <i>Läkare</i>), sedan enheterna "
    "(<i>Enheter</i>) och patienterna (<i>Patienter</i>).<br>"
    "3. Eller prova programmet med exempelkommunen (påhittade patienter).<br>"
    "Sedan: <i>Planera → Planera år</i> (F5)."
)


class StartHint(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startHint")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#startHint { background: #fff8e1; }")
        self.text = QLabel(START_TEXT)
        self.text.setWordWrap(True)
        self.import_button = QPushButton("Importera Excel …")
        self.template_button = QPushButton("Spara importmall …")
        self.demo_button = QPushButton("Läs in exempelkommunen")
        buttons = QHBoxLayout()
        for b in (self.import_button, self.template_button, self.demo_button):
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.hide()


__all__ = ["START_TEXT", "StartHint"]
