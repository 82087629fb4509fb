"""What-if, side by side: the plan as the data is now and with the fix (broken windows,
late overdue patients, weekly peak per doctor), and whose ÅMV would move. "Använd" carries
the fix out and saves the tried plan (one undoable step); "Släng" discards it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lakarrond.formatting import count
from lakarrond.services.whatif import WhatIf
from lakarrond.ui.dialogs.replan import MoveModel
from lakarrond.ui.models.compare import CompareModel, compare


class WhatIfDialog(QDialog):
    def __init__(self, whatif: WhatIf, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Prova en åtgärd")
        self.compare_model = CompareModel(self)
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
        layout.addWidget(QLabel(f"<b>{whatif.description}</b> – planen nu och med åtgärden:"))
        layout.addWidget(tables[0])
        layout.addWidget(QLabel(
            f"{count(len(whatif.moves), 'ÅMV flyttas', 'ÅMV flyttas')} jämfört med den sparade "
            "planen (meddela dem):"))
        layout.addWidget(tables[1])
        layout.addWidget(buttons)
        self.resize(980, 560)  # the moved list: dates with clock times and why
