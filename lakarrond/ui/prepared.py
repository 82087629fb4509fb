"""What the views show of a new plan document, made on a job's thread (issue 17).

After "Spara planen" (and any read of the plan on the job runner) the GUI thread should only
put the new content in place. :class:`Preparer` is handed to the job: with the document read
it computes, off the GUI thread, every table's rows with their display texts, sort keys and
search keys (:meth:`~lakarrond.ui.models.table.RowTableModel.prepare`: pure Python, the
models' column functions touch no Qt) and Veckan's week as shown now. The views take what
matches the document they are given (:class:`PlanContent` is keyed by the document itself)
and compute the rest as before; a view not shown takes it when it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from lakarrond.document import AnnualReview, PlanDocument, RoundEntry
from lakarrond.services.week import load_week, week_index
from lakarrond.services.week_data import TodoItem, WeekData
from lakarrond.store import Database
from lakarrond.ui.models.table import PreparedRows


@dataclass(frozen=True)
class PlanContent:
    """One document's content for the views, computed on a job's thread."""

    document: PlanDocument
    visits: PreparedRows[AnnualReview]  # Årsplan's ÅMV table
    follow_ups: PreparedRows[TodoItem]  # Årsplan's "Att följa upp"
    rounds: PreparedRows[RoundEntry]  # Rondschema
    week: WeekData | None  # Veckan's week (the Monday shown when the job started)
    todo: PreparedRows[TodoItem] | None  # Veckan's "Att göra nu" of that week

    def of(self, doc: PlanDocument | None) -> PlanContent | None:
        """This content when it is ``doc``'s (the document the view is given), else None."""
        return self if doc is not None and doc is self.document else None


@dataclass(frozen=True)
class Preparer:
    """The views' ``prepare`` functions and Veckan's week, bound on the GUI thread and
    called on the job's thread with the document read."""

    db: Database
    today: date
    visits: Callable[[PlanDocument], PreparedRows[AnnualReview]]
    follow_ups: Callable[[Sequence[TodoItem]], PreparedRows[TodoItem]]
    rounds: Callable[[Sequence[RoundEntry]], PreparedRows[RoundEntry]]
    todo: Callable[[Sequence[TodoItem]], PreparedRows[TodoItem]] | None = None
    monday: date | None = None  # Veckan's week shown (None: no week prepared)

    def __call__(self, doc: PlanDocument) -> PlanContent:
        week = None
        if self.monday is not None and self.todo is not None:
            week = load_week(self.db, self.monday, self.today, known=[doc])
        return PlanContent(
            document=doc,
            visits=self.visits(doc),
            follow_ups=self.follow_ups(week_index(doc).follow_ups(doc, doc.today or
                                                                  self.today)),
            rounds=self.rounds(list(doc.rounds)),
            week=week,
            todo=self.todo(list(week.todo)) if week is not None and self.todo else None,
        )
