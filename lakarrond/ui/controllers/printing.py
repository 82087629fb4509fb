"""Skriv ut: a doctor's round schedule or a unit's preparation list, through a print
preview or saved as PDF; the week's round list saved as PDF in one click (into the folder
used last time); every printout is recorded in the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog

from lakarrond.io import pdf
from lakarrond.printouts import ROUND_SCHEDULE, Printout
from lakarrond.services import printing
from lakarrond.ui.context import AppContext
from lakarrond.ui.dialogs.printing import PREVIEW, SAVE_PDF, PrintDialog, PrintSpec
from lakarrond.ui.views.week import WeekView

WEEK_FOLDER_KEY = "print/week_folder"  # where "Spara veckan som PDF" saved last time


class PrintController(QObject):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.preferred_doctor: str | None = None  # e.g. the doctor filtered in Rondschema

    def _dialog(self, doctor: str | None = None, action: str = PREVIEW) -> PrintSpec | None:
        doc = self.ctx.document
        if doc is None:
            self.ctx.show_error(f"Det finns ingen plan för {self.ctx.year} att skriva ut – "
                                "tryck Planera år (F5) först.")
            return None
        units = sorted(u.name for u in doc.units if u.annual)
        dialog = PrintDialog(self.ctx.year, doc.doctors, units,
                             doctor if doctor in doc.doctors else None, self.ctx.window,
                             action=action, today=self.ctx.today())
        return dialog.spec() if self.ctx.exec_dialog(dialog) else None

    def print_dialog(self) -> None:
        """Ask what to print, then show the print preview."""
        spec = self._dialog(self.preferred_doctor)
        if spec is not None:
            self.print_job(spec)

    def build(self, spec: PrintSpec) -> Printout:
        if spec.kind == ROUND_SCHEDULE:
            return printing.make_round_schedule(
                self.ctx.db, self.ctx.year, spec.name, spec.date_from, spec.date_to,
                numbers=spec.numbers)
        return printing.make_preparation_list(
            self.ctx.db, self.ctx.year, spec.name, spec.date_from, spec.date_to,
            numbers=spec.numbers)

    def print_job(self, spec: PrintSpec, pdf_path: Path | None = None) -> bool:
        """Print ``spec`` through a print preview, or save it as a PDF at ``pdf_path``;
        either way the printout is recorded in the audit log."""
        job = self.ctx.call(lambda: self.build(spec))
        if job is None:
            return False
        if pdf_path is not None:
            saved = self.ctx.call(lambda: printing.save_pdf(self.ctx.db, job, pdf_path))
            if saved is not None:
                self.ctx.status(f"Utskriften är sparad som {saved}")
            return saved is not None
        if not self.preview(job):
            return False
        self.ctx.status(f"{spec.kind.capitalize()} är utskriven.")
        return True

    def preview(self, printout: Printout) -> bool:
        """A print preview of a printout made elsewhere (e.g. the list of moved ÅMV)."""
        document = pdf.text_document(printout)
        printer = pdf.make_printer()
        preview = QPrintPreviewDialog(printer, self.ctx.window)
        preview.setWindowTitle(f"Förhandsgranska {printout.kind}")
        preview.paintRequested.connect(lambda p: pdf.print_document(document, p))
        if not self.ctx.exec_dialog(preview):
            return False
        self.ctx.call(lambda: printing.record_printout(self.ctx.db, printout))
        return True

    def save_pdf_dialog(self) -> None:
        """Ask what to print and save it as a PDF file."""
        spec = self._dialog(self.preferred_doctor, SAVE_PDF)
        if spec is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self.ctx.window, "Spara utskrift som PDF", spec.pdf_name(self.ctx.year),
            "PDF-filer (*.pdf)")
        if name:
            path = Path(name)
            self.print_job(spec, path if path.suffix else path.with_suffix(".pdf"))

    # --- the week as PDF in one click ------------------------------------------------------
    def attach_week(self, view: WeekView, monday: Callable[[], date]) -> None:
        """Veckan's "Spara veckan som PDF": the shown week (``monday()``) for the doctor or
        the health centre chosen there (or every doctor)."""
        def save(change: bool = False) -> None:
            centre = view.chosen_centre()
            self.save_week_pdf(monday(), view.chosen_doctor(), change=change,
                               doctors=view.chosen_doctors() if centre else None,
                               group=centre)
        view.pdf_button.clicked.connect(lambda: save())
        view.pdf_folder_action.triggered.connect(lambda: save(change=True))
        view.pdf_open_action.triggered.connect(self.open_week_folder)

    def week_folder(self) -> Path | None:
        """The folder the week was saved in last time, if it is still there."""
        folder = str(self.ctx.settings.value(WEEK_FOLDER_KEY, "") or "")
        return Path(folder) if folder and Path(folder).is_dir() else None

    def save_week_pdf(self, monday: date, doctor: str | None = None,
                      change: bool = False, doctors: list[str] | None = None,
                      group: str | None = None) -> Path | None:
        """Save the week's round list as a PDF named by week and doctor (or ``group``, the
        health centre of ``doctors``) in the folder used last time; the first time (or with
        ``change``, or when that folder is gone) ask once with a save dialog filled in with
        that name."""
        name = printing.week_pdf_name(monday, doctor or group)
        folder = self.week_folder()
        if folder is not None and not change:
            path = folder / name
        else:
            start = folder or Path(QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
            chosen, _ = QFileDialog.getSaveFileName(
                self.ctx.window, "Spara veckan som PDF", str(start / name),
                "PDF-filer (*.pdf)")
            if not chosen:
                return None
            path = Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(".pdf")
        saved = self.ctx.call(lambda: printing.save_week_pdf(
            self.ctx.db, monday, path, self.ctx.today(), doctor=doctor,
            known=[self.ctx.document], doctors=doctors))
        if saved is None:
            return None
        self.ctx.settings.setValue(WEEK_FOLDER_KEY, str(saved.parent))
        self.ctx.status(f"Veckolistan är sparad som {saved} (pilen vid \"Spara veckan som "
                        "PDF\" öppnar mappen eller byter mapp)", 15000)
        return saved

    def open_week_folder(self) -> None:
        folder = self.week_folder()
        if folder is None:
            self.ctx.status("Veckan har inte sparats som PDF ännu.")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
