"""Avvikelser grouped by cause, and a fix tried on a copy side by side: one applied (one
undoable step: the fix and the plan made with it), one discarded (nothing changes)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from lakarrond.services.patients import PatientData, create_patient
from lakarrond.services.units import list_units
from lakarrond.store import models as m
from lakarrond.ui.dialogs.whatif import WhatIfDialog

TIMEOUT_MS = 60_000


def _crowd(db) -> None:  # type: ignore[no-untyped-def]
    """Twelve new patients admitted the same day at Bäckliden: its four rounds in their
    28 days hold 2 ÅMV each, so four of them cannot be seen in time."""
    unit = next(u for u in list_units(db) if u.name == "Bäckliden")
    for i in range(12):
        create_patient(db, PatientData(name=f"Ny Nummer{i}", unit_id=unit.id,
                                       admitted=date(2027, 9, 6)))


def _plan(qtbot, window):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        window.plan.start(time_limit=5.0, show_dialog=False)


def _per_round(db) -> int:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return s.scalars(select(m.Unit.reviews_per_round)
                         .where(m.Unit.name == "Bäckliden")).one()


def _versions(db) -> int:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return int(s.scalar(select(func.count()).select_from(m.Plan)))


def _select_fixable(window):  # type: ignore[no-untyped-def]
    view = window.plan_view.violations
    model = view.model
    for row in range(model.rowCount()):
        cause = model.cause_at(model.index(row, 0))
        if cause.action and cause.action.kind == "raise_reviews_per_round":
            view.tree.setCurrentIndex(model.index(row, 0))
            return cause
    raise AssertionError("no cause with a per-round fix")


def test_breaks_are_grouped_by_cause(qtbot, window, ui_db):
    window.tabs.setCurrentWidget(window.plan_view)  # Årsplan shown: it follows the plan
    _crowd(ui_db)
    _plan(qtbot, window)
    doc = window.ctx.document
    model = window.plan_view.violations.model
    assert len(doc.violations) > model.rowCount() >= 1  # causes, not lines
    cause = _select_fixable(window)
    assert cause.patients >= 2 and "Bäckliden" in cause.title
    assert window.plan_view.violations.try_button.isEnabled()
    assert model.rowCount(model.index(0, 0)) == len(model.cause_at(model.index(0, 0)).violations)


def test_a_fix_tried_side_by_side_then_discarded(qtbot, window, ui_db):
    window.tabs.setCurrentWidget(window.plan_view)  # Årsplan shown: it follows the plan
    _crowd(ui_db)
    _plan(qtbot, window)
    _select_fixable(window)
    seen: list[WhatIfDialog] = []
    window.ctx.exec_dialog = lambda d: seen.append(d) or False  # Släng
    with qtbot.waitSignal(window.causes.discarded, timeout=TIMEOUT_MS):
        assert window.causes.try_current()
    compared = {r.what: r for r in seen[0].compare_model._rows}
    assert compared["ÅMV utanför tidsgränsen"].tried < compared["ÅMV utanför tidsgränsen"].now
    assert _per_round(ui_db) == 2 and _versions(ui_db) == 1  # nothing changed


def test_a_fix_applied_is_one_undoable_step(qtbot, window, ui_db):
    window.tabs.setCurrentWidget(window.plan_view)  # Årsplan shown: it follows the plan
    _crowd(ui_db)
    _plan(qtbot, window)
    cause = _select_fixable(window)
    window.ctx.exec_dialog = lambda d: isinstance(d, WhatIfDialog)  # Använd
    with qtbot.waitSignal(window.causes.applied, timeout=TIMEOUT_MS):
        assert window.causes.try_current()
    assert _per_round(ui_db) == cause.action.value and _versions(ui_db) == 2
    still = [v for v in window.ctx.document.violations if v.cause == cause.key]
    assert len(still) < len(cause.violations)  # the tried plan is saved: fewer breaks
    assert window.undo_stack.undoText().startswith("Höj ÅMV per rond för Bäckliden")
    window.undo_stack.undo()
    assert _per_round(ui_db) == 2 and _versions(ui_db) == 1
    window.undo_stack.redo()
    assert _per_round(ui_db) == cause.action.value and _versions(ui_db) == 2


def _whatif(new_breaks: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from lakarrond.services.fixes import Fix
    from lakarrond.services.whatif import Figures, WhatIf

    figures = Figures(unplaced=0, broken=3, late_overdue=0, days_late=9, doctors=())
    return WhatIf(fix=Fix("extra_round", unit="Bäckliden", day=date(2027, 5, 11)),
                  description="Lägg till en extra rond på Bäckliden 2027-05-11",
                  current=figures, tried=figures, draft=None,  # type: ignore[arg-type]
                  moves=(), new_breaks=new_breaks)


def test_a_tried_plan_without_a_new_break_can_be_used(qtbot):
    dialog = WhatIfDialog(_whatif(()))
    qtbot.addWidget(dialog)
    assert dialog.use_button.isEnabled() and dialog.warning.isHidden()
    assert dialog.compare_model.headerData(1, Qt.Orientation.Horizontal) == "Sparad plan"


def test_a_tried_plan_with_a_new_break_says_so_and_cannot_be_used(qtbot):
    dialog = WhatIfDialog(_whatif(("ÅMV 2027-04-05: Johan Ek är frånvarande",)))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.use_button.isEnabled() and dialog.warning.isVisible()
    assert "Johan Ek är frånvarande" in dialog.warning.text()
    assert "inte får brytas" in dialog.warning.text()
