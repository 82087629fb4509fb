"""Arkiv: import a filled template, export the plan (the Export dialog: Excel, calendar,
JSON or a PDF round schedule, per health centre, doctor, unit and period, with or without
personnummer), save the template, open or create another database. Files are read and
written in background jobs."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from lakarrond.errors import UserError
from lakarrond.io.template import write_template
from lakarrond.services.demo import load_demo
from lakarrond.services.exporter import export_plan
from lakarrond.services.importer import ImportReport, import_workbook
from lakarrond.services.years import default_year
from lakarrond.store import open_database
from lakarrond.ui.context import ALL, AppContext
from lakarrond.ui.dialogs.export import ExportDialog, ExportSpec
from lakarrond.ui.jobs import Job

EXPORT_FOLDER_KEY = "export/folder"


class FileController(QObject):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx

    # --- jobs -----------------------------------------------------------------------------
    def import_file(self, path: Path) -> Job[ImportReport]:
        def done(report: ImportReport) -> None:
            self.ctx.status(f"Importen är klar: {path.name}", 10000)
            self.ctx.notify(ALL)
            self.ctx.show_info(report.summary(), "Importen är klar")

        def failed(message: str) -> None:
            self.ctx.status("Importen misslyckades.", 10000)
            self.ctx.show_error(message, "Importen misslyckades")

        self.ctx.status("Importerar …", 0)
        return self.ctx.run("import", partial(import_workbook, self.ctx.db, path),
                            on_done=done, on_error=failed)

    def export_file(self, path: Path) -> Job[Path]:
        """The whole plan to ``path`` (format from the suffix), personnummer included."""
        return self.export(ExportSpec(suffix=path.suffix.lower(), path=path,
                                      include_personnummer=True))

    def export(self, spec: ExportSpec) -> Job[Path]:
        """Export as chosen in the Export dialog, in the background; audited by the service
        with every choice."""
        self.ctx.status("Exporterar …", 0)
        numbers = " med personnummer" if spec.include_personnummer else ""

        def failed(message: str) -> None:
            self.ctx.status("Exporten misslyckades.", 10000)
            self.ctx.show_error(message, "Exporten misslyckades")

        return self.ctx.run(
            "export", partial(
                export_plan, self.ctx.db, self.ctx.year, spec.path,
                doctor=spec.doctor, date_from=spec.date_from, date_to=spec.date_to,
                include_personnummer=spec.include_personnummer, unit=spec.unit,
                full_numbers_on_paper=spec.include_personnummer,
                health_centre=spec.health_centre, include_names=spec.include_names),
            on_done=lambda out: self.ctx.status(
                f"Planen är exporterad{numbers} till {out}", 10000),
            on_error=failed)

    def save_template(self, path: Path) -> Job[None]:
        return self.ctx.run(
            "template", partial(write_template, path),
            on_done=lambda _r: self.ctx.status(f"Importmallen är sparad: {path}", 10000),
            on_error=lambda m: self.ctx.show_error(m))

    # --- file dialogs ---------------------------------------------------------------------
    def template_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self.ctx.window, "Spara importmall",
                                              "lakarrond-mall.xlsx", "Excel-filer (*.xlsx)")
        if name:
            path = Path(name)
            self.save_template(path if path.suffix else path.with_suffix(".xlsx"))

    def load_example(self) -> bool:
        """The example municipality (made-up patients) into the empty database."""
        report = self.ctx.call(lambda: load_demo(self.ctx.db, self.ctx.year))
        if report is None:
            return False
        self.ctx.notify(ALL)
        self.ctx.status(f"Exempelkommunen är inläst: {report.patients} patienter, "
                        f"{report.units} enheter, {report.doctors} läkare.", 10000)
        return True

    def import_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.ctx.window, "Importera Excel", "",
                                              "Excel-filer (*.xlsx)")
        if name:
            self.import_file(Path(name))

    def export_dialog(self, suffix: str = ".xlsx") -> Job[Path] | None:
        """Ask what to export (format, health centre, doctor, unit, period, personnummer)
        and where, then export in the background."""
        doc = self.ctx.document
        if doc is None:
            self.ctx.show_error(f"Det finns ingen plan för {self.ctx.year} att exportera – "
                                "tryck Planera år (F5) först.")
            return None
        folder = Path(str(self.ctx.settings.value(EXPORT_FOLDER_KEY, "") or Path.home()))
        dialog = ExportDialog(doc, suffix, folder if folder.is_dir() else Path.home(),
                              self.ctx.window)
        if not self.ctx.exec_dialog(dialog):
            return None
        spec = dialog.spec()
        if spec.path.exists() and not self.ctx.confirm(
                f"{spec.path.name} finns redan. Vill du ersätta den?"):
            return None
        self.ctx.settings.setValue(EXPORT_FOLDER_KEY, str(spec.path.parent))
        return self.export(spec)

    def open_database_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.ctx.window, "Öppna databas", "",
                                              "Läkarrond-databaser (*.sqlite *.db);;Alla (*)")
        if name:
            self.switch_database(name)

    def new_database_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self.ctx.window, "Ny databas", "lakarrond.sqlite",
                                              "Läkarrond-databaser (*.sqlite)")
        if name:
            if Path(name).exists() and not self.ctx.confirm(
                    f"{name} finns redan. Öppna den i stället?"):
                return
            self.switch_database(name)

    def switch_database(self, target: str) -> bool:
        if self.ctx.jobs.busy():
            self.ctx.show_error("Vänta tills planeringen eller importen är klar.")
            return False
        try:
            db = open_database(target)
        except UserError as exc:
            self.ctx.show_error(str(exc), "Databasen kunde inte öppnas")
            return False
        self.ctx.switch_database(db, default_year(db))
        for warning in db.warnings:
            self.ctx.show_error(warning, "Varning")
        return True
