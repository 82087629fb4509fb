"""Single round-date changes per unit (issue 14.4): a one-off *extra* round on a date
outside the rhythm, or a *cancelled* round on one of the rhythm's dates. Each call is one
audited transaction; :func:`round_changes_by_unit` (in services.problem) gives the planner
the dates.

Rules: an extra round only on a working day (R2) that is not already a held round date of
the unit (a rhythm date the calendar cancels, e.g. in a summer week, may get an extra round);
a cancelled round only on a round date the calendar holds. When the rhythm changes later, a
stored change may no longer fit; :func:`list_round_changes` says so in ``problem``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from lakarrond.errors import BadInput, Where
from lakarrond.services.common import day_text, jsonable
from lakarrond.services.problem import round_changes_by_unit, to_solver_unit
from lakarrond.store import ConflictError, Database, audit
from lakarrond.store import models as m
from lakarrond.store.settings import read_settings
from solver.calendar import WorkCalendar
from solver.rounds import RoundDate, unit_round_dates

EXTRA = m.RoundChangeKind.EXTRA
CANCELLED = m.RoundChangeKind.CANCELLED
KIND_LABELS: dict[str, str] = {EXTRA: "Extra rond", CANCELLED: "Inställd rond"}
MAX_NOTE_LENGTH = 200


@dataclass(frozen=True)
class RoundChangeData:
    unit_id: int
    date: date
    kind: str  # EXTRA | CANCELLED
    note: str = ""


@dataclass(frozen=True)
class RoundChangeRow:
    id: int
    unit: str
    data: RoundChangeData
    problem: str = ""  # why the change no longer fits the unit's rounds; "" when it does

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.data.kind, self.data.kind)


class _Calendars:
    """One work calendar per year, with the year's stored settings."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._by_year: dict[int, WorkCalendar] = {}

    def __call__(self, year: int) -> WorkCalendar:
        if year not in self._by_year:
            self._by_year[year] = WorkCalendar(read_settings(self.session, year))
        return self._by_year[year]


def _rhythm_date(unit: m.Unit, day: date, cal: WorkCalendar) -> RoundDate | None:
    """The unit's rhythm date on ``day`` (held or cancelled by the calendar), or None."""
    rows = unit_round_dates(to_solver_unit(unit), cal, day, day)
    return rows[0] if rows else None


def _problem(unit: m.Unit, day: date, kind: str, cal: WorkCalendar) -> str:
    """Why ``kind`` on ``day`` does not fit ``unit`` (Swedish), or ""."""
    regular = _rhythm_date(unit, day, cal)
    if kind == EXTRA:
        if not cal.is_working_day(day):
            reason = cal.closed_reason(day) or "ingen arbetsdag"
            return f"{day_text(day)} är ingen arbetsdag ({reason})."
        if regular is not None and not regular.cancelled:
            return f"{day_text(day)} är redan ronddag för {unit.name}."
        return ""
    if kind == CANCELLED:
        if regular is None:
            return f"{unit.name} har ingen rond {day_text(day)}."
        if regular.cancelled:
            return f"Ronden {day_text(day)} är redan inställd ({regular.cancel_reason})."
        return ""
    return f"Okänd ändring \"{kind}\" (extra eller inställd)."


def validate(data: RoundChangeData) -> list[str]:
    """Checks that need no database (Swedish, naming the field)."""
    errors = []
    if data.kind not in KIND_LABELS:
        errors.append(f"Typ: okänd ändring \"{data.kind}\" (extra eller inställd).")
    if len(data.note.strip()) > MAX_NOTE_LENGTH:
        errors.append(f"Anteckning: högst {MAX_NOTE_LENGTH} tecken.")
    return errors


def add_round_change(
    db: Database, unit_id: int, day: date, kind: str, note: str = "",
    change_id: int | None = None,
) -> int:
    """Add an extra or a cancelled round date to a unit; returns the new change's id (undo:
    :func:`remove_round_change`). With ``change_id`` a removed change is put back under its
    old id (undo of a remove, redo of an add)."""
    data = RoundChangeData(unit_id, day, kind, note.strip())
    errors = validate(data)
    if errors:
        raise BadInput("\n".join(errors))
    with db.begin() as s:
        unit = s.get(m.Unit, unit_id)
        if unit is None:
            raise ConflictError("enheten")
        existing = s.scalars(select(m.RoundChange).where(
            m.RoundChange.unit_id == unit_id, m.RoundChange.date == day)).first()
        if existing is not None:
            raise BadInput(
                f"{unit.name} har redan en ändring {day_text(day)} "
                f"({KIND_LABELS.get(existing.kind, existing.kind).lower()}); ta bort den först.",
                where=Where(field="Datum", value=day.isoformat()))
        problem = _problem(unit, day, kind, WorkCalendar(read_settings(s, day.year)))
        if problem:
            raise BadInput(f"{KIND_LABELS[kind]}: {problem}",
                           where=Where(field="Datum", value=day.isoformat()))
        change = m.RoundChange(unit_id=unit_id, date=day, kind=kind, note=data.note)
        if change_id is not None:
            if s.get(m.RoundChange, change_id) is not None:
                raise ConflictError("enheten")
            change.id = change_id
        s.add(change)
        try:
            s.flush()
        except IntegrityError as exc:  # someone added a change on the same date meanwhile
            raise ConflictError("enheten") from exc
        audit(s, "create", "round_change", change.id,
              after=jsonable({"unit": unit.name, "date": day, "kind": kind, "note": data.note}))
        return change.id


def remove_round_change(db: Database, change_id: int) -> RoundChangeData | None:
    """Remove a change; returns what it was (None when it is already gone; undo:
    :func:`add_round_change` with it)."""
    with db.begin() as s:
        change = s.get(m.RoundChange, change_id)
        if change is None:
            return None
        data = RoundChangeData(change.unit_id, change.date, change.kind, change.note or "")
        audit(s, "delete", "round_change", change.id,
              before=jsonable({"unit": change.unit.name, "date": change.date,
                               "kind": change.kind, "note": data.note}))
        s.delete(change)
        return data


def list_round_changes(db: Database, unit_id: int | None = None) -> list[RoundChangeRow]:
    """The changes (of one unit, or all) by unit name and date, each checked against the
    unit's current rhythm and the year's calendar."""
    with db.read() as s:
        query = (select(m.RoundChange).join(m.RoundChange.unit)
                 .options(selectinload(m.RoundChange.unit).selectinload(m.Unit.doctor))
                 .order_by(m.Unit.name, m.RoundChange.date))
        if unit_id is not None:
            query = query.where(m.RoundChange.unit_id == unit_id)
        calendars = _Calendars(s)
        rows = []
        for c in s.scalars(query).all():
            try:
                problem = _problem(c.unit, c.date, c.kind, calendars(c.date.year))
            except BadInput as exc:  # the unit's rhythm itself is broken
                problem = exc.message
            rows.append(RoundChangeRow(
                id=c.id, unit=c.unit.name,
                data=RoundChangeData(c.unit_id, c.date, c.kind, c.note or ""),
                problem=problem))
        return rows


RoundChangeDates = tuple[tuple[date, ...], tuple[date, ...]]  # (extra, cancelled)
__all__ = ["RoundChangeDates", "add_round_change", "list_round_changes",
           "remove_round_change", "round_changes_by_unit"]
