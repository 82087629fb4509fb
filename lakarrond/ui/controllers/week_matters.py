"""Veckan's matters (ärenden, issue 21): book one in a round (a refusal names the next round
with time and offers to book anyway, the ÅMV then moving at the next plan), record the chosen
one after the round (Genomfört, Flyttat till nästa rond, Struket), open its patient, and
save the planning basis of a round or of a doctor's week as a PDF. Booking and recording are
undoable (:mod:`lakarrond.ui.matter_undo`) and audited by the service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from lakarrond.basis import RoundBasis
from lakarrond.errors import BadInput
from lakarrond.matter import MatterKind, MatterStatus
from lakarrond.services import basis as basis_service
from lakarrond.services import matters as matter_service
from lakarrond.services.matters import NoTimeLeft
from lakarrond.services.patients import list_patients
from lakarrond.services.week_data import WeekMatter, WeekRound
from lakarrond.ui.context import MATTERS, AppContext
from lakarrond.ui.dialogs.matter import Booking, BookMatterDialog, RecordMatterDialog
from lakarrond.ui.matter_undo import BookMatter, SetMatterStatus
from lakarrond.ui.views.week import WeekView
from solver.problem import PatientStatus

BASIS_FOLDER_KEY = "print/basis_folder"  # where the planning basis was saved last time
FORCE_TEXT = "Boka ändå (ÅMV flyttas vid nästa planering)"


class WeekMatters(QObject):
    """The matter actions of Veckan's tree (its controller asks :meth:`menu` for a round or
    matter row's context menu)."""

    def __init__(self, ctx: AppContext, view: WeekView, monday: Callable[[], date],
                 open_patient: Callable[[int], None]) -> None:
        super().__init__(ctx)
        self.ctx, self.view = ctx, view
        self.monday, self.open_requested = monday, open_patient
        bar = view.matter_bar
        bar.book_button.clicked.connect(lambda: self.book())
        bar.done_button.clicked.connect(lambda: self.record(MatterStatus.DONE))
        bar.moved_button.clicked.connect(lambda: self.record(MatterStatus.MOVED))
        bar.struck_button.clicked.connect(lambda: self.record(MatterStatus.STRUCK))
        bar.round_action.triggered.connect(lambda: self.save_basis())
        bar.week_action.triggered.connect(lambda: self.save_basis(week=True))
        view.tree.activated.connect(self._activated)  # double-click or Enter
        view.tree.selectionModel().currentChanged.connect(
            lambda now, _before: bar.set_matter_chosen(self.matter_at(now) is not None))

    # --- what is chosen -------------------------------------------------------------------
    def matter_at(self, index: QModelIndex) -> WeekMatter | None:
        return self.view.tree_model.matter_at(index)

    def chosen_matter(self) -> WeekMatter | None:
        return self.matter_at(self.view.tree.currentIndex())

    def chosen_round(self) -> WeekRound | None:
        r = self.view.tree_model.round_at(self.view.tree.currentIndex())
        return r if r is not None and not r.separate else None

    def select(self, matter_id: int) -> bool:
        """Make the matter the current row of the week (False when it is not shown)."""
        index = self.view.tree_model.find_matter(matter_id)
        if not index.isValid():
            return False
        self.view.tree.setCurrentIndex(index)
        self.view.tree.scrollTo(index)
        self.view.tree.setFocus()
        return True

    def menu(self, index: QModelIndex) -> QMenu | None:
        """The context menu of a matter row (record it, open its patient) or a round row
        (book a matter in it, its planning basis); None elsewhere."""
        matter = self.matter_at(index)
        rnd = self.view.tree_model.round_at(index)
        if matter is None and (rnd is None or rnd.separate):
            return None
        self.view.tree.setCurrentIndex(index)
        menu = QMenu(self.view)
        if matter is not None:
            menu.addAction("Genomfört", lambda: self.record(MatterStatus.DONE))
            menu.addAction("Flyttat till nästa rond …", lambda: self.record(MatterStatus.MOVED))
            menu.addAction("Struket …", lambda: self.record(MatterStatus.STRUCK))
            if matter.matter.patient_id:
                menu.addAction("Öppna patienten …", lambda: self.open_patient(matter))
            menu.addSeparator()
        if rnd is not None and not rnd.separate:
            menu.addAction("Boka ärende …", lambda: self.book())
            menu.addAction("Skriv ut planeringsunderlag …", lambda: self.save_basis())
        return menu

    def _activated(self, index: QModelIndex) -> None:
        matter = self.matter_at(index)
        if matter is not None:
            self.open_patient(matter)

    def open_patient(self, matter: WeekMatter | None = None) -> bool:
        """Open the patient of a matter (the window's controller is told through the
        week controller's signal)."""
        matter = matter or self.chosen_matter()
        if matter is None or not matter.matter.patient_id:
            return False
        self.open_requested(matter.matter.patient_id)
        return True

    # --- booking --------------------------------------------------------------------------
    def _patients(self) -> dict[str, list[tuple[int, str]]]:
        found: dict[str, list[tuple[int, str]]] = {}
        for p in list_patients(self.ctx.db):
            if p.data.status == PatientStatus.ACTIVE.value:
                found.setdefault(p.unit, []).append(
                    (p.id, f"{p.name} ({p.masked})" if p.data.personnummer else p.name))
        return found

    def book_dialog(self, unit: str, day: date) -> BookMatterDialog | None:
        """The booking dialog with ``unit`` and ``day`` prefilled (None when the store says
        no)."""
        patients = self.ctx.call(self._patients)
        minutes = self.ctx.call(lambda: matter_service.matter_minutes(self.ctx.db, day.year))
        if patients is None or minutes is None:
            return None
        units = sorted({u for u in patients} | {unit} - {""})
        if self.ctx.document is not None:
            units = sorted(set(units) | {u.name for u in self.ctx.document.units})
        return BookMatterDialog(units, unit, day, patients, minutes, self.ctx.window)

    def book(self, unit: str | None = None, day: date | None = None) -> bool:
        """"Boka ärende …": in the chosen round (or the unit and date given)."""
        rnd = self.chosen_round()
        chosen = self.view.selected_reviews()
        if unit is None and rnd is not None:
            unit, day = rnd.unit, rnd.entry.date if rnd.entry is not None else None
        elif unit is None and chosen:  # an ÅMV (in a round or on separate time): its unit's
            review = chosen[0].review  # round on that day or the next one with time
            unit = review.unit
            day = self.ctx.call(lambda: matter_service.next_round_with_time(
                self.ctx.db, review.unit, review.date - timedelta(days=1), 1))
        dialog = self.book_dialog(unit or "", day or self.ctx.today())
        if dialog is None or not self.ctx.exec_dialog(dialog):
            return False
        return self.book_values(dialog.values())

    def book_values(self, v: Booking, force: bool = False) -> bool:
        """Book (see :func:`lakarrond.services.matters.book`); a refusal shows the service's
        message with the next round with time and, when the ÅMV take the time, offers to book
        anyway after a confirmation."""
        try:
            row = matter_service.book(
                self.ctx.db, v.unit, v.day, v.kind, patient=v.patient, minutes=v.minutes,
                by_role=v.by_role, by_name=v.by_name, note=v.note, force=force)
        except NoTimeLeft as exc:
            if not exc.forceable:
                self.ctx.show_error(exc.reason)
                return False
            if not self.confirm_force(exc.reason):
                return False
            return self.book_values(v, force=True)
        except BadInput as exc:
            self.ctx.show_error(str(exc))
            return False
        self.ctx.undo_stack.push(BookMatter(self.ctx, row))
        self.ctx.notify(MATTERS)
        self.ctx.status(f"Ärendet är bokat: {row.kind}, {row.unit} {row.date.isoformat()}.")
        return True

    def confirm_force(self, message: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Ronden har inte tid", message,
                          QMessageBox.StandardButton.Cancel, self.ctx.window)
        force = box.addButton(FORCE_TEXT, QMessageBox.ButtonRole.AcceptRole)
        box.setInformativeText("ÅMV som inte får plats i ronden får nya datum vid nästa "
                               "planering och listas under \"Flyttade – meddela\".")
        box.exec()
        return box.clickedButton() is force

    # --- recording ------------------------------------------------------------------------
    def record_dialog(self, status: MatterStatus, matter: WeekMatter) -> RecordMatterDialog:
        x = matter.matter
        what = f"{x.kind}{': ' + x.patient if x.patient else ''} – {x.unit} {x.date}"
        next_date = None
        if status is MatterStatus.MOVED:
            next_date = self.ctx.call(lambda: matter_service.next_round_with_time(
                self.ctx.db, x.unit_id, x.date, x.minutes))
        may_count = x.kind == MatterKind.DETERIORATION and x.patient_id is not None
        return RecordMatterDialog(status, what, next_date, may_count, self.ctx.window)

    def record(self, status: MatterStatus) -> bool:
        """Record the chosen matter: Genomfört at once (a dialog only when it may count as
        an ÅMV); Flyttat and Struket through their dialog (date, reason)."""
        matter = self.chosen_matter()
        if matter is None:
            self.ctx.status("Markera ett ärende i veckan först.")
            return False
        x = matter.matter
        simple = status is MatterStatus.DONE and not (
            x.kind == MatterKind.DETERIORATION and x.patient_id is not None)
        new_date, reason, counts = None, "", False
        if not simple:
            dialog = self.record_dialog(status, matter)
            if not self.ctx.exec_dialog(dialog):
                return False
            new_date, reason = dialog.new_date(), dialog.reason.text().strip()
            counts = dialog.counts.isChecked()
        return self.record_values(matter, status, new_date, reason, counts)

    def record_values(self, matter: WeekMatter, status: MatterStatus,
                      new_date: date | None = None, reason: str = "",
                      counts: bool = False) -> bool:
        change = self.ctx.call(lambda: matter_service.set_status(
            self.ctx.db, matter.id, status.value, new_date=new_date, reason=reason,
            counts_as_review=counts))
        if change is None:
            return False
        self.ctx.undo_stack.push(SetMatterStatus(
            self.ctx, change, new_date.isoformat() if new_date else "", reason,
            text=f"{matter.matter.kind}: {status.value}"))
        self.ctx.notify(MATTERS)
        self.ctx.status(f"Ärendet är registrerat: {status.value}.")
        return True

    # --- the planning basis ---------------------------------------------------------------
    def basis_folder(self) -> Path:
        folder = str(self.ctx.settings.value(BASIS_FOLDER_KEY, "") or "")
        if folder and Path(folder).is_dir():
            return Path(folder)
        return Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())

    def save_basis(self, week: bool = False) -> Path | None:
        """The planning basis of the chosen round (or, with ``week``, of the chosen doctor's
        rounds this week) saved as a PDF where the user says (the folder remembered);
        personnummer only when "Med personnummer" is ticked; audited by the service."""
        numbers = self.view.matter_bar.numbers_action.isChecked()
        rnd = self.chosen_round()
        monday = self.monday()
        if week:
            doctor = self.view.chosen_doctor() or (rnd.entry.doctor if rnd and rnd.entry
                                                   else None)
            if doctor is None:
                self.ctx.show_error("Välj en läkare i Veckan (eller markera en av läkarens "
                                    "ronder) först.")
                return None
            name = f"Planeringsunderlag {doctor} v{monday.isocalendar().week}.pdf"

            def make() -> list[RoundBasis]:
                return basis_service.make_basis(
                    self.ctx.db, doctor=doctor, date_from=monday,
                    date_to=monday + timedelta(days=6), with_personnummer=numbers,
                    today=self.ctx.today())
        else:
            if rnd is None or rnd.entry is None:
                self.ctx.show_error("Markera en rond i Veckan först.")
                return None
            unit, day = rnd.unit, rnd.entry.date
            name = f"Planeringsunderlag {unit} {day.isoformat()}.pdf"

            def make() -> list[RoundBasis]:
                return basis_service.make_basis(self.ctx.db, unit=unit, day=day,
                                                with_personnummer=numbers,
                                                today=self.ctx.today())
        chosen, _ = QFileDialog.getSaveFileName(
            self.ctx.window, "Spara planeringsunderlaget som PDF",
            str(self.basis_folder() / name.replace("/", "-")), "PDF-filer (*.pdf)")
        if not chosen:
            return None
        path = Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(".pdf")
        saved = self.ctx.call(lambda: basis_service.write_basis(
            self.ctx.db, make(), path, with_personnummer=numbers))
        if saved is None:
            return None
        self.ctx.settings.setValue(BASIS_FOLDER_KEY, str(saved.parent))
        self.ctx.status(f"Planeringsunderlaget är sparat som {saved}.", 15000)
        return saved
