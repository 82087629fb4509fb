"""Rondschema: every round date of the plan year per unit, cancelled ones struck out, the
substitute on absence days and the number of ÅMV in the round.

It follows the plan's one "plan changed" signal (issue 17): after an outcome, a move or their
undo only the rounds whose ÅMV count changed are replaced in place (the document is patched
day by day: the other rounds are the same objects); a new plan fills the table anew, from
rows prepared on the save job when offered."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lakarrond.document import PlanDocument
from lakarrond.ui.models.store_models import RoundModel
from lakarrond.ui.prepared import PlanContent
from lakarrond.ui.views.common import ALL, TablePanel


class RoundsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RoundModel(self)
        self.doc: PlanDocument | None = None  # the document shown
        self._content: PlanContent | None = None  # made on a job's thread (offer)
        self.panel = TablePanel(self.model, {RoundModel.UNIT_COLUMN: "Enhet",
                                             RoundModel.DOCTOR_COLUMN: "Läkare"})
        self.title = QLabel()
        self.print_button = QPushButton("Skriv ut …")
        self.print_button.setToolTip("Skriv ut en läkares rondschema eller en enhets "
                                     "förberedelselista (Ctrl+P)")
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.panel)

    def load(self, year: int, doc: PlanDocument | None,
             visits: frozenset[int] | None = None) -> None:
        """Show ``doc``'s rounds. ``visits``: only these ÅMV changed since the document
        shown (the rounds that differ are replaced in place); None: filled anew."""
        previous, self.doc = self.doc, doc
        content = self._content.of(doc) if self._content is not None else None
        self._content = None
        if doc is None:
            self.title.setText(f"<b>Rondschema {year}</b> – ingen plan ännu (Planera år, F5)")
            self.panel.set_rows([])
            return
        self.title.setText(f"<b>Rondschema {year}</b> (plan version {doc.version})")
        if visits is not None and previous is not None and self._update(previous, doc):
            return
        if content is not None:
            self.panel.set_prepared(content.rounds)
        else:
            self.panel.set_rows(list(doc.rounds))

    def offer(self, content: PlanContent | None) -> None:
        """The rows of a document prepared on a job's thread, used when it is loaded."""
        self._content = content

    def _update(self, shown: PlanDocument, doc: PlanDocument) -> bool:
        """Replace the rounds of ``shown`` that ``doc`` changed (False, nothing done, when
        it is another plan or the rounds do not match one for one)."""
        if (shown.year, shown.version) != (doc.year, doc.version) \
                or len(shown.rounds) != len(doc.rounds):
            return False
        changed = [(a, b) for a, b in zip(shown.rounds, doc.rounds, strict=True)
                   if a is not b and a != b]  # a patched day's rounds are new objects
        if any((a.unit, a.date) != (b.unit, b.date) for a, b in changed):
            return False
        model = self.model
        places = {(r.unit, r.date): i for i in range(model.rowCount())
                  for r in (model.row_at(i),)} if changed else {}
        if any(places.get((a.unit, a.date)) is None for a, _ in changed):
            return False
        for a, b in changed:
            model.replace_row(places[(a.unit, a.date)], b)
        return True

    def chosen_doctor(self) -> str | None:
        text = self.panel.filters[self.model.DOCTOR_COLUMN].currentText()
        return None if text == ALL else text
