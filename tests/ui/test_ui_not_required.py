"""Årsplan shows who needs no ÅMV, with the reason (issue 22: nobody silently missing)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lakarrond.store import models as m

TIMEOUT_MS = 60_000


def test_the_plan_lists_who_needs_no_review_and_why(qtbot, window, ui_db):
    window.tabs.setCurrentWidget(window.plan_view)  # Årsplan shown: it follows the plan
    with ui_db.begin() as s:
        home = s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        s.add(m.Patient(name="Ebba Lund", unit=home, room="Rum 9", admitted=date(2020, 1, 1),
                        last_review=date(2026, 10, 6), status="Utskriven",
                        end_date=date(2027, 9, 1)))
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0)
    view = window.plan_view
    doc = window.ctx.document
    assert doc is not None
    tab = view.tabs.tabText(view.tabs.indexOf(view.not_required))
    assert tab == f"Behöver ingen ÅMV ({len(doc.not_required)})"
    assert ("Ebba Lund", "Bäckliden",
            "skrivs ut 2027-09-01, innan nästa ÅMV ska hållas (senast 2027-10-06)"
            ) in [(n.patient, n.unit, n.reason) for n in view.not_required.model.rows()]
    assert "Ebba Lund" not in {a.patient for a in doc.reviews}
    with ui_db.read() as s:
        everyone = sorted(s.scalars(select(m.Patient.name)))
    shown = [a.patient for a in doc.reviews] + [u.patient for u in doc.unplaced] + [
        n.patient for n in view.not_required.model.rows()]
    assert sorted(shown) == everyone
    assert "Behöver ingen ÅMV i år" in view.measures.toPlainText()
