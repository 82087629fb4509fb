"""Årsplan: the year grid (ISO weeks × units per doctor), a chart of ÅMV per week per
doctor, the measures, the broken rules with reason and fix, and the list of ÅMV with the
actions Flytta, Lås, Genomförd."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lakarrond.document import AnnualReview, PlanDocument, ViolationEntry
from lakarrond.formatting import decimal, percent
from lakarrond.ui.models.store_models import ViolationModel, VisitModel
from lakarrond.ui.models.year_grid import YearGridModel
from lakarrond.ui.views.common import TablePanel

RULE_NAMES = {
    "R1": "en ÅMV per patient", "R2": "arbetsdag", "R3": "inte semesterveckor",
    "R4": "läkaren på plats", "R5": "rondtillfälle och plats i ronden",
    "R6": "läkarens ÅMV-tider", "R7": "ny patient inom 28 dagar",
    "R8": "6–12 månader sedan senaste ÅMV",
}  # fmt: skip


def measures_html(doc: PlanDocument) -> str:
    """The plan's measures as a small HTML report (Swedish)."""
    ms = doc.measures
    solver = doc.solver.to_json()
    required = ms.required or len(doc.reviews)
    planned = ms.planned or len(doc.reviews)
    rows = [
        ("Täckning", f"{percent(ms.coverage)} ({planned} av {required} patienter)"),
        ("Ej placerade", str(len(doc.unplaced))),
        ("Brutna regler", str(len(doc.violations))),
        ("Längsta intervall sedan senaste ÅMV", f"{decimal(ms.max_interval_months)} månader"),
        ("Över 12 månader", str(ms.over_max_interval)),
        ("Flyttade ÅMV mot förra versionen", str(doc.moved_since_previous)),
        ("Lösare", f"{solver['status']}, mål {solver['objective']}, gräns {solver['bound']}, "
                   f"{decimal(doc.solver.wall_s)} s"),
    ]
    html = ["<h3>Mått för planen</h3><table cellspacing='4'>"]
    html += [f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows]
    html.append("</table>")
    breaks = ms.breaks_by_rule
    if breaks:
        html.append("<h4>Brutna regler per regel</h4><ul>")
        html += [f"<li>{rule} ({RULE_NAMES.get(rule, '')}): {n}</li>"
                 for rule, n in sorted(breaks.items()) if n]
        html.append("</ul>")
    html.append("<h4>Jämn fördelning per läkare</h4><table cellspacing='4'>"
                "<tr><th align='left'>Läkare</th><th>Toppvecka</th><th>Nedre gräns</th>"
                "<th>Månads-CV</th></tr>")
    for doctor in sorted(ms.peak_week):
        html.append(
            f"<tr><td>{doctor}</td><td align='center'>{ms.peak_week[doctor]}</td>"
            f"<td align='center'>{ms.peak_week_bound.get(doctor, '–')}</td>"
            f"<td align='center'>{decimal(ms.monthly_cv.get(doctor, 0.0), 2)}</td></tr>")
    html.append("</table>")
    return "".join(html)


class PlanView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: PlanDocument | None = None
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setPrefix("År ")
        self.plan_button = QPushButton("Planera år (F5)")
        self.move_button = QPushButton("Flytta ÅMV …")
        self.lock_button = QPushButton("Lås")
        self.done_button = QPushButton("Genomförd")
        self.unlock_button = QPushButton("Planerad")
        self.title = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.year_spin)
        bar.addWidget(self.plan_button)
        bar.addWidget(self.title, 1)
        for b in (self.move_button, self.lock_button, self.done_button, self.unlock_button):
            bar.addWidget(b)

        self.grid_model = YearGridModel(self)
        self.grid = QTableView()
        self.grid.setModel(self.grid_model)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.horizontalHeader().setDefaultSectionSize(28)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.verticalHeader().setDefaultSectionSize(22)

        self.chart = QChart()
        self.chart.setTitle("ÅMV per vecka och läkare")
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
        self.measures = QTextBrowser()
        self.violation_model = ViolationModel(self)
        self.violations = TablePanel(self.violation_model)
        header = self.violations.view.horizontalHeader()
        for column in (3, 4):  # reason and fix share the width and wrap
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.violations.view.setWordWrap(True)
        self.visit_model = VisitModel(self)
        self.visits = TablePanel(self.visit_model, {VisitModel.DOCTOR_COLUMN: "Läkare",
                                                    VisitModel.UNIT_COLUMN: "Enhet",
                                                    VisitModel.STATUS_COLUMN: "Status"})
        self.tabs = QTabWidget()
        self.tabs.addTab(self.visits, "ÅMV")
        self.tabs.addTab(self.chart_view, "Diagram")
        self.tabs.addTab(self.measures, "Mått")
        self.tabs.addTab(self.violations, "Avvikelser")

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("planSplitter")
        self.splitter.addWidget(self.grid)
        self.splitter.addWidget(self.tabs)
        self.splitter.setSizes([300, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter)
        self.show_all_button = QPushButton("Visa alla ÅMV")
        self.show_all_button.setToolTip("Ta bort urvalet från rutnätet")
        self.show_all_button.clicked.connect(self.clear_cell_filter)
        self.show_all_button.hide()
        self.visits.layout().itemAt(0).layout().addWidget(self.show_all_button)
        self.grid.clicked.connect(self.show_cell)
        self.visits.selection_changed.connect(self._update_buttons)
        self._update_buttons()

    def show_cell(self, index) -> None:  # type: ignore[no-untyped-def]
        """Clicking a cell of the grid lists that unit's (or doctor's) ÅMV of that week."""
        row = self.grid_model.grid_row(index.row())
        key = self.grid_model.week_key(index.column())
        proxy = self.visits.proxy
        if row.unit is not None:
            proxy.set_column_filter(VisitModel.DOCTOR_COLUMN, None)
            proxy.set_column_filter(VisitModel.UNIT_COLUMN, row.unit)
        else:
            proxy.set_column_filter(VisitModel.UNIT_COLUMN, None)
            proxy.set_column_filter(VisitModel.DOCTOR_COLUMN, row.doctor)
        proxy.set_column_filter(1, str(key[1]) if key is not None else None)
        self.show_all_button.show()
        self.tabs.setCurrentWidget(self.visits)
        if proxy.rowCount():
            self.visits.view.selectRow(0)

    def clear_cell_filter(self) -> None:
        proxy = self.visits.proxy
        for column in (1, VisitModel.DOCTOR_COLUMN, VisitModel.UNIT_COLUMN):
            proxy.set_column_filter(column, None)
        for column, combo in self.visits.filters.items():
            text = combo.currentText()
            if text != "Alla":
                proxy.set_column_filter(column, text)
        self.show_all_button.hide()

    def _update_buttons(self) -> None:
        has = self.visits.current() is not None
        for b in (self.move_button, self.lock_button, self.done_button, self.unlock_button):
            b.setEnabled(has)

    def current_visit(self) -> AnnualReview | None:
        row = self.visits.current()
        return row if isinstance(row, AnnualReview) else None

    def show_patient(self, patient_id: int) -> bool:
        """The ÅMV list, filtered on the patient and with the patient's ÅMV selected."""
        self.tabs.setCurrentWidget(self.visits)
        row = self.visit_model.find_patient(patient_id)
        if row < 0:
            return False
        self.clear_cell_filter()
        self.visits.search.setText(self.visit_model.row_at(row).patient)
        return self.visits.select_where(lambda r: r.patient_id == patient_id)

    # --- loading --------------------------------------------------------------------------
    def load(self, year: int, doc: PlanDocument | None) -> None:
        self.doc = doc
        self.year_spin.blockSignals(True)
        self.year_spin.setValue(year)
        self.year_spin.blockSignals(False)
        if doc is None:
            self.title.setText(f"Ingen plan för {year} ännu – tryck Planera år (F5).")
            self.grid_model.set_plan(year, [], [], ())
            self.visits.set_rows([])
            self.violations.set_rows([])
            self.measures.setHtml("<p>Ingen plan ännu.</p>")
            self._chart([], year)
            return
        moved = doc.moved_since_previous
        prev = doc.previous_version
        moved_text = f", {moved} ÅMV flyttade mot version {prev}" if prev else ""
        self.title.setText(
            f"<b>Årsplan {year}</b>, version {doc.version} ({doc.solver.status}, "
            f"{len(doc.reviews)} ÅMV{moved_text})")
        units = [(u.doctor, u.name) for u in doc.units if u.annual]
        self.grid_model.set_plan(year, units, doc.reviews, doc.settings.summer_weeks)
        self.grid.resizeColumnToContents(self.grid_model.columnCount() - 1)
        self.visits.set_rows(list(doc.reviews))
        problems = [ViolationEntry(rule="Ej placerad", patient=u.patient, unit=u.unit,
                                   message=u.reason, fix="", patient_id=u.patient_id)
                    for u in doc.unplaced] + list(doc.violations)
        self.violations.set_rows(problems)
        self.violations.view.resizeRowsToContents()
        self.tabs.setTabText(3, f"Avvikelser ({len(problems)})")
        self.measures.setHtml(measures_html(doc))
        self._chart(doc.reviews, year)

    def _chart(self, reviews: Sequence[AnnualReview], year: int) -> None:
        """One line per doctor; the axes are made once and only get new ranges."""
        self.chart.removeAllSeries()
        counts: Counter[tuple[str, int]] = Counter()
        for a in reviews:
            iso = a.date.isocalendar()
            if iso.year == year:
                counts[(a.doctor, iso.week)] += 1
        weeks = date(year, 12, 28).isocalendar().week
        self.x_axis.setRange(1, weeks)
        self.y_axis.setRange(0, max([*counts.values(), 1]) + 1)
        for doctor in sorted({d for d, _ in counts}):
            series = QLineSeries()
            series.setName(doctor)
            for week in range(1, weeks + 1):
                series.append(week, counts.get((doctor, week), 0))
            self.chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.chart.legend().setVisible(bool(counts))

    def chart_series_names(self) -> list[str]:
        return [s.name() for s in self.chart.series()]
