"""The main window: builds the views and the menus and wires them to the controllers.

The work is in the controllers (``lakarrond.ui.controllers``): the week, patients, units,
doctors, the plan, files (import/export/template/database) and printing. The window never
holds a Session; it reloads what a controller says changed (``AppContext.changed``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any  # Any: the tabs' panels hold rows of different types

from PySide6.QtCore import QRect, QSettings, QSize, Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStyle,
    QTabWidget,
    QWidget,
)

from lakarrond.about import about_text
from lakarrond.services.exporter import moved_printout
from lakarrond.services.years import default_year
from lakarrond.store import Database
from lakarrond.ui import heap
from lakarrond.ui.context import (
    ALL,
    DOCTORS,
    MATTERS,
    PATIENTS,
    PLAN,
    PREPARATION,
    UNITS,
    AppContext,
    PlanChange,
)
from lakarrond.ui.controllers.causes import CausesController
from lakarrond.ui.controllers.census import CensusController
from lakarrond.ui.controllers.doctors import DoctorController
from lakarrond.ui.controllers.files import FileController
from lakarrond.ui.controllers.patients import PatientController
from lakarrond.ui.controllers.plan import PlanController
from lakarrond.ui.controllers.printing import PrintController
from lakarrond.ui.controllers.settings import SettingsController
from lakarrond.ui.controllers.units import UnitController
from lakarrond.ui.controllers.week import WeekController
from lakarrond.ui.controllers.year_follow_up import FollowUpController
from lakarrond.ui.live import LiveUpdates
from lakarrond.ui.views.common import TablePanel
from lakarrond.ui.views.doctors import DoctorsView
from lakarrond.ui.views.patients import PatientsView
from lakarrond.ui.views.plan import PlanView
from lakarrond.ui.views.rounds import RoundsView
from lakarrond.ui.views.units import UnitsView
from lakarrond.ui.views.week import WeekView
from lakarrond.wording import plan_quality

ORG, APP = "Lakarrond", "Lakarrond"
TABS = ("Veckan", "Enheter", "Patienter", "Läkare", "Årsplan", "Rondschema")
FIRST_SIZE = QSize(1280, 800)  # at least this on a first start, when the screen allows


def app_settings() -> QSettings:
    return QSettings(ORG, APP)


def first_geometry(screen: QRect) -> QRect:
    """The window on a first start: 90 % of the screen's free area (at least 1280×800 when
    the screen is that large), centred on it."""
    width = min(screen.width(), max(round(screen.width() * 0.9), FIRST_SIZE.width()))
    height = min(screen.height(), max(round(screen.height() * 0.9), FIRST_SIZE.height()))
    return QStyle.alignedRect(Qt.LayoutDirection.LeftToRight, Qt.AlignmentFlag.AlignCenter,
                              QSize(width, height), screen)


class MainWindow(QMainWindow):
    def __init__(self, db: Database, year: int | None = None,
                 settings: QSettings | None = None, parent: QWidget | None = None,
                 background: bool = False) -> None:
        """``background``: the plan is read on the job runner after the window is shown
        (the program's start; "Läser in …" in the status bar until it is there)."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings or app_settings()
        self.ctx = AppContext(db, year or default_year(db), self.settings, self)
        self._fit_patients = True  # the next plan_changed also fits Patienter's columns
        self._patients_stale = False  # Patienter waits to be shown (see _refresh_patients)
        self._stale_patients: frozenset[int] | None = frozenset()  # … these (None: all)
        self._patients_behind = False  # the next plan_changed reads the patients behind
        self._doctor_time_stale = False  # Enheter/Läkare read it again when next shown
        self.week_view = WeekView()
        self.units_view = UnitsView()
        self.patients_view = PatientsView()
        self.doctors_view = DoctorsView()
        self.plan_view = PlanView()
        self.rounds_view = RoundsView()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for view, name in zip((self.week_view, self.units_view, self.patients_view,
                               self.doctors_view, self.plan_view, self.rounds_view), TABS,
                              strict=True):
            self.tabs.addTab(view, name)
        self.setCentralWidget(self.tabs)
        self.tabs.currentChanged.connect(self._tab_shown)

        self.patients = PatientController(self.ctx, self.patients_view)
        self.units = UnitController(self.ctx, self.units_view)
        self.doctors = DoctorController(self.ctx, self.doctors_view)
        self.files = FileController(self.ctx)
        self.printing = PrintController(self.ctx)
        self.follow_up = FollowUpController(self.ctx)
        self.year_settings = SettingsController(self.ctx)
        self.plan = PlanController(
            self.ctx, self.plan_view, self.rounds_view,
            print_moves=lambda draft: self.printing.preview(moved_printout(draft)))
        self.causes = CausesController(self.ctx, self.plan_view)
        self.census = CensusController(self.ctx, self.printing.preview)
        self.week = WeekController(self.ctx, self.week_view, self.plan.record,
                                   self.printing.preview, self.plan.record_held)
        self.printing.attach_week(self.week_view, lambda: self.week.monday)
        self.plan.make_preparer = lambda: self.week.preparer(self.plan.preparer())
        self.plan.prepared.connect(self.week.offer)  # Veckan's week made on the save job

        self.db_label = QLabel()
        self.plan_label = QLabel()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.plan_label)
        self._build_actions()
        self._connect()
        self.restore_state()
        self.reload(ALL, background=background)
        self._follow_others()

    # --- shortcuts for tests and scripts --------------------------------------------------
    @property
    def db(self) -> Database:
        return self.ctx.db

    @property
    def undo_stack(self) -> QUndoStack:
        return self.ctx.undo_stack

    # --- actions and menus ----------------------------------------------------------------
    def _action(self, text: str, slot: Callable[[], object],
                shortcut: QKeySequence.StandardKey | Qt.Key | str | None = None,
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
        f, pr = self.files, self.printing
        self.open_action = self._action("Öppna databas …", f.open_database_dialog, sk.Open)
        self.new_action = self._action("Ny databas …", f.new_database_dialog, sk.New)
        self.template_action = self._action(
            "Spara importmall (Excel) …", f.template_dialog, None,
            "En tom mall att fylla i med läkare, enheter och patienter")
        self.import_action = self._action("Importera Excel …", f.import_dialog)
        self.export_action = self._action(
            "Exportera …", lambda: f.export_dialog(".xlsx"), sk.Save,
            "Excel, kalender, JSON eller rondschema – per vårdcentral, läkare, enhet och period")
        self.export_ics_action = self._action("Exportera kalender (.ics) …",
                                              lambda: f.export_dialog(".ics"))
        self.census_action = self._action(
            "Ändringar sedan …", lambda: self.census.open_dialog(), None,
            "Patienter inskrivna, flyttade, utskrivna och avlidna sedan ett datum – "
            "listan till hälsocentralen")
        self.print_action = self._action(
            "Skriv ut …", pr.print_dialog, sk.Print,
            "Skriv ut en läkares rondschema eller en enhets förberedelselista")
        self.print_pdf_action = self._action("Spara utskrift som PDF …", pr.save_pdf_dialog)
        self.follow_up_action = self._action(
            "Årsuppföljning …", self.follow_up.open, None,
            "Årets uppföljning enligt överenskommelsen: ÅMV inom 12 månader, avböjda, "
            "inställda, försenade, ronder och läkartid – Excel eller PDF")
        self.quit_action = self._action("Avsluta", self.close, sk.Quit)
        self.undo_action = self.ctx.undo_stack.createUndoAction(self, "Ångra")
        self.undo_action.setShortcut(QKeySequence(sk.Undo))
        self.redo_action = self.ctx.undo_stack.createRedoAction(self, "Gör om")
        self.redo_action.setShortcut(QKeySequence(sk.Redo))
        self.find_action = self._action("Sök", self.focus_search, sk.Find)
        self.plan_action = self._action(
            "Planera år", lambda: self.plan.start(), Qt.Key.Key_F5,
            "Beräkna årsplanen (låsta och genomförda ÅMV ligger kvar)")
        self.reload_action = self._action(  # not sk.Refresh: that is F5 too (Planera)
            "Läs in igen", lambda: self.reload(ALL, background=True), "Ctrl+R")
        self.settings_action = self._action(
            "Inställningar …", lambda: self.year_settings.edit(), "Ctrl+,",
            "Planårets inställningar: semesterveckor, spärrade perioder, förberedelse m.m.")
        self.about_action = self._action("Om Läkarrond", self.show_about)
        self.where_action = self._action("Var finns data?", self.show_data_location)

        bar = self.menuBar()
        menus: list[tuple[str, list[QAction | None]]] = [
            ("&Arkiv", [self.open_action, self.new_action, None, self.template_action,
                        self.import_action, self.export_action, self.export_ics_action,
                        self.census_action, self.follow_up_action, None,
                        self.print_action, self.print_pdf_action, None, self.quit_action]),
            ("&Redigera", [self.undo_action, self.redo_action, None, self.find_action]),
            ("&Planera", [self.plan_action, self.reload_action, None, self.settings_action]),
        ]
        for title, actions in menus:
            menu = bar.addMenu(title)
            for a in actions:
                menu.addSeparator() if a is None else menu.addAction(a)
        visa = bar.addMenu("&Visa")
        for i, name in enumerate(TABS):
            visa.addAction(self._action(name, partial(self.tabs.setCurrentIndex, i),
                                        f"Ctrl+{i + 1}"))
        hjalp = bar.addMenu("&Hjälp")
        hjalp.addAction(self.where_action)
        hjalp.addAction(self.about_action)

    def _connect(self) -> None:
        self.ctx.changed.connect(self.reload)
        self.ctx.plan_changed.connect(self._plan_changed)
        self.ctx.year_changed.connect(lambda _year: self.reload(PLAN))
        self.ctx.database_changed.connect(self._database_changed)
        self.plan.document_changed.connect(self._update_status)
        self.patients.show_visit_requested.connect(self.show_patient_visit)
        self.patients.loaded.connect(self._update_hint)
        self.patients.added.connect(self.plan.offer_dates)
        self.patients.suggest_requested.connect(self.plan.suggest)
        self.week.open_patient_requested.connect(self.open_patient)
        self.week.suggest_requested.connect(self.plan.suggest)
        self.year_settings.saved.connect(lambda _year: self.plan.reset_planning_date())
        self.rounds_view.print_button.clicked.connect(self._print_from_rounds)
        hint = self.week_view.start_hint
        hint.import_button.clicked.connect(self.files.import_dialog)
        hint.template_button.clicked.connect(self.files.template_dialog)
        hint.demo_button.clicked.connect(self.files.load_example)
        self.ctx.jobs.finished.connect(lambda *_: self._update_status())
        self.ctx.jobs.failed.connect(lambda *_: self._update_status())

    def _follow_others(self) -> None:
        """Another coordinator's (or window's) changes: lists read again quietly, a banner
        when the open plan or form is affected (ui.live)."""
        self.live = LiveUpdates(self.ctx, self.patients_view.panel, self.units_view.panel,
                                show_plan=lambda: self.tabs.setCurrentWidget(self.plan_view),
                                visits=self.plan_view.visits)

    def _print_from_rounds(self) -> None:
        self.printing.preferred_doctor = self.rounds_view.chosen_doctor()
        self.printing.print_dialog()

    # --- loading --------------------------------------------------------------------------
    def reload(self, kind: str = ALL, background: bool = False) -> None:
        """Read ``kind`` again; with ``background`` the plan is read on the job runner and
        the views follow when it arrives (the views keep what they show until then)."""
        if kind in (ALL, PATIENTS, UNITS):
            self.units.reload(background)
        if kind in (ALL, DOCTORS, UNITS):
            self.doctors.reload(background)
        if background and kind == ALL:
            self._doctor_time_waiting()
        if kind in (ALL, PLAN, PATIENTS, UNITS, DOCTORS):
            self._fit_patients = kind in (ALL, PATIENTS, UNITS)
            self._patients_behind = background  # the patients are read behind it too
            self.plan.reload(background)  # → plan_changed: Patienter, Veckan, the status bar
        elif kind == PREPARATION:  # late preparation on Patienter and Veckan
            self._refresh_patients(fit=False)
            self.week.reload(in_place=True)
        elif kind == MATTERS:  # the plan is the same: only Veckan shows matters
            self.week.reload(in_place=True)
        if not background:  # else when the patients arrive
            self._update_hint()
        self._update_status()

    def _update_hint(self) -> None:
        self.week_view.start_hint.setVisible(not any(  # an empty database: what to do first
            v.rowCount() for v in (self.patients_view.model, self.units_view.model,
                                   self.doctors_view.doctor_model)))

    def _plan_changed(self, change: PlanChange) -> None:
        """The current plan document changed (a saved plan, a fix, an outcome, undo/redo, a
        reload): every view that shows plan data follows. Årsplan and Rondschema follow in
        the plan controller; here the patients' next ÅMV, Veckan (the changed rows in place
        when only some ÅMV changed) and the status bar."""
        self._refresh_patients(fit=self._fit_patients and change.everything,
                               background=self._patients_behind,
                               patients=change.patients)
        self._fit_patients = self._patients_behind = False
        self.week.reload(in_place=not change.everything)  # reuses the plan's document
        if change.everything:  # the doctor time counts the plan's ÅMV on separate times
            self._doctor_time_waiting()
        self._update_status()

    def _refresh_patients(self, fit: bool, background: bool = False,
                          patients: frozenset[int] | None = None) -> None:
        """Patienter follows a change: at once when its list changed (``fit``: patients,
        units, a new database) or when it is the tab shown; after an outcome or a tick on
        another tab (only the next ÅMV and its marking change) when it is next shown, so
        that the answer in Veckan is not spent on a list nobody looks at. ``patients``: only
        these patients' rows changed (None: any), updated in place (issue 17)."""
        waiting = self._stale_patients if self._patients_stale else frozenset()
        ids = None if waiting is None or patients is None else waiting | patients
        if fit or self.tabs.currentWidget() is self.patients_view:
            self._patients_stale, self._stale_patients = False, frozenset()
            if ids is not None and not fit and not background:
                self.patients.update_rows(ids)
            else:
                self.patients.reload(fit=fit, background=background)
        else:
            self._patients_stale, self._stale_patients = True, ids

    def _tab_shown(self, _index: int) -> None:
        """A tab that waited for a change (Patienter, Årsplan, Rondschema, Enheter, Läkare)
        shows it now."""
        if self._patients_stale and self.tabs.currentWidget() is self.patients_view:
            self._refresh_patients(fit=False, patients=frozenset())  # what it waits for
        self.plan.tab_shown(self.tabs.currentWidget())
        self._read_doctor_time_if_shown()

    def _doctor_time_waiting(self) -> None:
        """Enheter's and Läkare's doctor time is read again when one of them is shown
        (now, if one is)."""
        self._doctor_time_stale = True
        self._read_doctor_time_if_shown()

    def _read_doctor_time_if_shown(self) -> None:
        if self._doctor_time_stale and self.tabs.currentWidget() in (self.units_view,
                                                                      self.doctors_view):
            self._doctor_time_stale = False
            self.units.read_doctor_time()
            self.doctors.read_doctor_time()

    def _database_changed(self) -> None:
        self.settings.setValue("db/last", str(self.db.path or self.db.url))
        self.reload(ALL)  # at once: nothing of the other database may stay shown

    def _update_status(self) -> None:
        self.db_label.setText(f"Databas: {self.db.path or self.db.url}")
        doc, year = self.ctx.document, self.ctx.year
        if self.plan.saving is not None:
            text = f"Sparar planen för {year} …"
        elif self.plan.loading:
            text = f"Läser in planen för {year} …"
        elif self.plan.running:
            text = f"Planerar {year} …"
        elif doc is None:
            text = f"Ingen plan för {year} ännu"
        else:
            text = (f"Plan {year} version {doc.version} · {plan_quality(doc.solver.status)} · "
                    f"{len(doc.reviews)} ÅMV · {len(doc.violations)} avvikelser · "
                    f"sparad {doc.created_at[:16].replace('T', ' ')}")
        self.plan_label.setText(text)
        self.plan_action.setEnabled(not self.plan.running)
        self.plan_view.plan_button.setEnabled(not self.plan.running)
        name = Path(self.db.path).name if self.db.path else self.db.url
        self.setWindowTitle(f"Läkarrond – {name}")

    def focus_search(self) -> None:
        view = self.tabs.currentWidget()
        if view is self.week_view:  # Ctrl+F on Veckan: find in the week
            self.week_view.open_find()
            return
        panels: dict[QWidget, TablePanel[Any]] = {  # rows of a different type in each tab
                 self.week_view: self.week_view.todo,
                 self.patients_view: self.patients_view.panel,
                 self.units_view: self.units_view.panel,
                 self.doctors_view: self.doctors_view.absences,
                 self.plan_view: self.plan_view.visits,
                 self.rounds_view: self.rounds_view.panel}
        panel = panels.get(view) if view is not None else None
        if panel is not None:
            panel.search.setFocus()
            panel.search.selectAll()

    def open_patient(self, patient_id: int) -> bool:
        """Patienter with the patient chosen, and the patient's form open."""
        self.tabs.setCurrentWidget(self.patients_view)
        self.patients_view.panel.select_where(lambda r: r.id == patient_id)
        return self.patients.edit(patient_id)

    def show_patient_visit(self, patient_id: int) -> bool:
        """Open the Årsplan on the patient's ÅMV (False when the plan has none)."""
        self.tabs.setCurrentWidget(self.plan_view)
        return self.plan.show_patient(patient_id)

    # --- help -----------------------------------------------------------------------------
    def show_about(self) -> None:
        QMessageBox.about(self, "Om Läkarrond", about_text(self.db))

    def data_location_text(self) -> str:
        db = self.db
        where = str(db.path) if db.path else db.url
        backups = f"\nSäkerhetskopior: {db.path.parent / 'backups'}" if db.path else ""
        return (f"Databasen: {where}{backups}\nInställningar för fönstret: "
                f"{self.settings.fileName()}\n\nDatabasen innehåller patientuppgifter "
                "(känsliga personuppgifter). Alla ändringar och exporter loggas.")

    def show_data_location(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Var finns data?",
                          self.data_location_text(), QMessageBox.StandardButton.Ok, self)
        folder = self.db.path.parent if self.db.path else None
        if folder is not None:
            button = box.addButton("Öppna mappen", QMessageBox.ButtonRole.ActionRole)
            button.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # --- window state ---------------------------------------------------------------------
    def restore_state(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen() or QGuiApplication.primaryScreen()
            if screen is not None:
                self.setGeometry(first_geometry(screen.availableGeometry()))
            else:
                self.resize(FIRST_SIZE)
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)
        for splitter in self._splitters:
            value = s.value(f"splitter/{splitter.objectName()}")
            if value is not None:
                splitter.restoreState(value)
        tab = str(s.value("window/tab_name", TABS[0]))  # by name: new tabs keep their place
        self.tabs.setCurrentIndex(TABS.index(tab) if tab in TABS else 0)

    @property
    def _splitters(self) -> tuple[QSplitter, ...]:
        return (self.week_view.splitter, self.plan_view.splitter, self.doctors_view.splitter)

    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        for splitter in self._splitters:
            s.setValue(f"splitter/{splitter.objectName()}", splitter.saveState())
        s.setValue("window/tab_name", TABS[self.tabs.currentIndex()])
        s.setValue("db/last", str(self.db.path or self.db.url))
        s.sync()

    def wait_for_workers(self) -> None:
        self.ctx.jobs.wait()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.plan.running and not self.ctx.confirm(
                "Planeringen pågår. Avbryta den och avsluta? Den bästa planen hittills sparas."):
            event.ignore()
            return
        self.wait_for_workers()
        self.save_state()
        heap.thaw()  # what the window froze (its documents, its tables) may now be freed
        super().closeEvent(event)


__all__ = ["MainWindow", "app_settings"]
