"""Planning dialogs: the progress of a solve (with Avbryt) and moving an ÅMV."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lakarrond.formatting import count
from lakarrond.services.visits import AllowedDate, VisitRow
from lakarrond.ui.dialogs.common import Dialog, ok_cancel, row_table, select_first_row
from lakarrond.ui.models.table import Column, RowTableModel
from lakarrond.wording import IN_TIME, stage_name
from solver.problem import WEEKDAY_NAMES_SV


class PlanProgressDialog(Dialog):
    """Elapsed time, the doctor being planned and what the planner works on, how many
    doctors are done; Avbryt keeps the best plan so far."""

    cancel_requested = Signal()

    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Planerar år {year}")
        self.setModal(True)
        self._started = time.monotonic()
        self.elapsed = QLabel("0 s")
        self.doctor = QLabel("–")
        self.stage = QLabel("–")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton("Avbryt")
        self.cancel_button.setToolTip("Avbryt beräkningen; den bästa planen hittills sparas")
        self.cancel_button.clicked.connect(self._cancel)
        form = QFormLayout()
        form.addRow("Tid", self.elapsed)
        form.addRow("Läkare", self.doctor)
        form.addRow("Arbetar med", self.stage)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Årsplanen beräknas. Du kan fortsätta arbeta under tiden."))
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button, alignment=Qt.AlignmentFlag.AlignRight)
        self._timer = QTimer(self)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.resize(380, 200)

    def _tick(self) -> None:
        self.elapsed.setText(f"{time.monotonic() - self._started:.0f} s")

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Avbryter …")
        self.cancel_requested.emit()

    def show_progress(self, progress: object) -> None:
        done = getattr(progress, "done", 0)
        total = getattr(progress, "total", 0)
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        self.doctor.setText(f"{getattr(progress, 'doctor', '')} – {done} av "
                            f"{count(total, 'läkare', 'läkare')} klara")
        stage = str(getattr(progress, "stage", ""))
        self.stage.setText("nästa läkare" if stage == "klar" and done < total
                           else stage_name(stage))

    def done_(self) -> None:
        self._timer.stop()
        self.accept()

    def reject(self) -> None:  # Esc = Avbryt
        self._cancel()


class AllowedDateModel(RowTableModel[AllowedDate]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column("Datum", lambda a: a.date),
                Column("Dag", lambda a: WEEKDAY_NAMES_SV[a.date.weekday()]),
                Column("Vecka", lambda a: a.date.isocalendar().week),
                Column("Lediga platser", lambda a: a.free),
                Column("ÅMV den veckan", lambda a: a.week_load),
                Column(IN_TIME, lambda a: a.in_window),
            ],
            parent,
        )


class MoveVisitDialog(Dialog):
    """The allowed dates of the ÅMV, best first; the chosen one is returned."""

    def __init__(self, visit: VisitRow, dates: Sequence[AllowedDate],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Flytta ÅMV för {visit.patient}")
        self.model = AllowedDateModel(self)
        self.model.set_rows(dates)
        self.view = row_table(self.model, stretch_last=False)
        self.view.doubleClicked.connect(self.accept)
        self.lock = QCheckBox("Lås ÅMV på det nya datumet (ligger kvar vid omplanering)")
        self.lock.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            f"{visit.patient}, {visit.unit}: nu {visit.date.isoformat()} ({visit.status}). "
            "Tillåtna datum, bäst först:"))
        layout.addWidget(self.view)
        layout.addWidget(self.lock)
        buttons = ok_cancel(self, "Flytta")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        select_first_row(self.view)
        self.resize(620, 420)

    def chosen(self) -> date | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(rows[0].row()).date
