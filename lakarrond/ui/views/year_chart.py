"""Årsplan's Diagram: ÅMV per week, one named line per health centre (their doctors summed)
or per chosen doctor – at most :data:`MAX_LINES` at once, so a region of 110 doctors stays
readable. With few doctors every doctor has a line, as before."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any  # Any: Qt-role edge: data() and setData() of the doctor list

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QAbstractListModel, QMargins, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lakarrond.document import AnnualReview
from lakarrond.palette import doctor_colours
from lakarrond.ui.models.table import Index

MAX_LINES = 8
BY_DOCTOR = "Valda läkare"
BY_CENTRE = "Vårdcentraler (summa av deras läkare)"
NO_CENTRE = "Utan vårdcentral"


class DoctorChecks(QAbstractListModel):
    """The doctors with a tick each; at most :data:`MAX_LINES` ticked (a tick more is
    refused and :attr:`refused` says so)."""

    changed = Signal()
    refused = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._names: list[str] = []
        self._ticked: set[str] = set()

    def set_doctors(self, names: Sequence[str], ticked: Sequence[str]) -> None:
        self.beginResetModel()
        self._names = list(names)
        self._ticked = set(ticked) & set(names)
        self.endResetModel()

    def ticked(self) -> list[str]:
        return [n for n in self._names if n in self._ticked]

    def names(self) -> list[str]:
        return list(self._names)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._names):
            return None
        name = self._names[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == Qt.ItemDataRole.CheckStateRole:
            return (Qt.CheckState.Checked if name in self._ticked
                    else Qt.CheckState.Unchecked)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        return self.tick(self._names[index.row()], Qt.CheckState(value) == Qt.CheckState.Checked)

    def tick(self, name: str, on: bool) -> bool:
        if on and name not in self._ticked and len(self._ticked) >= MAX_LINES:
            self.refused.emit()
            return False
        (self._ticked.add if on else self._ticked.discard)(name)
        row = self._names.index(name)
        self.dataChanged.emit(self.index(row), self.index(row))
        self.changed.emit()
        return True


def weekly_counts(reviews: Sequence[AnnualReview], year: int,
                  group: Mapping[str, str] | None = None) -> Counter[tuple[str, int]]:
    """ÅMV per (doctor, ISO week of ``year``), or per (group of the doctor, week)."""
    counts: Counter[tuple[str, int]] = Counter()
    for a in reviews:
        iso = a.date.isocalendar()
        if iso.year == year:
            key = a.doctor if group is None else (group.get(a.doctor) or NO_CENTRE)
            counts[(key, iso.week)] += 1
    return counts


class YearChart(QWidget):
    """The chart, a chooser (health centres or chosen doctors) and the doctor list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reviews: Sequence[AnnualReview] = ()
        self._year = date.today().year
        self._centres: dict[str, str] = {}
        self.chart = QChart()
        self.chart.setTitle("ÅMV per vecka")
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.x_axis = QValueAxis()
        self.x_axis.setLabelFormat("%d")
        self.x_axis.setTickCount(14)
        self.x_axis.setTitleText("Vecka")
        self.y_axis = QValueAxis()
        self.y_axis.setLabelFormat("%d")
        self.y_axis.setTitleText("ÅMV")
        self.chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.mode = QComboBox()
        self.mode.addItems([BY_CENTRE, BY_DOCTOR])
        self.mode.setToolTip("En linje per vårdcentral, eller per vald läkare "
                             f"(högst {MAX_LINES} åt gången)")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.checks = DoctorChecks(self)
        self.doctor_list = QListView()
        self.doctor_list.setModel(self.checks)
        self.doctor_list.setToolTip(f"Bocka i de läkare som ska visas (högst {MAX_LINES})")
        side = QWidget()
        box = QVBoxLayout(side)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("Visa:"))
        box.addWidget(self.mode)
        box.addWidget(self.doctor_list, 1)
        box.addWidget(self.note)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.chart_view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.mode.currentTextChanged.connect(lambda _text: self.redraw())
        self.checks.changed.connect(self._ticks_changed)
        self.checks.refused.connect(lambda: self.note.setText(
            f"Högst {MAX_LINES} läkare åt gången: bocka ur en först."))

    def set_plan(self, reviews: Sequence[AnnualReview], year: int,
                 centres: Mapping[str, str]) -> None:
        """The plan's ÅMV; ``centres``: each doctor's health centre. With few doctors each
        has a line; else the health centres' totals (the ticks kept between plans)."""
        self._reviews, self._year, self._centres = reviews, year, dict(centres)
        doctors = sorted({a.doctor for a in reviews} | set(centres))
        kept = [d for d in self.checks.ticked() if d in doctors]
        few = len(doctors) <= MAX_LINES
        self.checks.set_doctors(doctors, doctors if few else (kept or doctors[:MAX_LINES]))
        self.mode.blockSignals(True)
        if few:
            self.mode.setCurrentText(BY_DOCTOR)
        self.mode.blockSignals(False)
        self.redraw()

    def show_doctors(self, names: Sequence[str]) -> None:
        """Lines for ``names`` (the first :data:`MAX_LINES`)."""
        self.checks.set_doctors(self.checks.names(), list(names)[:MAX_LINES])
        self.mode.setCurrentText(BY_DOCTOR)
        self.redraw()

    def _ticks_changed(self) -> None:
        if self.mode.currentText() != BY_DOCTOR:
            self.mode.setCurrentText(BY_DOCTOR)  # redraws
        else:
            self.redraw()

    def redraw(self) -> None:
        """The lines, each named in the legend; the axes only get new ranges."""
        by_centre = self.mode.currentText() == BY_CENTRE
        self.chart.removeAllSeries()
        counts = weekly_counts(self._reviews, self._year,
                               self._centres if by_centre else None)
        names = (sorted({k for k, _ in counts}) if by_centre else self.checks.ticked())
        weeks = date(self._year, 12, 28).isocalendar().week
        self.x_axis.setRange(1, weeks)
        shown = [counts.get((n, w), 0) for n in names for w in range(1, weeks + 1)]
        self.y_axis.setRange(0, max([*shown, 1]) + 1)
        colours = doctor_colours(names)
        for name in names:
            series = QLineSeries()
            series.setName(name)
            pen = QPen(QColor(f"#{colours[name]}"))
            pen.setWidthF(2.0)
            series.setPen(pen)
            for week in range(1, weeks + 1):
                series.append(week, counts.get((name, week), 0))
            self.chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.chart.setTitle("ÅMV per vecka och vårdcentral" if by_centre
                            else "ÅMV per vecka och läkare")
        self.chart.legend().setVisible(bool(names) and bool(counts))
        total = len(self.checks.names())
        self.note.setText(
            f"{len(names)} vårdcentraler, {total} läkare." if by_centre
            else f"{len(names)} av {total} läkare visas (högst {MAX_LINES}).")

    def series_names(self) -> list[str]:
        return [s.name() for s in self.chart.series()]

    def series_colours(self) -> list[str]:
        return [s.pen().color().name() for s in self.chart.series()
                if isinstance(s, QLineSeries)]
