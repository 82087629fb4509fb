"""Planera → Inställningar (issue 14.6): the checks keep the dialog open with their Swedish
messages, saving stores the settings and the preparation steps (audited) as one undoable
step, and the window reloads (the plan's banner says the settings changed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from PySide6.QtCore import Qt, QTime
from sqlalchemy import select

from lakarrond.matter import Role
from lakarrond.services import preparation
from lakarrond.services.settings import get_settings, save_settings
from lakarrond.store import models as m
from lakarrond.ui.dialogs.common import to_qdate
from lakarrond.ui.dialogs.settings import SettingsDialog
from lakarrond.ui.models.settings_models import StepModel

TIMEOUT_MS = 60_000


def _step_names(dialog) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.name for s in dialog.steps.steps()]


def test_settings_dialog_checks_saves_and_undo(qtbot, window, ui_db):
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        window.plan.start(time_limit=5.0, show_dialog=False)
    assert window.plan_view.banner.isHidden()
    before = get_settings(ui_db, 2027)
    steps_before = preparation.steps(ui_db, 2027)
    messages: list[str] = []

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, SettingsDialog)
        assert dialog.year.value() == 2027 and dialog.summer_weeks.text() == "27-31"
        assert dialog.numbers["freeze_days"].value() == 14
        # the checks keep the dialog open
        dialog.numbers["min_interval_months"].setValue(12)
        dialog.numbers["max_interval_months"].setValue(6)
        dialog.summer_weeks.setText("27-53")  # 2027 has 52 ISO weeks
        dialog.accept()
        messages.append(dialog.errors.text())
        assert dialog.result() == 0
        dialog.summer_weeks.setText("sommar")
        dialog.accept()
        messages.append(dialog.errors.text())
        # now right
        dialog.summer_weeks.setText("28-32")
        dialog.numbers["min_interval_months"].setValue(6)
        dialog.numbers["max_interval_months"].setValue(12)
        dialog.numbers["freeze_days"].setValue(10)
        dialog.bridge_days.setChecked(True)
        dialog.review_day_start.setTime(QTime(12, 30))
        dialog.period_from.setDate(to_qdate(date(2027, 2, 15)))
        dialog.period_to.setDate(to_qdate(date(2027, 2, 19)))
        dialog.add_period_button.click()
        assert dialog.periods.rowCount() == 1
        dialog.add_step_button.click()  # a new step, edited in the table
        new = dialog.steps.rowCount() - 1
        dialog.steps.setData(dialog.steps.index(new, 0), "Blodtryck")
        dialog.steps.setData(dialog.steps.index(new, 1), 3)
        dialog.steps.setData(dialog.steps.index(new, StepModel.ROLE_COLUMN), "Arbetsterapeut")
        assert dialog.steps.data(dialog.steps.index(new, StepModel.ROLE_COLUMN)) == \
            "Arbetsterapeut"
        dialog.steps.setData(dialog.steps.index(new, StepModel.RELATIVES_COLUMN),
                             Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
        dialog.step_view.selectRow(new)
        dialog.up_button.click()
        assert _step_names(dialog)[-2:] == [
            "Blodtryck", "Förändring i hälsotillståndet meddelad läkaren"]
        dialog.step_view.selectRow(0)
        dialog.remove_step_button.click()
        assert "Planeringsunderlag till läkaren" not in _step_names(dialog)
        dialog.accept()
        return dialog.result() == 1

    window.ctx.exec_dialog = fill
    window.settings_action.trigger()
    assert "Minsta intervall (månader) (12) måste vara mindre än" in messages[0]
    assert "Semesterveckor: vecka 53 finns inte (veckorna är 1–52)" in messages[0]
    assert "Semesterveckor: ogiltiga veckor" in messages[1]

    after = get_settings(ui_db, 2027)
    assert after.summer_weeks == (28, 29, 30, 31, 32) and after.freeze_days == 10
    assert after.avoid_bridge_days and after.review_day_start == time(12, 30)
    assert after.blocked_periods == ((date(2027, 2, 15), date(2027, 2, 19)),)
    stored = preparation.steps(ui_db, 2027)
    names = [s.name for s in stored]
    assert names[0] == "Informera patienten" and names[-2] == "Blodtryck"
    assert (stored[-2].role, stored[-2].relatives) == (Role.OCCUPATIONAL, True)
    with ui_db.begin() as s:
        rows = s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "setting")).all()
    assert len(rows) == 2 and rows[0].after["freeze_days"] == 10
    assert "preparation_steps" in rows[1].after
    # the window reloaded: the banner and the freeze of the next plan
    assert not window.plan_view.banner.isHidden()
    assert "inställning" in window.plan_view.banner.text()
    assert window.plan_view.freeze_spin.value() == 10
    assert window.undo_stack.undoText() == "Ändra inställningarna för 2027"

    window.undo_stack.undo()  # one step undoes both
    assert get_settings(ui_db, 2027) == before
    assert preparation.steps(ui_db, 2027) == steps_before
    window.undo_stack.redo()
    assert get_settings(ui_db, 2027) == after


def test_another_plan_year_shows_its_own_settings(window, ui_db):
    save_settings(ui_db, 2028, replace(get_settings(ui_db, 2028), summer_weeks=(30, 31)))
    seen: list[str] = []

    def look(dialog) -> bool:  # type: ignore[no-untyped-def]
        seen.append(dialog.summer_weeks.text())
        dialog.year.setValue(2028)
        seen.append(dialog.summer_weeks.text())
        return False  # Avbryt

    window.ctx.exec_dialog = look
    assert not window.year_settings.edit()
    assert seen == ["27-31", "30-31"]
    assert window.undo_stack.count() == 0


def test_nothing_changed_is_no_undo_step(window):
    window.ctx.exec_dialog = lambda dialog: True  # OK without changes
    assert not window.year_settings.edit()
    assert window.undo_stack.count() == 0
    assert window.settings_action.shortcut().toString() == "Ctrl+,"


def test_the_list_models_pass_the_model_tester(qtmodeltester):
    from lakarrond.ui.models.settings_models import PeriodModel

    steps = StepModel()
    steps.set_steps(list(preparation.DEFAULT_STEPS))
    qtmodeltester.check(steps)
    assert steps.move(0, 1) == 1 and steps.steps()[1] == preparation.DEFAULT_STEPS[0]
    last = len(preparation.DEFAULT_STEPS) - 1
    assert steps.move(last, 1) == last  # the last one stays last
    assert not steps.setData(steps.index(0, 1), "många")
    assert steps.data(steps.index(0, StepModel.ROLE_COLUMN)) == "Sjuksköterska"
    assert steps.setData(steps.index(0, StepModel.ROLE_COLUMN), "–")  # no role said
    assert steps.steps()[0].role is None
    assert steps.data(steps.index(0, StepModel.ROLE_COLUMN)) == "–"
    relatives = steps.index(2, StepModel.RELATIVES_COLUMN)  # "Bjud in närstående"
    assert steps.data(relatives, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert steps.setData(relatives, Qt.CheckState.Unchecked.value,
                         Qt.ItemDataRole.CheckStateRole)
    assert not steps.steps()[2].relatives
    periods = PeriodModel()
    periods.add((date(2027, 4, 1), date(2027, 4, 2)))
    periods.add((date(2027, 2, 1), date(2027, 2, 5)))
    qtmodeltester.check(periods)
    assert periods.index(0, 2).data() == "5"
