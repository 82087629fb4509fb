"""Patienter and Årsplan follow an outcome in place (issue 17, helper L): the patient's row and
the ÅMV's row are replaced (``dataChanged``), no model reset; a full read (a new plan, another
today) sets them anew."""

from __future__ import annotations

from lakarrond.ui.context import PLAN
from solver.problem import VisitStatus

TIMEOUT_MS = 60_000


class Counts:
    def __init__(self, model) -> None:  # type: ignore[no-untyped-def]
        self.resets = self.changed = 0
        model.modelReset.connect(self._reset)
        model.dataChanged.connect(self._changed)

    def _reset(self) -> None:
        self.resets += 1

    def _changed(self, *_args: object) -> None:
        self.changed += 1


def _planned(qtbot, window):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    review = max(window.ctx.document.reviews, key=lambda r: r.date)
    window.ctx.fixed_today = review.date  # Avböjd after today is refused
    window.reload(PLAN)
    return review


def _patient_row(window, patient_id: int):  # type: ignore[no-untyped-def]
    model = window.patients_view.panel.model
    return next(model.row_at(i) for i in range(model.rowCount())
                if model.row_at(i).id == patient_id)


def test_an_outcome_updates_the_patients_row_and_the_amv_row_in_place(qtbot, window):
    review = _planned(qtbot, window)
    window.tabs.setCurrentWidget(window.plan_view)  # Årsplan shows the plan read last
    window.tabs.setCurrentWidget(window.patients_view)
    qtbot.waitUntil(lambda: window.patients_view.panel.model.rowCount() > 0,
                    timeout=TIMEOUT_MS)
    assert _patient_row(window, review.patient_id).next_review == review.date
    patients = Counts(window.patients_view.panel.model)
    visits = Counts(window.plan_view.visit_model)
    assert window.plan.record([review], VisitStatus.DECLINED, reason="Vill inte")
    assert _patient_row(window, review.patient_id).next_review is None
    assert (patients.resets, patients.changed) == (0, 1)
    window.tabs.setCurrentWidget(window.plan_view)  # Årsplan waited: one row in place
    model = window.plan_view.visit_model
    [row] = [model.row_at(i) for i in range(model.rowCount())
             if model.row_at(i).visit_id == review.visit_id]
    assert row.status == VisitStatus.DECLINED.value
    assert visits.resets == 0
    assert visits.changed >= 1


def test_a_full_read_sets_the_lists_anew(qtbot, window):
    _planned(qtbot, window)
    window.tabs.setCurrentWidget(window.patients_view)
    qtbot.waitUntil(lambda: window.patients_view.panel.model.rowCount() > 0,
                    timeout=TIMEOUT_MS)
    window.tabs.setCurrentWidget(window.plan_view)
    patients = Counts(window.patients_view.panel.model)
    visits = Counts(window.plan_view.visit_model)
    window.tabs.setCurrentWidget(window.patients_view)
    window.reload(PLAN)  # everything: read anew
    qtbot.waitUntil(lambda: patients.resets >= 1, timeout=TIMEOUT_MS)
    window.tabs.setCurrentWidget(window.plan_view)
    assert visits.resets >= 1
