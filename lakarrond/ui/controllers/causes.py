"""Avvikelser: try the fix of a cause on a copy in the background, compare side by side,
then "Använd" (the fix and the tried plan as one undoable step) or "Släng"."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Signal

from lakarrond.causes import Cause
from lakarrond.services.fixes import describe_fix
from lakarrond.services.whatif import WhatIf, try_fix, use_whatif
from lakarrond.ui import undo
from lakarrond.ui.context import ALL, AppContext
from lakarrond.ui.dialogs.whatif import WhatIfDialog
from lakarrond.ui.jobs import Job
from lakarrond.ui.views.plan import PlanView

WHATIF_JOB = "prova"


class CausesController(QObject):
    tried = Signal(object)  # WhatIf
    applied = Signal(object)  # AppliedFix
    discarded = Signal()

    def __init__(self, ctx: AppContext, view: PlanView) -> None:
        super().__init__(ctx)
        self.ctx, self.view = ctx, view
        self.job: Job[WhatIf] | None = None
        self.last: WhatIf | None = None
        view.violations.try_button.clicked.connect(lambda: self.try_current())

    def try_current(self) -> bool:
        cause = self.view.violations.current_cause()
        return cause is not None and self.try_cause(cause)

    def try_cause(self, cause: Cause) -> bool:
        """Run the cause's fix on a copy in the background; the comparison opens when done."""
        if cause.action is None or self.job is not None:
            return False
        fix = cause.action
        patient = cause.violations[0].patient if fix.kind == "unlock" else ""
        self.ctx.status(f"Provar: {describe_fix(fix, patient)} …", 0)
        # tried as a plan is made (PlanController.start): the same date, freeze and limit
        limit = float(str(self.ctx.settings.value("plan/time_limit_s", 0) or 0)) or None
        self.job = self.ctx.run(WHATIF_JOB,
                                partial(try_fix, self.ctx.db, self.ctx.year, fix,
                                        self.view.planning_date(), patient=patient,
                                        freeze_days=self.view.freeze_spin.value(),
                                        time_limit=limit),
                                on_done=self._tried, on_error=self._failed)
        return True

    def _failed(self, message: str) -> None:
        self.job = None
        self.ctx.show_error(message, "Åtgärden kunde inte provas")

    def _tried(self, whatif: WhatIf) -> None:
        self.job = None
        self.last = whatif
        self.tried.emit(whatif)
        dialog = WhatIfDialog(whatif, self.ctx.window)
        if not self.ctx.exec_dialog(dialog):
            self.ctx.status("Åtgärden slängdes – inget ändrades.")
            self.discarded.emit()
            return
        applied = self.ctx.call(lambda: use_whatif(self.ctx.db, whatif))
        if applied is None:
            return
        self.ctx.undo_stack.push(undo.ApplyFix(self.ctx, whatif, applied,
                                               whatif.description))
        self.ctx.notify(ALL)
        self.ctx.status(f"{whatif.description}: gjort, planen sparad som version "
                        f"{applied.version}.", 10000)
        self.applied.emit(applied)
