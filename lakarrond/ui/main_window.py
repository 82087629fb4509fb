"""The main window: navigation (Enheter, Patienter, Läkare, Årsplan, Rondschema), menus,
status bar, undo stack and the long jobs (planning, import, export) in workers.

The window never holds a Session: every user action calls a service that opens its own
transaction. Errors the user should read are shown in a dialog with the Swedish message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from lakarrond.errors import UserError
from lakarrond.services import doctors as doctor_service
from lakarrond.services import patients as patient_service
from lakarrond.services import units as unit_service
from lakarrond.store import Database, open_database
from lakarrond.store.errors import StoreError
from lakarrond.ui import undo
from lakarrond.ui.dialogs.doctor import AbsenceDialog, DoctorDialog
from lakarrond.ui.dialogs.patient import ChoiceDialog, DischargeDialog, PatientDialog
from lakarrond.ui.dialogs.plan import MoveVisitDialog, PlanProgressDialog
from lakarrond.ui.dialogs.printing import ROUND_SCHEDULE, PrintDialog, PrintSpec
from lakarrond.ui.dialogs.unit import UnitDialog
from lakarrond.ui.views.doctors import DoctorsView
from lakarrond.ui.views.patients import PatientsView
from lakarrond.ui.views.plan import PlanView
from lakarrond.ui.views.rounds import RoundsView
from lakarrond.ui.views.units import UnitsView
from lakarrond.ui.workers import Worker, error_message
from solver.problem import PatientStatus, VisitStatus

ORG, APP = "Lakarrond", "Lakarrond"
TABS = ("Enheter", "Patienter", "Läkare", "Årsplan", "Rondschema")


def app_settings() -> QSettings:
    return QSettings(ORG, APP)


def default_year(db: Database) -> int:
    years = patient_service.plan_years(db)
    return years[-1] if years else date.today().year + 1


class MainWindow(QMainWindow):
    plan_finished = Signal(object)  # SavedPlan
    plan_failed = Signal(str)
    job_finished = Signal(str, object)  # what ("import", "export"), result
    job_failed = Signal(str, str)

    def __init__(self, db: Database, year: int | None = None,
                 settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.db = db
        self.settings = settings or app_settings()
        self.year = year or default_year(db)
        self.undo_stack = QUndoStack(self)
        self.ctx = undo.Ctx(db, self.reload, self.show_error)
        self.plan_worker: Worker | None = None
        self.job_workers: list[Worker] = []
        self.progress_dialog: PlanProgressDialog | None = None
        self.last_message: QMessageBox | None = None
        self.last_plan: Any = None
        self.plan_doc: dict[str, Any] | None = None

        self.units_view = UnitsView()
        self.patients_view = PatientsView()
        self.doctors_view = DoctorsView()
        self.plan_view = PlanView()
        self.rounds_view = RoundsView()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for view, name in zip((self.units_view, self.patients_view, self.doctors_view,
                               self.plan_view, self.rounds_view), TABS, strict=True):
            self.tabs.addTab(view, name)
        self.setCentralWidget(self.tabs)
        self.db_label = QLabel()
        self.plan_label = QLabel()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.plan_label)
        self._build_actions()
        self._connect_views()
        self.restore_state()
        self.reload_all()

    # --- actions and menus --------------------------------------------------------------
    def _action(self, text: str, slot: Callable[..., Any], shortcut: Any = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda checked=False: slot())
        return action

    def _build_actions(self) -> None:
        sk = QKeySequence.StandardKey
        self.open_action = self._action("Öppna databas …", self.open_database_dialog, sk.Open)
        self.new_action = self._action("Ny databas …", self.new_database_dialog, sk.New)
        self.template_action = self._action("Spara importmall (Excel) …", self.template_dialog,
                                            None, "En tom mall att fylla i med läkare, "
                                            "enheter och patienter")
        self.import_action = self._action("Importera Excel …", self.import_dialog)
        self.export_action = self._action("Exportera Excel …",
                                          lambda: self.export_dialog(".xlsx"), sk.Save)
        self.export_ics_action = self._action("Exportera kalender (.ics) …",
                                              lambda: self.export_dialog(".ics"))
        self.print_action = self._action("Skriv ut …", self.print_dialog, sk.Print,
                                         "Skriv ut en läkares rondschema eller en enhets "
                                         "förberedelselista")
        self.print_pdf_action = self._action("Spara utskrift som PDF …",
                                             self.save_printout_dialog)
        self.quit_action = self._action("Avsluta", self.close, sk.Quit)
        self.undo_action = self.undo_stack.createUndoAction(self, "Ångra")
        self.undo_action.setShortcut(QKeySequence(sk.Undo))
        self.redo_action = self.undo_stack.createRedoAction(self, "Gör om")
        self.redo_action.setShortcut(QKeySequence(sk.Redo))
        self.find_action = self._action("Sök", self.focus_search, sk.Find)
        self.plan_action = self._action("Planera år", self.start_plan, Qt.Key.Key_F5,
                                        "Beräkna årsplanen (låsta och genomförda ÅMV ligger kvar)")
        self.reload_action = self._action("Läs in igen", self.reload_all, sk.Refresh)
        self.about_action = self._action("Om Läkarrond", self.show_about)
        self.where_action = self._action("Var finns data?", self.show_data_location)

        bar = self.menuBar()
        arkiv = bar.addMenu("&Arkiv")
        for a in (self.open_action, self.new_action, None, self.template_action,
                  self.import_action,
                  self.export_action, self.export_ics_action, None, self.print_action,
                  self.print_pdf_action, None,
                  self.quit_action):
            arkiv.addSeparator() if a is None else arkiv.addAction(a)
        redigera = bar.addMenu("&Redigera")
        for a in (self.undo_action, self.redo_action, None, self.find_action):
            redigera.addSeparator() if a is None else redigera.addAction(a)
        plan = bar.addMenu("&Planera")
        plan.addAction(self.plan_action)
        plan.addAction(self.reload_action)
        visa = bar.addMenu("&Visa")
        for i, name in enumerate(TABS):
            visa.addAction(self._action(name, lambda i=i: self.tabs.setCurrentIndex(i),
                                        f"Ctrl+{i + 1}"))
        hjalp = bar.addMenu("&Hjälp")
        hjalp.addAction(self.where_action)
        hjalp.addAction(self.about_action)

    def _connect_views(self) -> None:
        pv = self.patients_view
        pv.add_button.clicked.connect(lambda: self.add_patient())
        pv.edit_button.clicked.connect(lambda: self._with_patient(self.edit_patient))
        pv.discharge_button.clicked.connect(lambda: self._with_patient(self.discharge_patient))
        pv.deceased_button.clicked.connect(
            lambda: self._with_patient(lambda pid: self.discharge_patient(pid, deceased=True)))
        pv.move_button.clicked.connect(lambda: self._with_patient(self.move_patient))
        pv.exclude_button.clicked.connect(lambda: self._with_patient(self.exclude_patient))
        pv.delete_button.clicked.connect(lambda: self._with_patient(self.delete_patient))
        pv.visit_button.clicked.connect(lambda: self._with_patient(self.show_patient_visit))
        pv.panel.activated.connect(lambda row: self.edit_patient(row.id))
        uv = self.units_view
        uv.add_button.clicked.connect(lambda: self.add_unit())
        uv.edit_button.clicked.connect(lambda: self._with_unit(self.edit_unit))
        uv.delete_button.clicked.connect(lambda: self._with_unit(self.delete_unit))
        uv.panel.activated.connect(lambda row: self.edit_unit(row.id))
        dv = self.doctors_view
        dv.edit_button.clicked.connect(self.edit_doctor)
        dv.doctors.activated.connect(lambda row: self.edit_doctor())
        dv.add_absence_button.clicked.connect(lambda: self.add_absence())
        dv.delete_absence_button.clicked.connect(self.delete_absence)
        self.rounds_view.print_button.clicked.connect(self.print_dialog)
        plv = self.plan_view
        plv.plan_button.clicked.connect(lambda: self.start_plan())
        plv.year_spin.valueChanged.connect(self.set_year)
        plv.move_button.clicked.connect(lambda: self._with_visit(self.move_visit))
        plv.lock_button.clicked.connect(
            lambda: self._with_visit(lambda v: self.set_visit_status(v, VisitStatus.LOCKED)))
        plv.done_button.clicked.connect(
            lambda: self._with_visit(lambda v: self.set_visit_status(v, VisitStatus.DONE)))
        plv.unlock_button.clicked.connect(
            lambda: self._with_visit(lambda v: self.set_visit_status(v, VisitStatus.PLANNED)))
        plv.visits.activated.connect(lambda row: self.move_visit(row["visit_id"]))

    def _with_patient(self, fn: Callable[[int], Any]) -> None:
        row = self.patients_view.panel.current()
        if row is not None:
            fn(row.id)

    def _with_unit(self, fn: Callable[[int], Any]) -> None:
        row = self.units_view.panel.current()
        if row is not None:
            fn(row.id)

    def _with_visit(self, fn: Callable[[int], Any]) -> None:
        row = self.plan_view.current_visit()
        if row is not None:
            fn(row["visit_id"])

    # --- messages -----------------------------------------------------------------------
    def show_error(self, message: str, title: str = "Det gick inte") -> None:
        """A dialog with the Swedish message (non-blocking, window-modal)."""
        self._message(QMessageBox.Icon.Warning, title, message)

    def show_info(self, message: str, title: str = "Läkarrond") -> None:
        self._message(QMessageBox.Icon.Information, title, message)

    def _message(self, icon: QMessageBox.Icon, title: str, message: str) -> None:
        box = QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_message = box
        box.destroyed.connect(lambda *_: self._forget_message(box))
        box.open()

    def _forget_message(self, box: QMessageBox) -> None:
        if self.last_message is box:
            self.last_message = None

    def confirm(self, question: str, title: str = "Bekräfta") -> bool:
        """Ask before destroying data (tests replace this)."""
        answer = QMessageBox.question(self, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def exec_dialog(self, dialog: QDialog) -> bool:
        """Run a dialog modally (tests replace this to fill it in)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _call(self, fn: Callable[[], Any]) -> Any:
        """Run a service call; a Swedish error goes to a dialog and None is returned."""
        try:
            return fn()
        except (UserError, StoreError, ValueError, OSError, SQLAlchemyError) as exc:
            self.show_error(error_message(exc))
            self.reload_all()
            return None

    # --- loading ------------------------------------------------------------------------
    def reload(self, kind: str = "all") -> None:
        if kind in ("all", "patients", "units"):
            self.patients_view.panel.set_rows(patient_service.list_patients(self.db))
            self.units_view.panel.set_rows(unit_service.list_units(self.db))
        if kind in ("all", "doctors", "units"):
            self.doctors_view.doctors.set_rows(doctor_service.list_doctors(self.db))
            self.doctors_view.absences.set_rows(doctor_service.list_absences(self.db))
        if kind in ("all", "plan", "patients", "units", "doctors"):
            self.reload_plan()
        self._update_status()

    def reload_all(self) -> None:
        try:
            self.reload("all")
        except (UserError, StoreError, SQLAlchemyError) as exc:
            self.show_error(error_message(exc))

    def reload_plan(self) -> None:
        try:
            self.plan_doc = patient_service.plan_view_data(self.db, self.year)
        except UserError as exc:
            self.plan_doc = None
            self.show_error(str(exc))
        self.plan_view.load(self.year, self.plan_doc)
        self.rounds_view.load(self.year, self.plan_doc)
        self._update_status()

    def set_year(self, year: int) -> None:
        if year != self.year:
            self.year = year
            self.reload_plan()

    def _update_status(self) -> None:
        self.db_label.setText(f"Databas: {self.db.path or self.db.url}")
        doc = self.plan_doc
        if self.plan_worker is not None:
            text = f"Planerar {self.year} …"
        elif doc is None:
            text = f"Ingen plan för {self.year}"
        else:
            text = (f"Plan {self.year} version {doc['version']} · {doc['solver']['status']} · "
                    f"{len(doc['appointments'])} ÅMV · {len(doc['violations'])} avvikelser · "
                    f"sparad {doc['created_at'][:16].replace('T', ' ')}")
        self.plan_label.setText(text)
        self._update_title()

    def _update_title(self) -> None:
        name = Path(self.db.path).name if self.db.path else self.db.url
        self.setWindowTitle(f"Läkarrond – {name}")

    def focus_search(self) -> None:
        view = self.tabs.currentWidget()
        panel = {self.patients_view: self.patients_view.panel,
                 self.units_view: self.units_view.panel,
                 self.doctors_view: self.doctors_view.absences,
                 self.plan_view: self.plan_view.visits,
                 self.rounds_view: self.rounds_view.panel}.get(view)
        if panel is not None:
            panel.search.setFocus()
            panel.search.selectAll()

    # --- patients -----------------------------------------------------------------------
    def add_patient(self, data: patient_service.PatientData | None = None) -> int | None:
        if data is None:
            dialog = PatientDialog(unit_service.list_units(self.db), parent=self)
            if not self.exec_dialog(dialog):
                return None
            data = dialog.data()
        row = self._call(lambda: patient_service.create_patient(self.db, data))
        if row is None:
            return None
        self.undo_stack.push(undo.AddPatient(self.ctx, row))
        self.reload("patients")
        self.patients_view.panel.select_where(lambda r: r.id == row.id)
        self.statusBar().showMessage(f"{row.data.name} är tillagd.", 5000)
        return row.id

    def _save_patient(self, patient_id: int, change: Callable[[patient_service.PatientData],
                      patient_service.PatientData | None], text: str) -> bool:
        current = self._call(lambda: patient_service.get_patient(self.db, patient_id))
        if current is None:
            return False
        new = change(current.data)
        if new is None or new == current.data:
            return False
        saved = self._call(lambda: patient_service.update_patient(
            self.db, patient_id, new, current.version))
        if saved is None:
            return False
        self.undo_stack.push(undo.EditPatient(self.ctx, patient_id, current.data, saved.data,
                                              saved.version, f"{text} {saved.data.name}"))
        self.reload("patients")
        self.patients_view.panel.select_where(lambda r: r.id == patient_id)
        return True

    def edit_patient(self, patient_id: int,
                     data: patient_service.PatientData | None = None) -> bool:
        def change(old: patient_service.PatientData) -> patient_service.PatientData | None:
            if data is not None:
                return data
            dialog = PatientDialog(unit_service.list_units(self.db), old, parent=self)
            return dialog.data() if self.exec_dialog(dialog) else None

        return self._save_patient(patient_id, change, "Ändra")

    def discharge_patient(self, patient_id: int, day: date | None = None,
                          deceased: bool = False) -> bool:
        status = PatientStatus.DECEASED if deceased else PatientStatus.DISCHARGED

        def change(old: patient_service.PatientData) -> patient_service.PatientData | None:
            chosen = day
            if chosen is None:
                dialog = DischargeDialog(old.name, deceased, old.admitted, parent=self)
                if not self.exec_dialog(dialog):
                    return None
                chosen = dialog.value()
            return replace(old, status=status.value, end_date=chosen)

        return self._save_patient(patient_id, change,
                                  "Avliden:" if deceased else "Skriv ut")

    def move_patient(self, patient_id: int, unit_id: int | None = None) -> bool:
        def change(old: patient_service.PatientData) -> patient_service.PatientData | None:
            chosen = unit_id
            if chosen is None:
                units = unit_service.list_units(self.db)
                dialog = ChoiceDialog("Flytta patient", "Till enhet",
                                      [(u.name, u.id) for u in units if u.id != old.unit_id],
                                      parent=self)
                if not self.exec_dialog(dialog):
                    return None
                chosen = dialog.value()  # type: ignore[assignment]
            return replace(old, unit_id=int(chosen))  # type: ignore[arg-type]

        return self._save_patient(patient_id, change, "Flytta")

    def exclude_patient(self, patient_id: int, reason: str | None = None) -> bool:
        def change(old: patient_service.PatientData) -> patient_service.PatientData | None:
            chosen = reason
            if chosen is None:
                dialog = ChoiceDialog(
                    "Undanta från planen", "Orsak (tomt = planeras igen)",
                    [(old.excluded or "växelvård", None), ("", None)], editable=True,
                    parent=self)
                if not self.exec_dialog(dialog):
                    return None
                chosen = str(dialog.value())
            return replace(old, excluded=chosen)

        return self._save_patient(patient_id, change, "Undanta")

    def delete_patient(self, patient_id: int) -> bool:
        row = self._call(lambda: patient_service.get_patient(self.db, patient_id))
        if row is None:
            return False
        if not self.confirm(f"Ta bort {row.name} och alla patientens ÅMV ur databasen?\n"
                            "Vill du bara avsluta vården, använd Skriv ut eller Avliden."):
            return False
        if not self._call(lambda: patient_service.delete_patient(
                self.db, patient_id, row.version) or True):
            return False
        self.undo_stack.clear()  # a deleted patient's ÅMV history cannot be undone
        self.reload("patients")
        return True

    def show_patient_visit(self, patient_id: int) -> bool:
        """Open the Årsplan on the patient's ÅMV (False when the plan has none)."""
        model = self.plan_view.visit_model
        row = model.find_patient(patient_id)
        self.tabs.setCurrentWidget(self.plan_view)
        self.plan_view.tabs.setCurrentWidget(self.plan_view.visits)
        if row < 0:
            self.statusBar().showMessage(
                f"Patienten har ingen ÅMV i planen för {self.year}.", 8000)
            return False
        self.plan_view.clear_cell_filter()
        self.plan_view.visits.search.setText(model.row_at(row)["patient"])
        return self.plan_view.visits.select_where(lambda r: r["patient_id"] == patient_id)

    # --- units --------------------------------------------------------------------------
    def _unit_dialog(self, data: unit_service.UnitData | None, patients: int) -> UnitDialog:
        return UnitDialog(self.db, doctor_service.list_doctors(self.db), data, patients,
                          preview_from=max(date.today(), date(self.year, 1, 1)), parent=self)

    def add_unit(self, data: unit_service.UnitData | None = None) -> int | None:
        if data is None:
            dialog = self._unit_dialog(None, 0)
            if not self.exec_dialog(dialog):
                return None
            data = dialog.data()
        row = self._call(lambda: unit_service.create_unit(self.db, data))
        if row is None:
            return None
        self.undo_stack.push(undo.AddUnit(self.ctx, row))
        self.reload("units")
        return row.id

    def edit_unit(self, unit_id: int, data: unit_service.UnitData | None = None) -> bool:
        current = next((u for u in unit_service.list_units(self.db) if u.id == unit_id), None)
        if current is None:
            self.show_error("Enheten finns inte längre – läs in igen.")
            return False
        if data is None:
            dialog = self._unit_dialog(current.data, current.patients)
            if not self.exec_dialog(dialog):
                return False
            data = dialog.data()
        if data == current.data:
            return False
        saved = self._call(lambda: unit_service.update_unit(self.db, unit_id, data,
                                                            current.version))
        if saved is None:
            return False
        self.undo_stack.push(undo.EditUnit(self.ctx, unit_id, current.data, saved.data,
                                           saved.version, f"Ändra enheten {saved.name}"))
        self.reload("units")
        return True

    def delete_unit(self, unit_id: int) -> bool:
        current = next((u for u in unit_service.list_units(self.db) if u.id == unit_id), None)
        if current is None or not self.confirm(f"Ta bort enheten {current.name}?"):
            return False
        ok = self._call(lambda: unit_service.delete_unit(self.db, unit_id) or True)
        if ok:
            self.undo_stack.clear()
            self.reload("units")
        return bool(ok)

    # --- doctors and absences -----------------------------------------------------------
    def edit_doctor(self) -> None:
        row = self.doctors_view.doctors.current()
        if row is None:
            return
        dialog = DoctorDialog(row, self)
        if self.exec_dialog(dialog):
            days, per_day = dialog.value()
            self._call(lambda: doctor_service.update_doctor(self.db, row.id, days, per_day))
            self.reload("doctors")

    def add_absence(self, data: doctor_service.AbsenceData | None = None) -> int | None:
        if data is None:
            current = self.doctors_view.doctors.current()
            dialog = AbsenceDialog(doctor_service.list_doctors(self.db),
                                   current.id if current else None, self)
            if not self.exec_dialog(dialog):
                return None
            data = dialog.data()
        absence_id = self._call(lambda: doctor_service.add_absence(self.db, data))
        if absence_id is None:
            return None
        self.undo_stack.push(undo.AddAbsence(self.ctx, absence_id, data))
        self.reload("doctors")
        return absence_id

    def delete_absence(self) -> None:
        row = self.doctors_view.absences.current()
        if row is None or not self.confirm(
                f"Ta bort frånvaron för {row.doctor} {row.data.start}–{row.data.end}?"):
            return
        data = self._call(lambda: doctor_service.delete_absence(self.db, row.id))
        if data is not None:
            self.undo_stack.push(undo.DeleteAbsence(self.ctx, row.id, data))
        self.reload("doctors")

    # --- the plan -----------------------------------------------------------------------
    def start_plan(self, time_limit: float | None = None, show_dialog: bool = True) -> bool:
        """Run plan_year in a worker; the window stays responsive. Returns False when a
        plan is already being made."""
        from lakarrond.services.plan import plan_year

        if self.plan_worker is not None:
            return False
        if time_limit is None:
            time_limit = float(self.settings.value("plan/time_limit_s", 0) or 0) or None
        worker = Worker(plan_year, self.db, self.year, time_limit=time_limit, progress=True)
        worker.signals.finished.connect(self._plan_done)
        worker.signals.errored.connect(self._plan_error)
        self.plan_worker = worker
        self.plan_action.setEnabled(False)
        self.plan_view.plan_button.setEnabled(False)
        if show_dialog:
            self.progress_dialog = PlanProgressDialog(self.year, self)
            self.progress_dialog.setModal(False)
            self.progress_dialog.cancel_requested.connect(self.cancel_plan)
            worker.signals.progress.connect(self.progress_dialog.show_progress)
            self.progress_dialog.show()
        self._update_status()
        worker.start()
        return True

    def cancel_plan(self) -> None:
        if self.plan_worker is not None:
            self.plan_worker.cancel()
            self.statusBar().showMessage("Avbryter – den bästa planen hittills sparas …")

    def _plan_finished_common(self) -> None:
        self.plan_worker = None
        self.plan_action.setEnabled(True)
        self.plan_view.plan_button.setEnabled(True)
        if self.progress_dialog is not None:
            self.progress_dialog.done_()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _plan_done(self, saved: Any) -> None:
        self._plan_finished_common()
        self.last_plan = saved
        self.year = saved.year  # the year may have been changed while planning
        self.reload_plan()
        self.tabs.setCurrentWidget(self.plan_view)
        moved = (self.plan_doc or {}).get("moved_since_previous", 0)
        stopped = " (avbruten – bästa planen hittills)" if saved.result.stopped else ""
        self.statusBar().showMessage(
            f"Årsplan {saved.year} version {saved.version} sparad{stopped}; "
            f"{moved} ÅMV flyttade mot förra versionen.", 10000)
        self.plan_finished.emit(saved)

    def _plan_error(self, message: str) -> None:
        self._plan_finished_common()
        self._update_status()
        self.show_error(message, "Planeringen misslyckades")
        self.plan_failed.emit(message)

    def move_visit(self, visit_id: int, day: date | None = None, lock: bool = True) -> bool:
        visit = self._call(lambda: patient_service.get_visit(self.db, visit_id))
        if visit is None:
            return False
        if day is None:
            dates = self._call(lambda: patient_service.allowed_dates(self.db, visit_id))
            if dates is None:
                return False
            dialog = MoveVisitDialog(visit, dates, self)
            if not self.exec_dialog(dialog) or dialog.chosen() is None:
                return False
            day, lock = dialog.chosen(), dialog.lock.isChecked()
        status = VisitStatus.LOCKED.value if lock else visit.status
        return self._set_visit(visit, day, status, f"Flytta ÅMV för {visit.patient}")

    def set_visit_status(self, visit_id: int, status: VisitStatus | str) -> bool:
        visit = self._call(lambda: patient_service.get_visit(self.db, visit_id))
        if visit is None:
            return False
        status = VisitStatus(status)
        return self._set_visit(visit, visit.date, status.value,
                               f"{status.value}: ÅMV för {visit.patient}")

    def _set_visit(self, visit: patient_service.VisitRow, day: date, status: str,
                   text: str) -> bool:
        if (day, status) == (visit.date, visit.status):
            return False
        saved = self._call(lambda: patient_service.set_visit(self.db, visit.id, day, status,
                                                             visit.version))
        if saved is None:
            return False
        self.undo_stack.push(undo.SetVisit(self.ctx, visit.id, (visit.date, visit.status),
                                           (day, status), saved.version, text))
        self.reload_plan()
        self.plan_view.visits.select_where(lambda r: r["visit_id"] == visit.id)
        return True

    # --- printing (round schedule, preparation list: lakarrond.services.printing) --------
    def print_dialog(self) -> None:
        """Ask what to print, then show the print preview."""
        if self.plan_doc is None:
            self.show_error(f"Det finns ingen plan för {self.year} att skriva ut – "
                            "tryck Planera år (F5) först.")
            return
        panel = self.rounds_view.panel
        chosen = panel.filters[self.rounds_view.model.DOCTOR_COLUMN].currentText()
        doctors = sorted({a["doctor"] for a in self.plan_doc["appointments"]}
                         | {r["doctor"] for r in self.plan_doc["rounds"]})
        units = sorted({u for _, u in self.plan_doc["units"]})
        dialog = PrintDialog(self.year, doctors, units,
                             chosen if chosen in doctors else None, self)
        if self.exec_dialog(dialog):
            self.print_job(dialog.spec())

    def build_printout(self, spec: PrintSpec) -> Any:
        from lakarrond.services import printing

        if spec.kind == ROUND_SCHEDULE:
            return printing.round_schedule(self.db, self.year, spec.name, spec.date_from,
                                           spec.date_to, include_personnummer=spec.personnummer)
        return printing.preparation_list(self.db, self.year, spec.name, spec.date_from,
                                         spec.date_to, include_personnummer=spec.personnummer)

    def print_job(self, spec: PrintSpec, pdf_path: Path | None = None) -> bool:
        """Print ``spec`` through a print preview, or save it as a PDF at ``pdf_path``;
        either way the printout is recorded in the audit log."""
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        from lakarrond.io import pdf
        from lakarrond.services import printing

        job = self._call(lambda: self.build_printout(spec))
        if job is None:
            return False
        if pdf_path is not None:
            saved = self._call(lambda: printing.save_pdf(self.db, job, pdf_path))
            if saved is not None:
                self.statusBar().showMessage(f"Utskriften är sparad som {saved}", 8000)
            return saved is not None
        printer = pdf.make_printer()
        preview = QPrintPreviewDialog(printer, self)
        preview.setWindowTitle(f"Förhandsgranska {spec.kind}")
        preview.paintRequested.connect(lambda p: pdf.print_document(job.document, p))
        if not self.exec_dialog(preview):
            return False
        self._call(lambda: printing.record_printout(self.db, job))
        self.statusBar().showMessage(f"{spec.kind.capitalize()} är utskriven.", 8000)
        return True

    def save_printout_dialog(self) -> None:
        """Ask what to print and save it as a PDF file."""
        if self.plan_doc is None:
            self.show_error(f"Det finns ingen plan för {self.year} att skriva ut.")
            return
        doctors = sorted({r["doctor"] for r in self.plan_doc["rounds"]})
        units = sorted({u for _, u in self.plan_doc["units"]})
        dialog = PrintDialog(self.year, doctors, units, parent=self)
        if not self.exec_dialog(dialog):
            return
        spec = dialog.spec()
        name, _ = QFileDialog.getSaveFileName(
            self, "Spara utskrift som PDF", f"{spec.kind}-{spec.name}-{self.year}.pdf",
            "PDF-filer (*.pdf)")
        if name:
            path = Path(name)
            self.print_job(spec, path if path.suffix else path.with_suffix(".pdf"))

    # --- files --------------------------------------------------------------------------
    def run_job(self, what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Worker:
        worker = Worker(fn, *args, **kwargs)
        self.job_workers.append(worker)

        def done(result: Any) -> None:
            self.job_workers.remove(worker)
            self.job_finished.emit(what, result)

        def failed(message: str) -> None:
            self.job_workers.remove(worker)
            self.show_error(message, "Importen misslyckades" if what == "import"
                            else "Det gick inte")
            self.job_failed.emit(what, message)

        worker.signals.finished.connect(done)
        worker.signals.errored.connect(failed)
        self.statusBar().showMessage("Arbetar …")
        worker.start()
        return worker

    def import_file(self, path: Path) -> Worker:
        from lakarrond.services.importer import import_workbook

        def done(what: str, report: Any) -> None:
            if what == "import":
                self.job_finished.disconnect(done)
                self.reload_all()
                self.show_info(report.summary(), "Importen är klar")

        self.job_finished.connect(done)
        return self.run_job("import", import_workbook, self.db, path)

    def export_file(self, path: Path) -> Worker:
        from lakarrond.services.exporter import export_plan

        def done(what: str, result: Any) -> None:
            if what == "export":
                self.job_finished.disconnect(done)
                self.statusBar().showMessage(f"Planen är exporterad till {result}", 10000)

        self.job_finished.connect(done)
        return self.run_job("export", export_plan, self.db, self.year, path)

    def save_template(self, path: Path) -> Worker:
        from lakarrond.io.template import write_template

        def done(what: str, _result: Any) -> None:
            if what == "template":
                self.job_finished.disconnect(done)
                self.statusBar().showMessage(f"Importmallen är sparad: {path}", 10000)

        self.job_finished.connect(done)
        return self.run_job("template", write_template, path)

    def template_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Spara importmall", "lakarrond-mall.xlsx",
                                              "Excel-filer (*.xlsx)")
        if name:
            path = Path(name)
            self.save_template(path if path.suffix else path.with_suffix(".xlsx"))

    def import_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Importera Excel", "",
                                              "Excel-filer (*.xlsx)")
        if name:
            self.import_file(Path(name))

    def export_dialog(self, suffix: str) -> None:
        kinds = {".xlsx": "Excel-filer (*.xlsx)", ".ics": "Kalenderfiler (*.ics)"}
        name, _ = QFileDialog.getSaveFileName(
            self, "Exportera planen", f"arsplan-{self.year}{suffix}", kinds[suffix])
        if name:
            path = Path(name)
            self.export_file(path if path.suffix else path.with_suffix(suffix))

    def open_database_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Öppna databas", "",
                                              "Läkarrond-databaser (*.sqlite *.db);;Alla (*)")
        if name:
            self.switch_database(name)

    def new_database_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Ny databas", "lakarrond.sqlite",
                                              "Läkarrond-databaser (*.sqlite)")
        if name:
            if Path(name).exists() and not self.confirm(
                    f"{name} finns redan. Öppna den i stället?"):
                return
            self.switch_database(name)

    def switch_database(self, target: str) -> bool:
        if self.plan_worker is not None or self.job_workers:
            self.show_error("Vänta tills planeringen eller importen är klar.")
            return False
        try:
            db = open_database(target)
        except StoreError as exc:
            self.show_error(str(exc), "Databasen kunde inte öppnas")
            return False
        old, self.db = self.db, db
        old.dispose()
        self.ctx.db = db
        self.undo_stack.clear()
        self.year = default_year(db)
        self.settings.setValue("db/last", str(db.path or db.url))
        self.reload_all()
        for warning in db.warnings:
            self.show_error(warning, "Varning")
        return True

    # --- help ---------------------------------------------------------------------------
    def show_about(self) -> None:
        from lakarrond.about import about_text

        QMessageBox.about(self, "Om Läkarrond", about_text(self.db))

    def data_location_text(self) -> str:
        where = str(self.db.path) if self.db.path else self.db.url
        backups = (f"\nSäkerhetskopior: {self.db.path.parent / 'backups'}"
                   if self.db.path else "")
        return (f"Databasen: {where}{backups}\nInställningar för fönstret: "
                f"{self.settings.fileName()}\n\nDatabasen innehåller patientuppgifter "
                "(känsliga personuppgifter). Alla ändringar och exporter loggas.")

    def show_data_location(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Var finns data?",
                          self.data_location_text(), QMessageBox.StandardButton.Ok, self)
        if self.db.path:
            open_button = box.addButton("Öppna mappen", QMessageBox.ButtonRole.ActionRole)
            open_button.clicked.connect(lambda: QDesktopServices.openUrl(
                QUrl.fromLocalFile(str(self.db.path.parent))))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # --- window state -------------------------------------------------------------------
    def restore_state(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)
        for splitter in (self.plan_view.splitter, self.doctors_view.splitter):
            value = s.value(f"splitter/{splitter.objectName()}")
            if value is not None:
                splitter.restoreState(value)
        self.tabs.setCurrentIndex(int(s.value("window/tab", 1) or 0))

    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        for splitter in (self.plan_view.splitter, self.doctors_view.splitter):
            s.setValue(f"splitter/{splitter.objectName()}", splitter.saveState())
        s.setValue("window/tab", self.tabs.currentIndex())
        s.setValue("db/last", str(self.db.path or self.db.url))
        s.sync()

    def wait_for_workers(self) -> None:
        if self.plan_worker is not None:
            self.plan_worker.cancel()
        QThreadPool.globalInstance().waitForDone()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.plan_worker is not None and not self.confirm(
                "Planeringen pågår. Avbryta den och avsluta? Den bästa planen hittills sparas."):
            event.ignore()
            return
        self.wait_for_workers()
        self.save_state()
        super().closeEvent(event)
