"""Arkiv → Årsuppföljning …: the yearly follow-up in a dialog. The figures are computed and
the Excel file written off the GUI thread (ctx.run); the PDF is painted on the GUI thread,
like every other PDF of the window (Qt's text document lives there)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from lakarrond.followup import FollowUp
from lakarrond.services.followup import default_follow_up_year, load_follow_up, write_follow_up
from lakarrond.ui.context import AppContext
from lakarrond.ui.dialogs.year_follow_up import FollowUpDialog
from lakarrond.ui.jobs import Job

FOLDER_KEY = "export/folder"
FILTERS = {".xlsx": "Excel-filer (*.xlsx)", ".pdf": "PDF-filer (*.pdf)"}


class FollowUpController(QObject):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.dialog: FollowUpDialog | None = None
        self.job: Job[FollowUp] | None = None  # the last computation started

    def open(self) -> FollowUpDialog:
        """Show the dialog (not modal) on the default year and start computing it."""
        year = default_follow_up_year(self.ctx.today())
        self.dialog = FollowUpDialog(year, self.load, self.save_dialog, self.ctx.window)
        self.dialog.show()
        self.load(year)
        return self.dialog

    def load(self, year: int) -> None:
        self.job = self._load(year)

    def _load(self, year: int) -> Job[FollowUp] | None:
        dialog = self.dialog
        if dialog is None:
            return None
        dialog.set_loading()

        def failed(message: str) -> None:
            dialog.set_result(None)
            self.ctx.show_error(message, "Årsuppföljningen")

        return self.ctx.run(
            "årsuppföljning", partial(load_follow_up, self.ctx.db, year, self.ctx.today()),
            on_done=dialog.set_result, on_error=failed)

    def save_dialog(self, suffix: str) -> None:
        result = self.dialog.follow_up if self.dialog is not None else None
        if result is None:
            return
        folder = Path(str(self.ctx.settings.value(FOLDER_KEY, "") or Path.home()))
        name, _ = QFileDialog.getSaveFileName(
            self.dialog, "Spara årsuppföljningen",
            str(folder / f"arsuppfoljning-{result.year}{suffix}"), FILTERS[suffix])
        if name:
            path = Path(name)
            self.save(result, path if path.suffix else path.with_suffix(suffix))

    def save(self, result: FollowUp, path: Path) -> Job[Path] | None:
        """Write ``result`` to ``path`` (audited by the service)."""
        self.ctx.settings.setValue(FOLDER_KEY, str(path.parent))
        if path.suffix.lower() == ".pdf":
            saved = self.ctx.call(lambda: write_follow_up(self.ctx.db, result, path))
            if saved is not None:
                self.ctx.status(f"Årsuppföljningen är sparad som {saved}", 10000)
            return None
        return self.ctx.run(
            "årsuppföljning-excel", partial(write_follow_up, self.ctx.db, result, path),
            on_done=lambda out: self.ctx.status(f"Årsuppföljningen är sparad som {out}",
                                                10000),
            on_error=lambda message: self.ctx.show_error(message, "Det gick inte att spara"))


__all__ = ["FollowUpController"]
