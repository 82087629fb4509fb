"""What every controller shares: the open database, the plan year, the saved plan's
document, the undo stack, the job runner, and how to talk to the user.

Controllers never hold a Session: each service call opens its own transaction. A
:class:`~lakarrond.errors.UserError` from a service becomes a Swedish message in a dialog
(:meth:`AppContext.call`); the ``changed`` signal tells the views what to read again.

The current plan document has one owner and one signal: :meth:`AppContext.set_document`
replaces it and emits ``plan_changed`` with a :class:`PlanChange` (the year, the previous
and the new document, and which ÅMV changed or None for everything) – after a saved plan,
an applied fix, an outcome, undo/redo or a reload. Every view that shows plan data
(Veckan, Årsplan, Rondschema, Patienter's "Nästa ÅMV", Avvikelser, the status bar) follows
that signal and nothing else. An outcome or a move goes through
:meth:`AppContext.visits_changed`: the document is patched (only those ÅMV read again) and
the views update those rows in place; a hidden view only marks itself stale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox

from lakarrond.crashlog import as_user_error
from lakarrond.document import PlanDocument
from lakarrond.errors import BadInput, UserError
from lakarrond.services.document import patch_document
from lakarrond.store import Database
from lakarrond.today import today as todays_date
from lakarrond.ui import crash, heap
from lakarrond.ui.jobs import UNEXPECTED, G, Job, JobRunner, Steps

T = TypeVar("T")

PATIENTS, UNITS, DOCTORS, PLAN, ALL = "patients", "units", "doctors", "plan", "all"
PREPARATION = "preparation"  # a preparation step ticked or unticked
MATTERS = "matters"  # a matter (ärende) booked, recorded or undone: Veckan reads its week


@dataclass(frozen=True)
class PlanChange:
    """What ``plan_changed`` carries: the plan year shown and its document before and after
    (None: no saved plan), and what changed: ``visits`` the ÅMV (visit ids) an outcome, a
    move or their undo touched, or None for everything (a new plan, a reload, another
    database). Enough for a view to update only what differs (issue 17)."""

    year: int
    previous: PlanDocument | None
    document: PlanDocument | None
    visits: frozenset[int] | None = None

    @property
    def everything(self) -> bool:
        return self.visits is None

    @property
    def patients(self) -> frozenset[int] | None:
        """The patients of the changed ÅMV (before and after the change), or None for
        everything."""
        if self.visits is None:
            return None
        found: set[int] = set()
        for doc in (self.previous, self.document):
            if doc is None:
                continue
            pairs = [(r.visit_id, r.patient_id) for r in doc.reviews]
            pairs += [(d.visit_id, d.patient_id) for d in doc.due_again]
            found.update(pid for vid, pid in pairs if vid in self.visits)
        return frozenset(found)


class AppContext(QObject):
    changed = Signal(str)  # PATIENTS, UNITS, DOCTORS, PLAN, PREPARATION or ALL
    year_changed = Signal(int)
    database_changed = Signal()
    plan_changed = Signal(object)  # PlanChange: the current plan document was replaced

    def __init__(self, db: Database, year: int, settings: QSettings,
                 window: QMainWindow) -> None:
        super().__init__(window)
        self.db = db
        self.year = year
        self.settings = settings
        self.window = window
        self.document: PlanDocument | None = None
        self.generation = 0  # counts set_document: a read started before a change is stale
        self.undo_stack = QUndoStack(self)
        self.jobs = JobRunner(self)
        self.last_message: QMessageBox | None = None
        self.fixed_today: date | None = None  # tests set the day the window lives on
        # after a full read the heap is settled in an event-loop turn of its own, once the
        # views show the new plan (ui.heap): the window draws in between
        self.settle_timer = QTimer(self)
        self.settle_timer.setSingleShot(True)
        self.settle_timer.setInterval(0)
        self.settle_timer.timeout.connect(self._settle)
        self._deep_settle = False  # another database: the whole heap is walked once
        self._young_first = False  # the settle's first turn is still to come

    def today(self) -> date:
        """Today (what is past, late, due), or :attr:`fixed_today` when set."""
        return self.fixed_today or todays_date()

    # --- telling the user ---------------------------------------------------------------
    def show_error(self, message: str, title: str = "Det gick inte") -> None:
        """A dialog with the Swedish message (non-blocking, window-modal)."""
        self._message(QMessageBox.Icon.Warning, title, message)

    def show_info(self, message: str, title: str = "Läkarrond") -> None:
        self._message(QMessageBox.Icon.Information, title, message)

    def _message(self, icon: QMessageBox.Icon, title: str, message: str) -> None:
        box = QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_message = box
        box.destroyed.connect(lambda *_: self._forget(box))
        box.open()

    def _forget(self, box: QMessageBox) -> None:
        if self.last_message is box:
            self.last_message = None

    def status(self, text: str, ms: int = 8000) -> None:
        self.window.statusBar().showMessage(text, ms)

    def confirm(self, question: str, title: str = "Bekräfta") -> bool:
        """Ask before destroying data (tests replace this)."""
        answer = QMessageBox.question(self.window, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def exec_dialog(self, dialog: QDialog) -> bool:
        """Run a dialog modally (tests replace this to fill it in)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    # --- calling services ---------------------------------------------------------------
    def call(self, fn: Callable[[], T]) -> T | None:
        """Run a service call; a Swedish error goes to a dialog and None is returned. Anything
        else is a bug: logged and shown in the crash dialog (no traceback), None returned."""
        try:
            return fn()
        except UserError as exc:
            self.show_error(str(exc))
            self.changed.emit(ALL)
            return None
        except Exception as exc:  # a bug: never a traceback, never a lost edit
            known = as_user_error(exc)
            if known is None:
                crash.report_later(exc)
            self.show_error(str(known) if known is not None else UNEXPECTED)
            return None

    def try_call(self, fn: Callable[[], T]) -> tuple[T | None, str]:
        """Run a service call; returns (result, "") or (None, the Swedish error) for bad
        input, which the caller shows in its form. Any other user error (someone else
        changed the row, the database is busy) is shown here and gives (None, "")."""
        try:
            return fn(), ""
        except BadInput as exc:
            return None, str(exc)
        except UserError as exc:
            self.show_error(str(exc))
            self.changed.emit(ALL)
            return None, ""
        except Exception as exc:  # a bug: logged; the form opens again with what was typed
            known = as_user_error(exc)
            if known is None:
                crash.report_later(exc)
            return None, str(known) if known is not None else UNEXPECTED

    def set_document(self, document: PlanDocument | None,
                     visits: Iterable[int] | None = None) -> None:
        """Make ``document`` the current plan document and tell every view that shows plan
        data (``plan_changed``); ``visits``: only these ÅMV changed (None: everything)."""
        previous, self.document = self.document, document
        self.generation += 1
        self.plan_changed.emit(PlanChange(self.year, previous, document,
                                          None if visits is None else frozenset(visits)))
        if visits is None:  # a full read: the views are filled, the old plan is garbage
            self._young_first = True
            self.settle_timer.start()

    def _settle(self) -> None:
        """The heap settled in two turns of the event loop: the young objects first, then
        the rest and the freeze (ui.heap)."""
        if self._young_first:
            self._young_first = False
            heap.collect_young()
            self.settle_timer.start()
            return
        heap.settle(deep=self._deep_settle)
        self._deep_settle = False

    def visits_changed(self, visit_ids: Iterable[int]) -> None:
        """Some ÅMV of the current plan changed (an outcome, a move, their undo): the
        document is patched with only those read again – one small read, no rebuild – and
        the views update those rows (``plan_changed`` with ``visits``)."""
        ids = list(visit_ids)
        doc = self.document
        if doc is None or doc.year != self.year:
            self.notify(PLAN)
            return
        patched = self.call(lambda: patch_document(self.db, doc, ids, self.today()))
        if patched is not None:
            self.set_document(patched, ids if patched.version == doc.version else None)

    def notify(self, kind: str) -> None:
        self.changed.emit(kind)

    def set_year(self, year: int) -> None:
        if year != self.year:
            self.year = year
            self.year_changed.emit(year)

    def switch_database(self, db: Database, year: int) -> None:
        old, self.db = self.db, db
        old.dispose()
        self.undo_stack.clear()
        self.year = year
        self._deep_settle = True  # what the old database's views left frozen is freed
        self.database_changed.emit()

    def run(self, what: str, fn: Callable[[], T], *,
            on_done: Callable[[T], None] | None = None,
            on_error: Callable[[str], None] | None = None) -> Job[T]:
        """Run ``fn()`` off the GUI thread (arguments bound with :func:`functools.partial`)."""
        return self.jobs.start(what, fn, on_done=on_done, on_error=on_error)

    def run_steps(self, what: str, steps: Steps[T, G], *,
                  on_done: Callable[[T], None] | None = None,
                  on_error: Callable[[str], None] | None = None,
                  on_progress: Callable[[G], None] | None = None) -> Job[T]:
        """Run work that reports progress and can be cancelled."""
        return self.jobs.start_steps(what, steps, on_done=on_done, on_error=on_error,
                                     on_progress=on_progress)
