"""Planera → Inställningar: the settings and preparation steps of a plan year, saved in one
undoable step (each service call audited); the window then reloads, so the plan's banner
shows that the settings changed."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from lakarrond.errors import BadInput
from lakarrond.services import preparation as preparation_service
from lakarrond.services import settings as settings_service
from lakarrond.services.preparation import PreparationStep
from lakarrond.services.settings import SettingsData
from lakarrond.ui import undo
from lakarrond.ui.context import ALL, AppContext
from lakarrond.ui.controllers.forms import save_through_form
from lakarrond.ui.dialogs.settings import SettingsDialog, YearValues

Typed = tuple[int, SettingsData, list[PreparationStep]]


class SettingsController(QObject):
    saved = Signal(int)  # the year whose settings were saved

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx

    def values(self, year: int) -> YearValues:
        """The settings in force for ``year`` and its preparation steps."""
        return (settings_service.get_settings(self.ctx.db, year),
                preparation_service.steps(self.ctx.db, year))

    def _form(self, typed: Typed | None, error: str = "") -> Typed | None:
        year = typed[0] if typed is not None else self.ctx.year
        values = (typed[1], typed[2]) if typed is not None else self.values(year)
        dialog = SettingsDialog(year, values, self.values, self.ctx.window)
        if error:
            dialog.show_errors(error.splitlines())
        return dialog.value() if self.ctx.exec_dialog(dialog) else None

    def _save(self, typed: Typed) -> tuple[int, YearValues, YearValues]:
        """Save both parts (the steps are checked first, so a bad list changes nothing);
        returns (year, before, after)."""
        year, data, steps = typed
        errors = preparation_service.validate_steps(steps)
        if errors:
            raise BadInput("\n".join(errors))
        before_settings = settings_service.save_settings(self.ctx.db, year, data)
        before_steps = preparation_service.set_steps(self.ctx.db, year, steps)
        return year, (before_settings, before_steps), self.values(year)

    def edit(self, year: int | None = None, data: SettingsData | None = None,
             steps: list[PreparationStep] | None = None) -> bool:
        """Open the Settings dialog (or save ``data`` and ``steps`` for ``year`` directly);
        True when something changed."""
        if data is None:
            typed = self._form(None)
            reopen = self._form
        else:
            year = year or self.ctx.year
            typed = (year, data, steps if steps is not None else
                     preparation_service.steps(self.ctx.db, year))
            reopen = None
        result = save_through_form(self.ctx, typed, self._save, reopen)
        if result is None:
            return False
        saved_year, before, after = result
        if before == after:
            return False
        self.ctx.undo_stack.push(undo.SaveSettings(self.ctx, saved_year, before, after))
        self.ctx.notify(ALL)
        self.saved.emit(saved_year)
        self.ctx.status(f"Inställningarna för {saved_year} är sparade.", 8000)
        return True
