"""Enheter: add, edit (rhythm, capacity) and delete units."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject

from lakarrond.services import doctors as doctor_service
from lakarrond.services import units as unit_service
from lakarrond.services.units import UnitData, UnitRow
from lakarrond.ui import undo
from lakarrond.ui.context import UNITS, AppContext
from lakarrond.ui.dialogs.unit import UnitDialog
from lakarrond.ui.views.units import UnitsView


class UnitController(QObject):
    def __init__(self, ctx: AppContext, view: UnitsView) -> None:
        super().__init__(ctx)
        self.ctx, self.view = ctx, view
        view.add_button.clicked.connect(lambda: self.add())
        view.edit_button.clicked.connect(lambda: self._with_current(self.edit))
        view.delete_button.clicked.connect(lambda: self._with_current(self.delete))
        view.panel.activated.connect(lambda row: self.edit(row.id))

    def _with_current(self, fn: Callable[[int], object]) -> None:
        row = self.view.panel.current()
        if row is not None:
            fn(row.id)

    def reload(self) -> None:
        self.view.panel.set_rows(unit_service.list_units(self.ctx.db))

    def _find(self, unit_id: int) -> UnitRow | None:
        return next((u for u in unit_service.list_units(self.ctx.db) if u.id == unit_id), None)

    def _form(self, data: UnitData | None, patients: int, error: str = "") -> UnitData | None:
        dialog = UnitDialog(self.ctx.db, doctor_service.list_doctors(self.ctx.db), data,
                            patients, preview_from=max(date.today(), date(self.ctx.year, 1, 1)),
                            parent=self.ctx.window)
        if error:
            dialog.errors.setText(error)
            dialog.errors.show()
        return dialog.data() if self.ctx.exec_dialog(dialog) else None

    def add(self, data: UnitData | None = None) -> int | None:
        from_form = data is None
        typed = data or self._form(None, 0)
        while typed is not None:
            row, error = self.ctx.try_call(
                lambda t=typed: unit_service.create_unit(self.ctx.db, t))
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
        typed = data or self._form(current.data, current.patients)
        while typed is not None and typed != current.data:
            saved, error = self.ctx.try_call(lambda t=typed: unit_service.update_unit(
                self.ctx.db, unit_id, t, current.version))
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
            typed = self._form(typed, current.patients, error)
        return False

    def delete(self, unit_id: int) -> bool:
        current = self._find(unit_id)
        if current is None or not self.ctx.confirm(f"Ta bort enheten {current.name}?"):
            return False
        ok = self.ctx.call(lambda: unit_service.delete_unit(self.ctx.db, unit_id) or True)
        if ok:
            self.ctx.undo_stack.clear()
            self.ctx.notify(UNITS)
        return bool(ok)
