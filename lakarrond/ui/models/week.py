"""Veckan's models: the week as a tree (doctor → day → round or ÅMV time → ÅMV), what needs
doing now, and the preparation checklist of one ÅMV (steps ticked in the table).

A doctor's days without a round, an absence or a withdrawn ÅMV are folded into one line
("Ingen rond tis–fre"): with 110 doctors the week is one screen per few doctors, not 23.

Late preparation is red, preparation due now amber, a past ÅMV not recorded red and bold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any  # Any: Qt-role edge (values per role); nodes hold several row types

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from lakarrond.document import AnnualReview
from lakarrond.services.week_data import (
    DUE,
    LATE,
    DoctorWeek,
    WeekData,
    WeekDay,
    WeekMatter,
    WeekReview,
    WeekRound,
)
from lakarrond.ui.models.cancelled import WITHDRAWN, outcome_remark
from lakarrond.ui.models.store_models import DONE_BG, LATE_BG, MUTED
from lakarrond.ui.models.table import ROW_ROLE, Index
from lakarrond.ui.models.week_lists import (  # the lists beside the tree (their old home)
    DUE_BG,
    ChecklistModel,
    TodoModel,
    bold,
)
from solver.problem import VisitStatus

LATE_FG = QColor("#8a1c1c")
SUB_FG = QColor("#1d4f91")
OVER_FG = QColor("#c00000")  # a round's time over its length

DOCTOR, DAY, ROUND, REVIEW = "doctor", "day", "round", "review"
MATTER = "matter"  # a matter (ärende) booked in the round, after its ÅMV
FOLDED = "folded"  # the doctor's days without a round, one line
SHORT_DAYS = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")


def folded_text(days: Sequence[WeekDay]) -> str:
    """``Ingen rond tis–fre``; ``Ingen rond mån, ons–tor``; ``Ingen rond mån–fre`` (runs
    of following days joined with a dash)."""
    numbers = sorted(d.date.weekday() for d in days)
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [SHORT_DAYS[r[0]] if len(r) == 1 else f"{SHORT_DAYS[r[0]]}–{SHORT_DAYS[r[-1]]}"
             for r in runs]
    return "Ingen rond " + ", ".join(parts)


def _shown_day(day: WeekDay, withdrawn: Sequence[AnnualReview]) -> bool:
    """A day gets its own line when it has a round, an absence or a withdrawn ÅMV."""
    return bool(day.rounds or day.absence or withdrawn)


@dataclass(eq=False)
class Node:
    kind: str
    item: Any
    parent: Node | None = None
    row: int = 0
    children: list[Node] = field(default_factory=list)

    def add(self, kind: str, item: Any) -> Node:
        child = Node(kind, item, self, len(self.children))
        self.children.append(child)
        return child


class WeekTreeModel(QAbstractItemModel):
    """The week: doctors, their days, the rounds (or the separate ÅMV time) of each day and
    the ÅMV in them."""

    HEADERS = ("Läkare / dag / rond / patient", "Tid", "Enhet", "Status", "Förberedelse",
               "Anmärkning")
    STATUS_COLUMN = 3
    PREP_COLUMN = 4
    REMARK_COLUMN = 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = Node("root", None)

    def set_week(self, week: WeekData | None,
                 cancelled: Sequence[AnnualReview] = ()) -> None:
        """The week; ``cancelled`` (Inställd ÅMV, which the week's rounds no longer hold)
        are shown greyed on their day, with their reason."""
        self.beginResetModel()
        old, self._root = self._root, _tree(week, cancelled)
        self.endResetModel()
        for node in [old, *self._walk(old)]:  # a parent and its children are a cycle: the
            node.children, node.parent = [], None  # old tree dies by refcounting (ui.heap)

    def update_week(self, week: WeekData | None,
                    cancelled: Sequence[AnnualReview] = ()) -> bool:
        """The same week read again (issue 17): when it has the same rows (doctors, days,
        rounds, the same ÅMV in them) only the rows whose content changed are updated
        (``dataChanged``; selection, folding and scrolling stay); False, and nothing done,
        when rows come or go (the caller sets the week instead)."""
        new = _tree(week, cancelled)
        old_nodes, new_nodes = self._walk(self._root), self._walk(new)
        if [_shape(n) for n in old_nodes] != [_shape(n) for n in new_nodes]:
            return False
        last = len(self.HEADERS) - 1
        for old, fresh in zip(old_nodes, new_nodes, strict=True):
            if old.item != fresh.item:
                old.item = fresh.item
                self.dataChanged.emit(self.createIndex(old.row, 0, old),
                                      self.createIndex(old.row, last, old))
        return True

    # --- finding --------------------------------------------------------------------------
    def node(self, index: Index) -> Node:
        if not index.isValid():
            return self._root
        node = index.internalPointer()
        assert isinstance(node, Node)
        return node

    def review_at(self, index: Index) -> WeekReview | None:
        node = self.node(index)
        return node.item if node.kind == REVIEW else None

    def matter_at(self, index: Index) -> WeekMatter | None:
        node = self.node(index)
        return node.item if node.kind == MATTER else None

    def round_at(self, index: Index) -> WeekRound | None:
        """The round of a round row, or of an ÅMV or matter row in it."""
        node = self.node(index)
        while node.parent is not None and node.kind != ROUND:
            node = node.parent
        return node.item if node.kind == ROUND else None

    def find_matter(self, matter_id: int) -> QModelIndex:
        for node in self._walk(self._root):
            if node.kind == MATTER and node.item.id == matter_id:
                return self.index_of(node)
        return QModelIndex()

    def index_of(self, node: Node) -> QModelIndex:
        if node is self._root:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def spanned(self) -> list[QModelIndex]:
        """The doctor, day and folded-days rows (their text spans the row)."""
        return [self.index_of(n) for n in self._walk(self._root)
                if n.kind in (DOCTOR, DAY, FOLDED)]

    def nodes(self) -> list[Node]:
        """Every row of the tree, in the order shown."""
        return self._walk(self._root)

    def find_visit(self, visit_id: int) -> QModelIndex:
        for node in self._walk(self._root):
            if node.kind == REVIEW and node.item.visit_id == visit_id:
                return self.index_of(node)
        return QModelIndex()

    def _walk(self, node: Node) -> list[Node]:
        return [n for child in node.children for n in (child, *self._walk(child))]

    # --- Qt -------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(self.HEADERS) or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        node = self.node(parent)
        if row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: Index | None = None) -> Any:  # Qt's two parent() overloads
        if index is None:
            return QObject.parent(self)
        if not index.isValid():
            return QModelIndex()
        up = self.node(index).parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self.node(index)
        column = index.column()
        if role == ROW_ROLE:
            return node.item
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(node, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(node, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return _background(node, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return _foreground(node, column)
        if role == Qt.ItemDataRole.FontRole and (
                node.kind in (DOCTOR, DAY)
                or (node.kind == REVIEW and column == self.STATUS_COLUMN
                    and node.item.unrecorded)):
            return bold()
        return None


def _tree(week: WeekData | None, cancelled: Sequence[AnnualReview]) -> Node:
    """The rows of the week: doctor → day → round (or ÅMV time) → ÅMV; the cancelled ÅMV
    greyed on their day; a doctor's days with nothing on them folded into one row."""
    root = Node("root", None)
    gone_by: dict[tuple[str, object], list[AnnualReview]] = {}
    for gone in cancelled:
        gone_by.setdefault((gone.doctor, gone.date), []).append(gone)
    for d in week.doctors if week is not None else ():
        doctor = root.add(DOCTOR, d)
        empty: list[WeekDay] = []
        for day in d.days:
            withdrawn = gone_by.get((d.doctor, day.date), [])
            if not _shown_day(day, withdrawn):
                empty.append(day)
                continue
            day_node = doctor.add(DAY, day)
            for rnd in day.rounds:
                round_node = day_node.add(ROUND, rnd)
                for review in rnd.reviews:
                    round_node.add(REVIEW, review)
                for matter in rnd.matters:
                    round_node.add(MATTER, matter)
            for gone in withdrawn:
                day_node.add(REVIEW, WeekReview(gone))
        if empty:
            doctor.add(FOLDED, tuple(empty))
    return root


def _shape(node: Node) -> tuple[object, ...]:
    """What makes a row the same row when the week is read again."""
    parent = node.parent
    depth = 0
    while parent is not None:
        depth, parent = depth + 1, parent.parent
    if node.kind == DOCTOR:
        return (depth, DOCTOR, node.item.doctor)
    if node.kind == DAY:
        return (depth, DAY, node.item.date)
    if node.kind == ROUND:
        return (depth, ROUND, node.item.unit, node.item.separate)
    if node.kind == FOLDED:
        return (depth, FOLDED, tuple(day.date for day in node.item))
    if node.kind == MATTER:
        return (depth, MATTER, node.item.id)
    return (depth, REVIEW, node.item.review.visit_id)


def _text(node: Node, column: int) -> str:
    """Doctor and day rows have their text in the first column (the view spans it)."""
    if node.kind == DOCTOR:
        d: DoctorWeek = node.item
        return f"{d.doctor} – {d.summary}" if column == 0 else ""
    if node.kind == FOLDED:
        return folded_text(node.item) if column == 0 else ""
    if node.kind == DAY:
        day: WeekDay = node.item
        parts = [day.label.capitalize(), day.absence, "" if day.rounds else "ingen rond"]
        return " · ".join(p for p in parts if p) if column == 0 else ""
    if node.kind == ROUND:
        r: WeekRound = node.item
        label = "ÅMV-tid" if r.separate else ("Telefonrond" if r.form == "Telefon" else "Rond")
        status = "Inställd" if r.cancelled else r.time_used_text
        return {0: label, 1: r.time_text, 2: r.unit, 3: status, 5: r.remark}.get(column, "")
    if node.kind == MATTER:
        return _matter_text(node.item, column)
    w: WeekReview = node.item
    remark = (f"Behöver nytt datum: {w.review.needs_new_date}" if w.review.needs_new_date
              else outcome_remark(w.review))
    prep = "" if w.unrecorded else w.prep.text  # past: recording comes first
    return {0: w.patient, 1: w.time_text or "–", 2: w.unit, 3: w.status_text,
            4: prep, 5: remark}.get(column, "")


def _matter_text(x: WeekMatter, column: int) -> str:
    """Kind and patient, clock time, unit, status, minutes, who raises it (never the note:
    only the planning basis prints it)."""
    m = x.matter
    what = f"{m.kind}: {m.patient}" if m.patient else m.kind
    status = "Ej registrerat" if x.to_record else m.status
    detail = f"{m.minutes} min" + (f" · {m.by}" if m.by else "")
    remark = m.reason if m.reason else ("Räknas som ÅMV" if m.counts_as_review else "")
    return {0: what, 1: x.time_text or "–", 2: m.unit, 3: status, 4: detail,
            5: remark}.get(column, "")


def _tooltip(node: Node, column: int) -> str | None:
    if node.kind == ROUND and column == WeekTreeModel.STATUS_COLUMN and node.item.overbooked:
        return "Ronden är överbokad: ÅMV, övrig tid och ärenden tar mer tid än rondens längd"
    if node.kind == MATTER and node.item.to_record:
        return "Ronden har passerat: registrera Genomförd, Flyttad eller Struken"
    if node.kind != REVIEW:
        return None
    w: WeekReview = node.item
    if column == WeekTreeModel.PREP_COLUMN and w.prep.total:
        lines = []
        if w.prep.late_steps:
            lines.append("Sena: " + ", ".join(w.prep.late_steps))
        if w.prep.due_steps:
            lines.append("Att göra nu: " + ", ".join(w.prep.due_steps))
        if w.prep.open_steps and not lines:
            lines.append("Kvar: " + ", ".join(w.prep.open_steps))
        return "\n".join(lines) or "Alla steg är klara"
    if w.unrecorded:
        return "ÅMV:n har passerat utan att registreras: Genomförd, Avböjd eller Inställd"
    return None


def _background(node: Node, column: int) -> QBrush | None:
    if node.kind == MATTER and column in (0, WeekTreeModel.STATUS_COLUMN):
        if node.item.to_record:
            return QBrush(LATE_BG)
        if column == WeekTreeModel.STATUS_COLUMN and node.item.matter.status == "Genomförd":
            return QBrush(DONE_BG)
    if node.kind != REVIEW:
        return None
    w: WeekReview = node.item
    if w.unrecorded and column in (0, WeekTreeModel.STATUS_COLUMN):
        return QBrush(LATE_BG)
    if column in (0, WeekTreeModel.PREP_COLUMN):
        if w.prep.state == LATE:
            return QBrush(LATE_BG)
        if w.prep.state == DUE:
            return QBrush(DUE_BG)
    if column == WeekTreeModel.STATUS_COLUMN and w.status == VisitStatus.DONE:
        return QBrush(DONE_BG)
    return None


def _foreground(node: Node, column: int) -> QBrush | None:
    if node.kind == ROUND:
        r: WeekRound = node.item
        remark = column == WeekTreeModel.REMARK_COLUMN
        if r.cancelled:
            return QBrush(LATE_FG) if remark else QBrush(MUTED)
        if remark and r.remark_kind == "sub":
            return QBrush(SUB_FG)
        if column == WeekTreeModel.STATUS_COLUMN and r.overbooked:
            return QBrush(OVER_FG)  # red: more booked than the round's length
    if node.kind == DAY and node.item.absence:
        return QBrush(SUB_FG)
    if node.kind == FOLDED:
        return QBrush(MUTED)
    if node.kind == MATTER and node.item.matter.status in ("Flyttad", "Struken"):
        return QBrush(MUTED)
    if node.kind == REVIEW and node.item.status in WITHDRAWN:
        return QBrush(MUTED)  # not held: greyed, with its reason
    if (node.kind == REVIEW and column == WeekTreeModel.REMARK_COLUMN
            and node.item.review.needs_new_date):
        return QBrush(LATE_FG)
    return None


__all__ = ["DUE_BG", "ChecklistModel", "TodoModel", "WeekTreeModel", "folded_text"]
