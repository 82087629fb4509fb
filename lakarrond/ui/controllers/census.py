"""Arkiv → Ändringar sedan …: the dialog (:mod:`lakarrond.ui.dialogs.census`), the list read
off the GUI thread, saved as Excel or PDF (audited as an export) or printed (audited as a
printout). The date offered is the day the list was last exported, else 14 days ago."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from lakarrond.census import CensusList
from lakarrond.printouts import Printout
from lakarrond.services import census as census_service
from lakarrond.ui.context import AppContext
from lakarrond.ui.dialogs.census import CensusDialog
from lakarrond.ui.jobs import Job

FILTERS = {".xlsx": "Excel-filer (*.xlsx)", ".pdf": "PDF-filer (*.pdf)"}


def file_name(census: CensusList, suffix: str, include_personnummer: bool) -> str:
    """"andringar-sedan-2027-03-01-med-personnummer.xlsx" and the like."""
    numbers = "-med-personnummer" if include_personnummer else ""
    return f"andringar-sedan-{census.since.isoformat()}{numbers}{suffix}"


class CensusController(QObject):
    def __init__(self, ctx: AppContext, preview: Callable[[Printout], bool]) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.preview = preview
        self.dialog: CensusDialog | None = None

    def open_dialog(self) -> None:
        """Show the dialog until it is closed."""
        since = self.ctx.call(lambda: census_service.default_since(self.ctx.db,
                                                                   self.ctx.today()))
        if since is None:
            return
        dialog = CensusDialog(since, self.ctx.window)
        self.dialog = dialog
        dialog.since_changed.connect(lambda _d: self.load(dialog))
        dialog.save_requested.connect(lambda suffix: self.save_dialog(dialog, suffix))
        dialog.print_requested.connect(lambda: self.print_list(dialog))
        self.load(dialog)
        try:
            self.ctx.exec_dialog(dialog)
        finally:
            self.dialog = None

    def load(self, dialog: CensusDialog) -> Job[CensusList]:
        dialog.loading()
        return self.ctx.run("andringar", partial(census_service.load_census, self.ctx.db,
                                                 dialog.since()),
                            on_done=dialog.set_list,
                            on_error=lambda message: self.ctx.show_error(message))

    def ask_path(self, suggested: str, suffix: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.ctx.window, "Spara Ändringar sedan",
                                              str(Path.home() / suggested), FILTERS[suffix])
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(suffix)

    def save_dialog(self, dialog: CensusDialog, suffix: str) -> Job[Path] | None:
        census = dialog.census
        if census is None:
            return None
        numbers = dialog.include_personnummer()
        path = self.ask_path(file_name(census, suffix, numbers), suffix)
        if path is None:
            return None
        return self.save(census, path, numbers)

    def save(self, census: CensusList, path: Path, include_personnummer: bool) -> Job[Path]:
        """Write the list shown to ``path`` in the background; audited by the service."""
        self.ctx.status("Sparar listan …", 0)
        return self.ctx.run(
            "andringar", partial(census_service.export_census, self.ctx.db, census.since,
                                 path, include_personnummer, census),
            on_done=lambda out: self.ctx.status(f"Ändringar sedan "
                                                f"{census.since.isoformat()} är sparade i {out}",
                                                10000),
            on_error=lambda message: self.ctx.show_error(message, "Listan sparades inte"))

    def print_list(self, dialog: CensusDialog) -> bool:
        if dialog.census is None:
            return False
        return self.preview(census_service.census_paper(dialog.census,
                                                        dialog.include_personnummer()))
