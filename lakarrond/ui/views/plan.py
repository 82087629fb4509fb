"""Årsplan: the planning date and freeze, the year grid (ISO weeks × units per doctor), the
list of ÅMV (several can be selected) with the actions Flytta, Genomförd, Avböjd, Inställd,
Lås, Planerad, what needs following up, a chart of ÅMV per week per doctor, the measures and
the broken rules with reason and fix. A banner says when the saved plan is stale."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
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

from lakarrond.causes import group_by_cause, warning_causes
from lakarrond.document import AnnualReview, PlanDocument
from lakarrond.formatting import count
from lakarrond.ui.dates import DateEdit
from lakarrond.ui.models.cancelled import cancelled_reviews
from lakarrond.ui.models.follow_up import FollowUpModel, follow_ups
from lakarrond.ui.models.store_models import VisitModel
from lakarrond.ui.models.table import PreparedRows
from lakarrond.ui.models.year_grid import YearGridModel
from lakarrond.ui.prepared import PlanContent
from lakarrond.ui.views.causes import CausesView
from lakarrond.ui.views.common import TablePanel
from lakarrond.ui.views.measures import measures_html
from lakarrond.ui.views.not_required import not_required_panel
from lakarrond.ui.views.year_chart import YearChart
from lakarrond.ui.views.year_grid_bar import GridFilterBar
from lakarrond.wording import plan_quality


def review_rows(doc: PlanDocument) -> list[AnnualReview]:
    """The ÅMV table's rows: the plan's ÅMV and its cancelled (Inställd) ones."""
    return list(doc.reviews) + cancelled_reviews(doc)


class PlanView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: PlanDocument | None = None
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setPrefix("År ")
        self.from_edit = DateEdit()
        self.from_edit.setToolTip("Planera från detta datum: ÅMV före datumet ändras aldrig")
        self.freeze_spin = QSpinBox()
        self.freeze_spin.setRange(0, 90)
        self.freeze_spin.setValue(14)
        self.freeze_spin.setSuffix(" dagar")
        self.freeze_spin.setToolTip("ÅMV de närmaste dagarna behåller sitt datum "
                                    "(förberedelsen har börjat)")
        self.rebalance_box = QCheckBox("Jämna ut hela året")
        self.rebalance_box.setToolTip(
            "Planerade ÅMV får flyttas för en jämnare belastning över året. Annars flyttas "
            "en ÅMV bara för en patients skull eller när dess datum inte längre går.")
        self.plan_button = QPushButton("Planera (F5) …")
        self.move_button = QPushButton("Flytta ÅMV …")
        self.done_button = QPushButton("Genomförd")
        self.declined_button = QPushButton("Avböjd …")
        self.cancelled_button = QPushButton("Inställd …")
        self.lock_button = QPushButton("Lås")
        self.unlock_button = QPushButton("Planerad")
        self.title = QLabel()
        self.title.setWordWrap(True)  # wrap rather than widen the window (1024 px)
        bar = QHBoxLayout()
        bar.addWidget(self.year_spin)
        bar.addWidget(QLabel("Planera från"))
        bar.addWidget(self.from_edit)
        bar.addWidget(QLabel("Frys"))
        bar.addWidget(self.freeze_spin)
        bar.addWidget(self.rebalance_box)
        bar.addWidget(self.plan_button)
        bar.addWidget(self.title, 1)
        actions = QHBoxLayout()
        actions.addWidget(QLabel("Markerade ÅMV:"))
        for b in self.visit_buttons:
            actions.addWidget(b)
        actions.addStretch()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 6px; "
                                  "border: 1px solid #e0c878;")
        self.banner.hide()

        self.grid_model = YearGridModel(self)
        self.grid = QTableView()
        self.grid.setModel(self.grid_model)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.horizontalHeader().setDefaultSectionSize(28)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.verticalHeader().setDefaultSectionSize(22)
        self.grid_bar = GridFilterBar(self.grid_model)
        grid_box = QWidget()
        box = QVBoxLayout(grid_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.grid_bar)
        box.addWidget(self.grid)

        self.chart = YearChart()
        self.measures = QTextBrowser()
        self.violations = CausesView()
        self.not_required = not_required_panel()
        self.visit_model = VisitModel(self)
        self._content: PlanContent | None = None  # made on a job's thread (offer)
        self.visits = TablePanel(self.visit_model, {VisitModel.DOCTOR_COLUMN: "Läkare",
                                                    VisitModel.UNIT_COLUMN: "Enhet",
                                                    VisitModel.STATUS_COLUMN: "Status"})
        self.visits.allow_many()
        self.follow_up_model = FollowUpModel(self)
        self.follow_up = TablePanel(self.follow_up_model, {FollowUpModel.KIND_COLUMN: "Att göra"})
        self.tabs = QTabWidget()
        self.tabs.addTab(self.visits, "ÅMV")
        self.tabs.addTab(self.follow_up, "Att följa upp")
        self.tabs.addTab(self.chart, "Diagram")
        self.tabs.addTab(self.measures, "Mått")
        self.tabs.addTab(self.violations, "Avvikelser")
        self.tabs.addTab(self.not_required, "Behöver ingen ÅMV")

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("planSplitter")
        self.splitter.addWidget(grid_box)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)  # the year grid gets the larger share
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addLayout(actions)
        layout.addWidget(self.splitter)
        self.show_all_button = QPushButton("Visa alla ÅMV")
        self.show_all_button.setToolTip("Ta bort urvalet från rutnätet")
        self.show_all_button.clicked.connect(self.clear_cell_filter)
        self.show_all_button.hide()
        self.visits.bar.addWidget(self.show_all_button)
        self.grid.clicked.connect(self.show_cell)
        self.visits.selection_changed.connect(self._update_buttons)
        self._update_buttons()

    def show_cell(self, index: QModelIndex) -> None:
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

    @property
    def visit_buttons(self) -> tuple[QPushButton, ...]:
        return (self.move_button, self.done_button, self.declined_button,
                self.cancelled_button, self.lock_button, self.unlock_button)

    def _update_buttons(self) -> None:
        chosen = len(self.selected_visits())
        for b in self.visit_buttons:
            b.setEnabled(chosen > 0)
        self.move_button.setEnabled(chosen == 1)

    def selected_visits(self) -> list[AnnualReview]:
        return [r for r in self.visits.selected() if isinstance(r, AnnualReview)]

    def set_planning_date(self, day: date, freeze: int) -> None:
        self.from_edit.setDate(QDate(day.year, day.month, day.day))
        self.freeze_spin.setValue(freeze)

    def planning_date(self) -> date:
        value = self.from_edit.date()
        return date(value.year(), value.month(), value.day())

    def show_stale(self, text: str) -> None:
        """The banner: the saved plan is stale (empty text hides it)."""
        self.banner.setText(f"Planen är inaktuell: {text}. Planera om (F5) för att ta med "
                            "ändringarna." if text else "")
        self.banner.setVisible(bool(text))

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
    def load(self, year: int, doc: PlanDocument | None,
             visits: frozenset[int] | None = None) -> None:
        """Show ``doc``. ``visits``: only these ÅMV (visit ids) changed since the document
        shown (an outcome, a move, their undo): the ÅMV table updates their rows in place
        (no reset); None (a new plan, another year) fills it anew (issue 17)."""
        previous, self.doc = self.doc, doc
        self.year_spin.blockSignals(True)
        self.year_spin.setValue(year)
        self.year_spin.blockSignals(False)
        if doc is None:
            self.title.setText(f"Ingen plan för {year} ännu – tryck Planera år (F5).")
            self.grid_model.set_plan(year, [], [], ())
            self.grid_bar.set_doctors({})
            self.visits.set_rows([])
            self.violations.set_causes([])
            self.follow_up.set_rows([])
            self.not_required.set_rows([])
            self.measures.setHtml("<p>Ingen plan ännu.</p>")
            self._chart([], year)
            return
        moved = doc.moved_since_previous
        prev = doc.previous_version
        moved_text = f", {moved} ÅMV flyttade mot version {prev}" if prev else ""
        self.title.setText(
            f"<b>Årsplan {year}</b>, version {doc.version} ({plan_quality(doc.solver.status)}, "
            f"{len(doc.reviews)} ÅMV{moved_text})")
        units = [(u.doctor, u.name) for u in doc.units if u.annual]
        self.grid_model.set_plan(year, units, doc.reviews, doc.settings.summer_weeks)
        self.grid_bar.set_doctors(self._centres(doc))
        self.grid.resizeColumnToContents(self.grid_model.columnCount() - 1)
        same = previous is not None and previous.year == doc.year \
            and previous.version == doc.version
        content = self._content.of(doc) if self._content is not None else None
        self._content = None
        if visits is None or not same or not self._update_reviews(doc, visits):
            if content is not None:  # computed on the save job
                self.visits.set_prepared(content.visits)
            else:
                self.visits.set_rows(review_rows(doc))
        causes = warning_causes(doc.warnings) + group_by_cause(doc.violations)
        self.violations.set_causes(causes)
        self.tabs.setTabText(self.tabs.indexOf(self.violations),
                             f"Avvikelser ({count(len(causes), 'orsak', 'orsaker')})")
        if content is not None:
            todo = content.follow_ups.rows
            self.follow_up.set_prepared(content.follow_ups)
        else:
            todo = follow_ups(doc)
            self.follow_up.set_rows(todo)
        self.tabs.setTabText(self.tabs.indexOf(self.follow_up), f"Att följa upp ({len(todo)})")
        self.not_required.set_rows(list(doc.not_required))
        self.tabs.setTabText(self.tabs.indexOf(self.not_required),
                             f"Behöver ingen ÅMV ({len(doc.not_required)})")
        self.measures.setHtml(measures_html(doc))
        self._chart(doc.reviews, year)

    def offer(self, content: PlanContent | None) -> None:
        """The tables' rows of a document prepared on a job's thread (a saved plan), used
        when that document is loaded next (issue 17: less work on the GUI thread)."""
        self._content = content

    def prepare_visits(self, doc: PlanDocument) -> PreparedRows[AnnualReview]:
        """The ÅMV table's rows of ``doc`` with their texts (pure Python: a job's thread)."""
        return self.visit_model.prepare(review_rows(doc))

    def _update_reviews(self, doc: PlanDocument, visits: frozenset[int]) -> bool:
        """Replace the rows of ``visits`` in the ÅMV table in place; False (nothing done)
        when the rows do not match one for one (an ÅMV became Inställd or came back)."""
        new = {r.visit_id: r for r in review_rows(doc)
               if r.visit_id in visits}
        model = self.visit_model
        places = [i for i in range(model.rowCount()) if model.row_at(i).visit_id in visits]
        if len(places) != len(new) or len(new) != len(visits):
            return False
        if any(model.row_at(i).visit_id not in new for i in places):
            return False
        for i in places:
            model.replace_row(i, new[model.row_at(i).visit_id])
        self.visits.refresh_filters()  # a status new to the table (Inställd) is offered
        return True

    @staticmethod
    def _centres(doc: PlanDocument) -> dict[str, str]:
        """Each doctor's health centre ("" for none), from the plan's units."""
        centres = {a.doctor: "" for a in doc.reviews}
        centres.update({u.doctor: u.health_centre for u in doc.units if u.health_centre})
        return centres

    def _chart(self, reviews: Sequence[AnnualReview], year: int) -> None:
        self.chart.set_plan(reviews, year, {} if self.doc is None else self._centres(self.doc))

    def chart_series_names(self) -> list[str]:
        return self.chart.series_names()

    def chart_series_colours(self) -> list[str]:
        return self.chart.series_colours()
