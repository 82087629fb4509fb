"""Enheter: add, edit (rhythm, capacity, minutes per ÅMV) and delete units, and a unit's
one-off round dates (an extra round, a cancelled round), each undoable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import QObject

from lakarrond.services import doctors as doctor_service
from lakarrond.services import round_changes as round_change_service
from lakarrond.services import units as unit_service
from lakarrond.services.doctor_time import units_with_doctor_time
from lakarrond.services.round_changes import CANCELLED, EXTRA, KIND_LABELS, RoundChangeData
from lakarrond.services.units import UnitData, UnitRow
from lakarrond.ui import undo
from lakarrond.ui.context import UNITS, AppContext
from lakarrond.ui.controllers.forms import save_through_form
from lakarrond.ui.dialogs.round_changes import RoundChangesPanel, RoundDateDialog
from lakarrond.ui.dialogs.unit import UnitDialog
from lakarrond.ui.views.units import UnitsView

UNITS_JOB = "read doctor time of the units"


class UnitController(QObject):
    def __init__(self, ctx: AppContext, view: UnitsView) -> None:
        super().__init__(ctx)
        self.ctx, self.view = ctx, view
        view.add_button.clicked.connect(lambda: self.add())
        view.edit_button.clicked.connect(lambda: self._with_current(self.edit))
        view.delete_button.clicked.connect(lambda: self._with_current(self.delete))
        view.panel.activated.connect(lambda row: self.edit(row.id))
        self.panel: RoundChangesPanel | None = None  # of the open unit form
        self._reads = 0  # reads of the list made: a job's answer is shown if it is the last

    def _with_current(self, fn: Callable[[int], object]) -> None:
        row = self.view.panel.current()
        if row is not None:
            fn(row.id)

    def reload(self, background: bool = False) -> None:
        """Read the units with their doctor time; with ``background`` only the units (when
        the list is empty) and the doctor time later (:meth:`read_doctor_time`, when
        Enheter or Läkare is shown: a computation over the year's rounds, 0.3 s on a
        region, that nobody waits for at start-up or while a new plan is saved)."""
        self._reads += 1  # a doctor time on its way from before this is older: dropped
        if not background:
            self.view.panel.set_rows(units_with_doctor_time(self.ctx.db, self.ctx.year))
        elif not self.view.model.rowCount():
            self.view.panel.set_rows(unit_service.list_units(self.ctx.db))

    def read_doctor_time(self) -> None:
        """The units with their doctor time read on the job runner; the list keeps what it
        shows until they arrive."""
        self._reads += 1
        self.ctx.run(UNITS_JOB, partial(units_with_doctor_time, self.ctx.db, self.ctx.year),
                     on_done=partial(self._show, self._reads))

    def _show(self, read: int, rows: list[UnitRow]) -> None:
        """New rows, the chosen unit still chosen (unless a newer read was made since)."""
        if read != self._reads:
            return
        chosen = self.view.panel.current()
        self.view.panel.set_rows(rows)
        if chosen is not None and self.view.panel.current() is None:
            self.view.panel.select_where(lambda r: r.id == chosen.id)

    def _find(self, unit_id: int) -> UnitRow | None:
        return next((u for u in unit_service.list_units(self.ctx.db) if u.id == unit_id), None)

    def _form(self, data: UnitData | None, patients: int, error: str = "",
              unit_id: int | None = None) -> UnitData | None:
        """The unit form; only active doctors to choose from (and the unit's own doctor)."""
        keep = data.doctor_id if data is not None else None
        doctors = [d for d in doctor_service.list_doctors(self.ctx.db)
                   if not d.retired or d.id == keep]
        panel = self._round_panel(unit_id) if unit_id is not None else None
        dialog = UnitDialog(self.ctx.db, doctors, data, patients,
                            preview_from=max(self.ctx.today(), date(self.ctx.year, 1, 1)),
                            parent=self.ctx.window, round_changes=panel, unit_id=unit_id,
                            year=self.ctx.year)
        if error:
            dialog.errors.setText(error)
            dialog.errors.show()
        try:
            return dialog.data() if self.ctx.exec_dialog(dialog) else None
        finally:
            self.panel = None

    def add(self, data: UnitData | None = None) -> int | None:
        from_form = data is None
        typed = data or self._form(None, 0)
        while typed is not None:
            row, error = self.ctx.try_call(
                partial(unit_service.create_unit, self.ctx.db, typed))
            if row is not None:
                self.ctx.undo_stack.push(undo.AddUnit(self.ctx, row))
                self.ctx.notify(UNITS)
                return row.id
            if not error:
                return None  # already shown (a conflict, a busy database)
            if not from_form:
                self.ctx.show_error(error)
                return None
            typed = self._form(typed, 0, error)
        return None

    def edit(self, unit_id: int, data: UnitData | None = None) -> bool:
        current = self._find(unit_id)
        if current is None:
            self.ctx.show_error("Enheten finns inte längre – läs in igen.")
            return False
        from_form = data is None
        typed = data or self._form(current.data, current.patients, unit_id=unit_id)
        while typed is not None and typed != current.data:
            saved, error = self.ctx.try_call(partial(unit_service.update_unit,
                self.ctx.db, unit_id, typed, current.version))
            if saved is not None:
                self.ctx.undo_stack.push(undo.EditUnit(
                    self.ctx, unit_id, current.data, saved.data, saved.version,
                    f"Ändra enheten {saved.name}"))
                self.ctx.notify(UNITS)
                return True
            if not error:
                return False
            if not from_form:
                self.ctx.show_error(error)
                return False
            typed = self._form(typed, current.patients, error, unit_id)
        return False

    def delete(self, unit_id: int) -> bool:
        current = self._find(unit_id)
        if current is None or not self.ctx.confirm(f"Ta bort enheten {current.name}?"):
            return False

        def delete() -> bool:
            unit_service.delete_unit(self.ctx.db, unit_id)
            return True

        ok = self.ctx.call(delete)
        if ok:
            self.ctx.undo_stack.clear()
            self.ctx.notify(UNITS)
        return bool(ok)

    # --- one-off round dates --------------------------------------------------------------
    def _round_panel(self, unit_id: int) -> RoundChangesPanel:
        panel = RoundChangesPanel()
        panel.extra_button.clicked.connect(lambda: self.add_round_change(unit_id, EXTRA))
        panel.cancel_button.clicked.connect(lambda: self.add_round_change(unit_id, CANCELLED))
        panel.remove_button.clicked.connect(lambda: self._remove_selected())
        panel.set_rows(round_change_service.list_round_changes(self.ctx.db, unit_id))
        self.panel = panel
        return panel

    def _remove_selected(self) -> None:
        row = self.panel.current() if self.panel is not None else None
        if row is not None:
            self.remove_round_change(row.id)

    def _refresh_panel(self, unit_id: int, select: int | None = None) -> None:
        if self.panel is not None:
            self.panel.set_rows(round_change_service.list_round_changes(self.ctx.db, unit_id))
            if select is not None:
                self.panel.select(select)

    def _first_day(self, unit: UnitRow, kind: str) -> date:
        """A date to start from: for a cancelled round the next round date of the rhythm."""
        start = max(self.ctx.today(), date(self.ctx.year, 1, 1))
        if kind == CANCELLED:
            rows = self.ctx.call(lambda: unit_service.unit_preview(self.ctx.db, unit.data,
                                                                   start, 5)) or []
            held = [r.date for r in rows if not r.cancelled]
            if held:
                return held[0]
        return start

    def _date_form(self, unit: UnitRow, kind: str, typed: tuple[date, str],
                   error: str = "") -> tuple[date, str] | None:
        parent = self.panel.window() if self.panel is not None else self.ctx.window
        dialog = RoundDateDialog(unit.name, kind, typed[0], typed[1], parent)
        if error:
            dialog.show_errors(error)
        return dialog.value() if self.ctx.exec_dialog(dialog) else None

    def add_round_change(self, unit_id: int, kind: str, day: date | None = None,
                         note: str = "") -> int | None:
        """An extra round (``EXTRA``) or a cancelled round (``CANCELLED``) on one date (asked
        when ``day`` is None); saved at once, undoable."""
        unit = self._find(unit_id)
        if unit is None:
            self.ctx.show_error("Enheten finns inte längre – läs in igen.")
            return None
        if day is None:
            typed = self._date_form(unit, kind, (self._first_day(unit, kind), note))
            reopen = lambda t, e: self._date_form(unit, kind, t, e)  # noqa: E731
        else:
            typed, reopen = (day, note), None
        change_id = save_through_form(
            self.ctx, typed, lambda t: round_change_service.add_round_change(
                self.ctx.db, unit_id, t[0], kind, t[1]), reopen)
        if change_id is None:
            return None
        row = next(r for r in round_change_service.list_round_changes(self.ctx.db, unit_id)
                   if r.id == change_id)
        self.ctx.undo_stack.push(undo.AddRoundChange(
            self.ctx, change_id, row.data, True,
            f"{KIND_LABELS[kind]} {unit.name} {row.data.date.isoformat()}"))
        self.ctx.notify(UNITS)
        self._refresh_panel(unit_id, change_id)
        return change_id

    def remove_round_change(self, change_id: int) -> bool:
        row = next((r for r in round_change_service.list_round_changes(self.ctx.db)
                    if r.id == change_id), None)
        if row is None or not self.ctx.confirm(
                f"Ta bort {row.label.lower()} {row.data.date.isoformat()} för {row.unit}?"):
            return False
        data: RoundChangeData | None = self.ctx.call(
            lambda: round_change_service.remove_round_change(self.ctx.db, change_id))
        if data is None:
            return False
        self.ctx.undo_stack.push(undo.AddRoundChange(
            self.ctx, change_id, data, False,
            f"Ta bort {row.label.lower()} {row.unit} {data.date.isoformat()}"))
        self.ctx.notify(UNITS)
        self._refresh_panel(data.unit_id)
        return True
