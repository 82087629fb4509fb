"""Before a re-plan is saved: what would move (per doctor and unit), the list "Flyttade –
meddela" with old → new dates, and the frozen ÅMV that cannot be held. Saved only on
"Spara planen"; the list can be printed or saved as Excel/PDF first."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lakarrond.document import PlanMeasures
from lakarrond.formatting import count
from lakarrond.services.plan import Move, PlanDraft
from lakarrond.services.whatif import Figures
from lakarrond.ui.dialogs.common import Dialog
from lakarrond.ui.models.compare import CompareModel, compare
from lakarrond.ui.models.table import Column, RowTableModel


class MoveModel(RowTableModel[Move]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column("Patient", lambda mv: mv.patient),
                Column("Enhet", lambda mv: mv.unit),
                Column("Läkare", lambda mv: mv.doctor),
                Column("Tidigare", lambda mv: when(mv.old, mv.old_time)),
                Column("Nytt", lambda mv: when(mv.new, mv.new_time) if mv.new else "inget datum"),
                Column("Orsak", lambda mv: mv.reason or "", lambda mv: mv.reason),
            ],
            parent,
        )


def when(day: date, time_text: str) -> str:
    """"2027-03-15 09:00–09:20" (the date alone when the time is not known)."""
    return f"{day.isoformat()} {time_text}".strip()


def summary_text(draft: PlanDraft) -> str:
    m = draft.result.measures
    lines = [
        f"<b>Årsplan {draft.year} planerad från {draft.plan_from.isoformat()}</b>",
        f"{count(len(draft.result.appointments), 'ÅMV', 'ÅMV')} i planen, "
        f"{count(m.unplaced, 'patient', 'patienter')} utan datum.",
        f"{count(len(draft.moves), 'ÅMV flyttas', 'ÅMV flyttas')} jämfört med den sparade "
        f"planen, varav {len(draft.forced)} inom frysperioden (kan inte hållas).",
    ]
    if draft.moved_per_doctor:
        lines.append("Per läkare: " + ", ".join(
            f"{d} {n}" for d, n in draft.moved_per_doctor.items()))
        lines.append("Per enhet: " + ", ".join(
            f"{u} {n}" for u, n in draft.moved_per_unit.items()))
    return "<br/>".join(lines)


class ReplanDialog(Dialog):
    """The preview; accept = save the plan."""

    print_requested = Signal()
    export_requested = Signal()

    def __init__(self, draft: PlanDraft, current: PlanMeasures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Förhandsvisning – årsplan {draft.year}")
        self.draft = draft
        self.compare_model = CompareModel(self, now="Sparad plan", tried="Ny plan")
        if current is not None:
            self.compare_model.set_rows(compare(Figures.of_saved(current),
                                                Figures.of(draft.result)))
        compare_view = QTableView()
        compare_view.setModel(self.compare_model)
        compare_view.verticalHeader().hide()
        compare_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        compare_view.setVisible(current is not None)
        self.model = MoveModel(self)
        self.model.set_rows(list(draft.moves))
        view = QTableView()
        view.setModel(self.model)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel(summary_text(draft))
        self.summary.setWordWrap(True)
        self.print_button = QPushButton("Skriv ut listan …")
        self.export_button = QPushButton("Spara listan (Excel/PDF) …")
        self.print_button.clicked.connect(self.print_requested)
        self.export_button.clicked.connect(self.export_requested)
        extra = QHBoxLayout()
        extra.addWidget(QLabel("<b>Flyttade – meddela</b>"))
        extra.addStretch()
        extra.addWidget(self.print_button)
        extra.addWidget(self.export_button)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Spara planen",
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Släng", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(compare_view)
        layout.addLayout(extra)
        layout.addWidget(view)
        layout.addWidget(buttons)
        self.resize(980, 560)
