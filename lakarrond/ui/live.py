"""Several coordinators live: the window sees what the others changed within a few seconds.

Every :data:`POLL_MS` the window asks the audit log, off the GUI thread (a one-thread pool of
its own, so the window's jobs and ``JobRunner.busy`` never see it), for the changes after the
last audit id it has seen (:func:`lakarrond.services.changes.read_changes`: one query on the
primary key while nothing happened; the window's own changes are left out). Works the same
on PostgreSQL (two coordinators) and on one SQLite file (two windows).

When changes arrive, the lists they touch are read again through the window's own reload
path (``AppContext.notify``: the chosen rows and the scroll position stay); when the open
plan (a plan saved for the year shown) or an open patient or unit form is affected, a banner
above the tabs names who changed what. Saving over someone else's change is still refused
by the services (the save conflict); the banner only says it before she tries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QWidget,
)

from lakarrond.crashlog import as_user_error
from lakarrond.services.changes import Change, ChangeKind, ChangesSeen, read_changes
from lakarrond.store import Database
from lakarrond.ui import crash
from lakarrond.ui.context import ALL, DOCTORS, PATIENTS, PLAN, PREPARATION, UNITS, AppContext
from lakarrond.ui.dialogs.patient import ChoiceDialog, DischargeDialog, PatientDialog
from lakarrond.ui.dialogs.unit import UnitDialog

POLL_MS = 2000
LIST_OF_KIND = {ChangeKind.PATIENT: PATIENTS, ChangeKind.UNIT: UNITS,
                ChangeKind.DOCTOR: DOCTORS, ChangeKind.PLAN: PLAN, ChangeKind.OUTCOME: PLAN,
                ChangeKind.PREPARATION: PREPARATION, ChangeKind.SETTINGS: ALL,
                ChangeKind.IMPORT: ALL}
PLAN_KINDS = (ChangeKind.PLAN, ChangeKind.OUTCOME)
MOST_LINES = 3  # the banner names at most this many changes


class ChoosingList(Protocol):
    """A list whose chosen row is kept (a ``TablePanel``)."""

    def current(self) -> object | None: ...

    def select_where(self, predicate: Callable[[object], bool]) -> bool: ...


def _has(key: str, value: object) -> Callable[[object], bool]:
    return lambda row: getattr(row, key, None) == value


class _PollSignals(QObject):
    # the job itself goes with its answer: a slot that kept the job in a closure would be
    # held by the job's own signals (a cycle through Qt that Python's gc cannot see), and
    # every poll, its LiveUpdates and so the whole window would never be freed
    done = Signal(object, object)  # the _Poll, ChangesSeen
    failed = Signal(object, object)  # the _Poll; None: the database cannot be reached now;
    # else the bug


class _Poll(QRunnable):
    """One read of the audit log on a pool thread; never touches a widget."""

    def __init__(self, db: Database, after: int | None) -> None:
        super().__init__()
        self.setAutoDelete(True)  # the pool lets go of it when run (else it kept every poll)
        self.db, self.after = db, after
        self.signals = _PollSignals()

    def run(self) -> None:
        try:
            seen = read_changes(self.db, self.after)
        except Exception as exc:
            # a database failure (busy, unreachable): the next poll tries again; anything
            # else is a bug: reported once, and polling stops
            self.signals.failed.emit(self, None if as_user_error(exc) is not None else exc)
        else:
            self.signals.done.emit(self, seen)


class Banner(QToolBar):
    """A non-modal bar above the tabs: who changed what, *Visa* for a new plan, a close
    button. Hidden until there is something to say."""

    def __init__(self) -> None:
        super().__init__("Ändringar av andra")
        self.setObjectName("liveBanner")
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)  # not in the window's toolbar menu
        self.setStyleSheet(  # the text colour too: a dark theme's light text is unreadable
            "QToolBar#liveBanner { background: #FFF4CE; border: none; "
            "border-bottom: 1px solid #E0C97A; padding: 2px 6px; } "
            "QToolBar#liveBanner QLabel { color: #3D3000; }")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # one line per change (a wrapped
        self.label.setMinimumWidth(1)  # label makes a toolbar tall): a narrow window clips it
        self.show_button = QPushButton("Visa")
        self.show_button.setToolTip("Visa Årsplan med den nya planen")
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("Stäng")
        self.close_button.setAccessibleName("Stäng")
        bar = QWidget()  # one widget: a toolbar gives it the whole width
        bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(bar)
        row.setContentsMargins(4, 2, 4, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.show_button)
        row.addWidget(self.close_button)
        self.addWidget(bar)
        self.close_button.clicked.connect(self.hide)

    def say(self, lines: Sequence[str], can_show_plan: bool) -> None:
        self.label.setText("\n".join(lines))
        self.label.setToolTip(self.label.text())
        self.show_button.setVisible(can_show_plan)
        self.show()


class LiveUpdates(QObject):
    """Polls for the others' changes while the window is shown and follows them."""

    arrived = Signal(object)  # tuple[Change, ...]: the others' changes just followed

    def __init__(self, ctx: AppContext, patients: ChoosingList, units: ChoosingList,
                 show_plan: Callable[[], None], visits: ChoosingList | None = None,
                 interval_ms: int = POLL_MS) -> None:
        super().__init__(ctx)
        self.ctx, self.patients, self.units = ctx, patients, units
        # the lists whose chosen row is chosen again after a quiet reload, and its key
        self.keep_chosen = [(patients, "id"), (units, "id")] + (
            [(visits, "patient_id")] if visits is not None else [])  # Årsplan: new versions
        self.last_id: int | None = None  # None: where the log is must be read first
        self.polls = 0  # polls started (tests count them)
        self.stopped = False  # a bug in a poll: no more polls in this window
        self._running: _Poll | None = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.banner = Banner()
        ctx.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner)
        self.banner.hide()
        self.banner.show_button.clicked.connect(self.banner.hide)
        self.banner.show_button.clicked.connect(lambda: show_plan())
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        ctx.database_changed.connect(self._new_database)
        ctx.window.installEventFilter(self)
        self.poll()  # where the log is now: what the window has just read
        if ctx.window.isVisible():
            self.timer.start()

    # --- polling --------------------------------------------------------------------------
    def poll(self) -> bool:
        """Start one read of the audit log on the pool (False: one is still running, or the
        window is not shown)."""
        if self._running is not None or self.stopped or (
                self.last_id is not None and not self.ctx.window.isVisible()):
            return False
        job = self._running = _Poll(self.ctx.db, self.last_id)
        job.signals.done.connect(self._arrived)  # bound methods: see _PollSignals
        job.signals.failed.connect(self._failed)
        self.polls += 1
        self.pool.start(job)
        return True

    def wait(self) -> None:
        """Wait for a poll on its way (the window closes)."""
        self.pool.waitForDone()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Poll while the window is shown; a closed window waits for its last poll."""
        if watched is self.ctx.window:
            if event.type() == QEvent.Type.Show and not self.stopped:
                self.timer.start()
            elif event.type() == QEvent.Type.Hide and not self.ctx.window.isVisible():
                self.timer.stop()
                self.wait()
        return False

    def _new_database(self) -> None:
        self.last_id = None
        self.banner.hide()
        self.poll()

    def _failed(self, job: _Poll, exc: BaseException | None) -> None:
        if self._running is job:
            self._running = None
        if exc is not None:
            crash.report_later(exc)
            self.stopped = True
            self.timer.stop()

    def _arrived(self, job: _Poll, seen: ChangesSeen) -> None:
        if self._running is job:
            self._running = None
        if job.db is not self.ctx.db:  # the window opened another database meanwhile
            self.last_id = None
            return
        first, self.last_id = self.last_id is None, seen.last_id
        if first or not seen.changes:
            return
        self.follow(seen.changes)

    # --- following ------------------------------------------------------------------------
    def follow(self, changes: Sequence[Change]) -> None:
        """Read again what the changes touch; a banner when they touch the open plan or
        form."""
        year = self.ctx.year
        lines = self._form_lines(changes)  # before the reload: a list may lose its choice
        shown = [c for c in changes
                 if c.kind not in PLAN_KINDS or c.year is None or c.year == year]
        lists = {LIST_OF_KIND[c.kind] for c in shown if not c.in_place}
        if lists:
            self._reload(lists.pop() if len(lists) == 1 else ALL)
        if PLAN not in lists and ALL not in lists and (
                patched := [c.visit_id for c in shown if c.in_place and c.visit_id]):
            self.ctx.visits_changed(patched)  # outcomes and moves: those rows, in place
        plans = [f"{c.text}." for c in changes if c.kind == ChangeKind.PLAN and c.year == year]
        told = (lines + plans)[-MOST_LINES:]
        if told:
            self.banner.say(told, can_show_plan=bool(plans))
        self.arrived.emit(tuple(changes))

    def _reload(self, kind: str) -> None:
        """The window's own reload of ``kind`` (the scroll positions stay); the chosen
        patient, unit and ÅMV are chosen again where a list's reload dropped them."""
        chosen = [(panel, key, getattr(panel.current(), key, None))
                  for panel, key in self.keep_chosen]
        self.ctx.notify(kind)
        for panel, key, value in chosen:
            if value is not None and getattr(panel.current(), key, None) != value:
                panel.select_where(_has(key, value))

    def open_form(self) -> tuple[ChangeKind, int] | None:
        """The patient or unit whose form is open (edited, not new), if any."""
        for dialog in self.ctx.window.findChildren(QDialog):
            if not dialog.isVisible() or dialog.windowTitle().startswith("Ny "):
                continue
            if isinstance(dialog, PatientDialog | DischargeDialog | ChoiceDialog):
                kind, panel = ChangeKind.PATIENT, self.patients
            elif isinstance(dialog, UnitDialog):
                kind, panel = ChangeKind.UNIT, self.units
            else:
                continue
            row = panel.current()
            row_id = getattr(row, "id", None)
            if isinstance(row_id, int):
                return kind, row_id
        return None

    def _form_lines(self, changes: Sequence[Change]) -> list[str]:
        form = self.open_form()
        if form is None:
            return []
        noun = "patienten" if form[0] == ChangeKind.PATIENT else "enheten"
        return [f"{c.text} – det är {noun} du har öppen. Stäng formuläret och öppna det "
                "igen för att se ändringen." for c in changes
                if (c.kind, c.subject_id) == form]


__all__ = ["POLL_MS", "Banner", "LiveUpdates"]
