"""What-if, side by side: the saved plan and the plan with the fix (broken windows,
late overdue patients, weekly peak per doctor), and whose ÅMV would move. "Använd" carries
the fix out and saves the tried plan (one undoable step); "Släng" discards it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lakarrond.formatting import count
from lakarrond.services.whatif import WhatIf
from lakarrond.ui.dialogs.common import Dialog
from lakarrond.ui.dialogs.replan import MoveModel
from lakarrond.ui.models.compare import CompareModel, compare


class WhatIfDialog(Dialog):
    def __init__(self, whatif: WhatIf, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Prova en åtgärd")
        self.compare_model = CompareModel(self, now="Sparad plan")
        self.compare_model.set_rows(compare(whatif.current, whatif.tried))
        self.move_model = MoveModel(self)
        self.move_model.set_rows(list(whatif.moves))
        tables = []
        for model in (self.compare_model, self.move_model):
            view = QTableView()
            view.setModel(model)
            view.verticalHeader().hide()
            view.horizontalHeader().setSectionResizeMode(
                QHeaderView.ResizeMode.ResizeToContents)
            view.horizontalHeader().setStretchLastSection(True)
            tables.append(view)
        buttons = QDialogButtonBox()
        self.use_button = buttons.addButton("Använd", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Släng", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{whatif.description}</b> – den sparade planen och "
                                "planen med åtgärden:"))
        layout.addWidget(tables[0])
        layout.addWidget(QLabel(
            f"{count(len(whatif.moves), 'ÅMV flyttas', 'ÅMV flyttas')} jämfört med den sparade "
            "planen (meddela dem):"))
        layout.addWidget(tables[1])
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b00020;")
        if whatif.new_breaks:  # never silent, and never used
            self.warning.setText(
                "<b>Planen med åtgärden bryter mot regler som inte får brytas – den kan inte "
                "användas:</b><br/>" + "<br/>".join(whatif.new_breaks[:10]))
            self.use_button.setEnabled(False)
        self.warning.setVisible(bool(whatif.new_breaks))
        layout.addWidget(self.warning)
        layout.addWidget(buttons)
        self.resize(980, 560)  # the moved list: dates with clock times and why
