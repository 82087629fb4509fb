"""Ändringar sedan: the patients admitted, moved, discharged and deceased since a date – the
list the kommun sends the health centre (issue 18 point 5; Västerbotten §11.2: "underrätta
aktuell hälsocentral när ny patient flyttat in, ut eller avlidit").

Pure data (no store, no Qt): :func:`census_rows` computes the list once from plain facts
(the patients as they are now, the units with their doctor and health centre, the unit
changes read from the audit log); the window, the command line, the Excel, PDF and JSON
files all read that one list.

A move's date is the day it was recorded (the audit row's date, local time): the form, the
import and an undo all write an audit row with the unit before and after. An undo writes
the action ``undo``: it cancels the move it reverses (a move undone is not a move), and a
redo afterwards is a move again, on the day of the redo.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any  # Any: JSON edge: one row as the contract's dict


class CensusKind(StrEnum):
    """What happened to the patient (the contract's ``kind``, in Swedish)."""

    ADMITTED = "Inskriven"
    MOVED = "Flyttad"
    DISCHARGED = "Utskriven"
    DECEASED = "Avliden"


KIND_ORDER = {k: n for n, k in enumerate(CensusKind)}
UNKNOWN_UNIT = "okänd enhet"


@dataclass(frozen=True)
class CensusUnit:
    """A unit with its doctor and the doctor's health centre (as they are now)."""

    id: int
    name: str
    doctor: str
    health_centre: str


@dataclass(frozen=True)
class CensusPatient:
    """A patient as stored now."""

    id: int
    name: str
    personnummer: str | None
    unit_id: int
    admitted: date
    status: str  # PatientStatus value: Aktiv, Utskriven, Avliden
    end_date: date | None
    doctor: str | None = None  # the patient's named doctor; None: the unit's
    health_centre: str | None = None  # that doctor's health centre


@dataclass(frozen=True)
class UnitChange:
    """One audited change of a patient's unit, in the order of the audit log (``seq``)."""

    seq: int  # the audit row's id
    patient_id: int
    on: date  # the day it was recorded (local time)
    from_unit: int
    to_unit: int
    undo: bool = False  # written by an undo: reverses an earlier change


@dataclass(frozen=True)
class CensusRow:
    """One line of the list."""

    kind: CensusKind
    date: date
    patient_id: int
    patient: str
    personnummer: str | None
    unit: str  # for a move: the new unit
    doctor: str
    health_centre: str
    from_unit: str = ""  # for a move: the unit the patient came from
    from_health_centre: str = ""  # and its health centre (the one the patient left)

    def to_json(self, include_personnummer: bool = True) -> dict[str, Any]:
        """The contract's row (docs/contracts.md, ``andringar --json``)."""
        return {"kind": self.kind.value, "date": self.date.isoformat(),
                "patient": self.patient,
                "personnummer": self.personnummer if include_personnummer else None,
                "unit": self.unit, "doctor": self.doctor, "health_centre": self.health_centre}


@dataclass(frozen=True)
class CensusList:
    """The list since a date, as every output shows it (sorted, see :func:`census_rows`)."""

    since: date
    rows: tuple[CensusRow, ...]


def live_moves(changes: Iterable[UnitChange]) -> list[UnitChange]:
    """The unit changes that stand: an undo cancels the latest standing change of the same
    patient that it reverses (and is not a move itself); a redo is an ordinary change."""
    standing: list[UnitChange] = []
    for change in sorted(changes, key=lambda c: c.seq):
        if not change.undo:
            standing.append(change)
            continue
        for i in range(len(standing) - 1, -1, -1):
            done = standing[i]
            if (done.patient_id == change.patient_id and done.from_unit == change.to_unit
                    and done.to_unit == change.from_unit):
                del standing[i]
                break
    return standing


def census_rows(patients: Iterable[CensusPatient], units: Mapping[int, CensusUnit],
                changes: Iterable[UnitChange], since: date,
                until: date | None = None) -> CensusList:
    """Everyone admitted (``admitted`` ≥ ``since``), moved (a standing unit change recorded
    on or after ``since``; two moves are two rows), discharged (status Utskriven,
    ``end_date`` ≥ ``since``) and deceased (status Avliden, ``end_date`` ≥ ``since``),
    sorted per health centre and doctor, then date, kind and name. An admission names the
    unit the patient came to (the first move's "from" when they moved later); the doctor
    and health centre of a row are the patient's named doctor's when given, else those of
    the row's unit now. With ``until`` (today), an admission, discharge or death dated
    after it is left out: it has not happened yet (it is listed once it has)."""
    moves = live_moves(changes)
    first_unit: dict[int, int] = {}
    for mv in moves:
        first_unit.setdefault(mv.patient_id, mv.from_unit)

    def row(kind: CensusKind, day: date, p: CensusPatient, unit_id: int,
            from_unit: int | None = None) -> CensusRow:
        unit = units.get(unit_id)
        came = units.get(from_unit) if from_unit is not None else None
        named = p.doctor is not None
        return CensusRow(
            kind=kind, date=day, patient_id=p.id, patient=p.name, personnummer=p.personnummer,
            unit=unit.name if unit else UNKNOWN_UNIT,
            doctor=p.doctor or "" if named else unit.doctor if unit else "",
            health_centre=(p.health_centre or "" if named
                           else unit.health_centre if unit else ""),
            from_unit=(came.name if came else UNKNOWN_UNIT) if from_unit is not None else "",
            from_health_centre=came.health_centre if came else "")

    by_id = {p.id: p for p in patients}
    rows: list[CensusRow] = []
    for p in by_id.values():
        if p.admitted >= since:
            rows.append(row(CensusKind.ADMITTED, p.admitted, p,
                            first_unit.get(p.id, p.unit_id)))
        if p.end_date is not None and p.end_date >= since:
            if p.status == CensusKind.DISCHARGED.value:
                rows.append(row(CensusKind.DISCHARGED, p.end_date, p, p.unit_id))
            elif p.status == CensusKind.DECEASED.value:
                rows.append(row(CensusKind.DECEASED, p.end_date, p, p.unit_id))
    for mv in moves:
        moved = by_id.get(mv.patient_id)
        if moved is not None and mv.on >= since:
            rows.append(row(CensusKind.MOVED, mv.on, moved, mv.to_unit, mv.from_unit))
    if until is not None:
        rows = [r for r in rows if r.date <= until]
    return CensusList(since, tuple(sorted(rows, key=sort_key)))


def sort_key(r: CensusRow) -> tuple[str, str, date, int, str, int]:
    """Per health centre and doctor, then date (then kind, name)."""
    return (r.health_centre.casefold(), r.doctor.casefold(), r.date, KIND_ORDER[r.kind],
            r.patient.casefold(), r.patient_id)


def unit_text(r: CensusRow) -> str:
    """"Solgården" or, for a move, "Solgården (från Björkgården)", naming the health centre
    left when it is another one: "Solgården (från Björkgården, VC Norr)"."""
    if not r.from_unit:
        return r.unit
    left = (f", {r.from_health_centre}" if r.from_health_centre
            and r.from_health_centre != r.health_centre else "")
    return f"{r.unit} (från {r.from_unit}{left})"


def census_json(rows: Sequence[CensusRow], include_personnummer: bool) -> list[dict[str, Any]]:
    return [r.to_json(include_personnummer) for r in rows]
