"""Skriv ut: a doctor's round schedule or a unit's preparation list, through a print
preview or saved as PDF; every printout is recorded in the audit log."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog

from lakarrond.io import pdf
from lakarrond.printouts import ROUND_SCHEDULE, Printout
from lakarrond.services import printing
from lakarrond.ui.context import AppContext
from lakarrond.ui.dialogs.printing import PREVIEW, SAVE_PDF, PrintDialog, PrintSpec


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
