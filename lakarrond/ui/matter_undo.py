"""Undoable matter (ärende) edits for the window (issue 21.2): booking a matter and
recording its status, each undone and redone through the service's inverse
(:func:`~lakarrond.services.matters.unbook` / ``book(matter_id=…)``,
:func:`~lakarrond.services.matters.restore_status`). Like every command of
:mod:`lakarrond.ui.undo`, the first redo is skipped: the window made the change before
pushing the command."""

from __future__ import annotations

from lakarrond.services import matters as matter_service
from lakarrond.ui.context import MATTERS
from lakarrond.ui.undo import Ctx, ServiceCommand


class BookMatter(ServiceCommand):
    """A booked matter (``row``, as :func:`~lakarrond.services.matters.book` returned it):
    undo removes it, redo books it again under its id (with ``force``, as it was booked
    before; a redo that no longer fits even so fails and drops the command)."""

    kind = MATTERS

    def __init__(self, ctx: Ctx, row: matter_service.MatterRow, text: str = "") -> None:
        super().__init__(ctx, text or f"Boka ärende: {row.kind}, {row.unit} "
                         f"{row.date.isoformat()}")
        self.row = row

    def do_undo(self) -> None:
        matter_service.unbook(self.ctx.db, self.row.id)

    def do_redo(self) -> None:
        r = self.row
        matter_service.book(
            self.ctx.db, r.unit_id, r.date, r.kind, patient=r.patient_id, minutes=r.minutes,
            by_role=r.by_role, by_name=r.by_name, note=r.note, force=True, matter_id=r.id)


class SetMatterStatus(ServiceCommand):
    """A recorded status (:class:`~lakarrond.services.matters.StatusChange`)."""

    kind = MATTERS

    def __init__(self, ctx: Ctx, change: matter_service.StatusChange, new_date_iso: str = "",
                 reason: str = "", text: str = "") -> None:
        super().__init__(ctx, text or f"Ärende {change.matter_id}: {change.new_status}")
        self.change, self.new_date_iso, self.reason = change, new_date_iso, reason

    def do_undo(self) -> None:
        matter_service.restore_status(self.ctx.db, self.change)

    def do_redo(self) -> None:
        from datetime import date

        new_date = date.fromisoformat(self.new_date_iso) if self.new_date_iso else None
        self.change = matter_service.set_status(
            self.ctx.db, self.change.matter_id, self.change.new_status, new_date=new_date,
            reason=self.reason)
