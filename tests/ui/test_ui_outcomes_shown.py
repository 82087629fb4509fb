"""An Avböjd or Inställd ÅMV stays in sight: greyed in Veckan and in Årsplan's ÅMV list with
its status and reason, and the Status filter offers Inställd."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from lakarrond.ui.models.store_models import MUTED, VisitModel
from lakarrond.ui.models.week import WeekTreeModel
from solver.problem import VisitStatus

TIMEOUT_MS = 60_000


def _two_reviews(qtbot, window):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    window.ctx.fixed_today = date(2027, 3, 22)
    later = sorted((r for r in window.ctx.document.reviews if r.date >= date(2027, 3, 22)),
                   key=lambda r: r.date)
    first = later[0]
    other = next(r for r in later if r.patient != first.patient)
    return first, other


def _tree_row(window, patient: str):  # type: ignore[no-untyped-def]
    tree = window.week_view.tree_model
    for node in tree._walk(tree._root):
        if node.kind == "review" and node.item.patient == patient:
            index = tree.index_of(node)
            return [tree.index(index.row(), c, index.parent()) for c in range(len(tree.HEADERS))]
    raise AssertionError(f"{patient} finns inte i veckan")


def _list_row(window, patient: str) -> int:  # type: ignore[no-untyped-def]
    model = window.plan_view.visit_model
    return next(r for r in range(model.rowCount()) if model.row_at(r).patient == patient)


def test_a_cancelled_review_stays_in_the_week_and_the_list(qtbot, window):
    window.tabs.setCurrentWidget(window.plan_view)  # Årsplan shown: it follows the plan
    gone, _ = _two_reviews(qtbot, window)
    assert window.plan.record([gone], VisitStatus.CANCELLED, reason="Läkaren sjuk")
    window.week.go(gone.date)
    cells = _tree_row(window, gone.patient)
    assert cells[WeekTreeModel.STATUS_COLUMN].data() == "Inställd"
    assert cells[WeekTreeModel.REMARK_COLUMN].data() == "Inställd: Läkaren sjuk"
    assert cells[0].data(Qt.ItemDataRole.ForegroundRole).color() == MUTED
    model = window.plan_view.visit_model
    row = _list_row(window, gone.patient)
    assert model.index(row, VisitModel.STATUS_COLUMN).data() == "Inställd"
    assert model.index(row, model.columnCount() - 1).data() == "Läkaren sjuk"
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole).color() == MUTED
    status_filter = window.plan_view.visits.filters[VisitModel.STATUS_COLUMN]
    assert "Inställd" in [status_filter.itemText(i) for i in range(status_filter.count())]


def test_a_declined_reviews_reason_is_shown(qtbot, window):
    window.tabs.setCurrentWidget(window.plan_view)  # Årsplan shown: it follows the plan
    _, declined = _two_reviews(qtbot, window)
    window.ctx.fixed_today = declined.date  # Avböjd after today is refused
    assert window.plan.record([declined], VisitStatus.DECLINED, reason="Vill inte")
    window.week.go(declined.date)
    cells = _tree_row(window, declined.patient)
    assert cells[WeekTreeModel.REMARK_COLUMN].data() == "Avböjd: Vill inte"
    assert cells[0].data(Qt.ItemDataRole.ForegroundRole).color() == MUTED
    model = window.plan_view.visit_model
    row = _list_row(window, declined.patient)
    assert model.index(row, model.columnCount() - 1).data() == "Vill inte"


def test_a_planned_review_is_neither_greyed_nor_given_a_reason(qtbot, window):
    window.tabs.setCurrentWidget(window.plan_view)  # Årsplan shown: it follows the plan
    planned, _ = _two_reviews(qtbot, window)
    window.week.go(planned.date)
    cells = _tree_row(window, planned.patient)
    assert cells[WeekTreeModel.REMARK_COLUMN].data() == ""
    assert cells[0].data(Qt.ItemDataRole.ForegroundRole) is None
    model = window.plan_view.visit_model
    assert model.index(_list_row(window, planned.patient), model.columnCount() - 1).data() == ""


def test_the_column_constants_name_their_columns(qapp):
    from lakarrond.ui.models.store_models import PatientModel, VisitModel

    def header(model, column):  # type: ignore[no-untyped-def]
        return model.headerData(column, Qt.Orientation.Horizontal,
                                Qt.ItemDataRole.DisplayRole)

    visits, patients = VisitModel(), PatientModel()
    assert [header(visits, c) for c in (VisitModel.DOCTOR_COLUMN, VisitModel.UNIT_COLUMN,
                                         VisitModel.STATUS_COLUMN)] == [
        "Läkare", "Enhet", "Status"]
    assert [header(patients, c) for c in (PatientModel.UNIT_COLUMN, PatientModel.NEXT_COLUMN,
                                           PatientModel.STATUS_COLUMN)] == [
        "Enhet", "Nästa ÅMV", "Status"]
