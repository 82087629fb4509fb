"""Import a filled template into the store: all or nothing, in one transaction.

Doctors and units are matched by name (case-insensitively), patients by personnummer and
otherwise by name and unit. Matched rows are updated in place, new rows added; nothing is
deleted. Every added or changed row gets an audit row. Importing the same workbook twice
changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any  # Any: openpyxl cells, audit JSON, rows of several models

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from lakarrond.io.excel_import import read_workbook
from lakarrond.io.import_data import (
    AbsenceRow,
    DoctorRow,
    ImportData,
    ImportSettings,
    PatientRow,
    UnitRow,
)
from lakarrond.services.raised import raise_breakpoint, raise_move_in
from lakarrond.store import Database, audit
from lakarrond.store import models as m
from lakarrond.today import today as todays_date

KINDS = ("Vårdcentraler", "Läkare", "Frånvaro", "Enheter", "Patienter", "Inställningar")
IMPORT_LOCK = 0x4C414B41  # PostgreSQL advisory lock key: one import at a time ("LAKA")


@dataclass
class KindCount:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """What an import did, per kind (Swedish kind names as in :data:`KINDS`)."""

    file: str
    counts: dict[str, KindCount] = field(default_factory=lambda: {k: KindCount() for k in KINDS})
    year: int | None = None
    patients_not_in_file: int = 0
    warnings: list[str] = field(default_factory=list)  # cells taken but worth a look
    raised: list[str] = field(default_factory=list)  # matters the import raised (Swedish)

    @property
    def added(self) -> int:
        return sum(c.added for c in self.counts.values())

    @property
    def changed(self) -> int:
        return sum(c.changed for c in self.counts.values())

    @property
    def errors(self) -> list[str]:  # a successful import has none (the CLI looks for them)
        return []

    def summary(self) -> str:
        lines = [f"Importen är klar: {self.file}"]
        for kind in KINDS:
            c = self.counts[kind]
            if c.added or c.changed or c.unchanged:
                lines.append(f"  {kind}: {c.added} nya, {c.changed} ändrade, "
                             f"{c.unchanged} oförändrade")
        if not self.added and not self.changed:
            lines.append("  Inget ändrades – databasen stämde redan med filen.")
        if self.patients_not_in_file:
            lines.append(f"  {self.patients_not_in_file} patienter finns i databasen men inte i "
                         "filen; de har inte ändrats.")
        if self.warnings:
            lines.append("  Att kontrollera:")
            lines += [f"    {warning}" for warning in self.warnings]
        if self.raised:
            lines.append("  Ärenden från programmet (flytt, palliativ vård):")
            lines += [f"    {text}" for text in self.raised]
        return "\n".join(lines)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _weekdays(days: tuple[int, ...]) -> str:
    return ",".join(str(d) for d in days)


def _json(value: Any) -> Any:
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def _apply(obj: Any, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set the differing attributes; return (before, after) of what changed, for the audit
    (which masks personnummer itself)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            setattr(obj, name, value)
            before[name], after[name] = _json(old), _json(value)
    return before, after


def _named_doctor_id(row: PatientRow, unit: m.Unit, doctors: dict[str, m.Doctor]) -> int | None:
    """The patient's named doctor's id; None when the cell is empty or names the unit's."""
    if not row.doctor:
        return None
    doctor = doctors[_key(row.doctor)]
    return None if doctor.id == unit.doctor_id else doctor.id


class _Import:
    def __init__(self, session: Session, report: ImportReport) -> None:
        self.session = session
        self.report = report
        self.created: list[tuple[str, Any, dict[str, Any]]] = []
        self.moved: list[m.Patient] = []  # an existing patient whose Enhet changed
        self.palliative: list[m.Patient] = []  # a patient whose Palliativ från was set

    def count(self, kind: str, before: dict[str, Any] | None, entity: str, obj: Any,
              after: dict[str, Any] | None, patient: bool = False) -> None:
        counts = self.report.counts[kind]
        if before is None:
            counts.added += 1
        elif after:
            counts.changed += 1
            audit(self.session, "update", entity, obj.id,
                  patient_id=obj.id if patient else None, before=before, after=after)
        else:
            counts.unchanged += 1

    def created_later(self, entity: str, obj: Any, values: dict[str, Any]) -> None:
        shown = {k: _json(v) for k, v in values.items()}
        self.created.append((entity, obj, shown))

    def upsert(self, sheet: str, entity: str, model: type, existing: Any,
               values: dict[str, Any], patient: bool = False) -> Any:
        """Update ``existing`` in place with ``values``, or add a new ``model`` row when
        there is none; counted and audited either way. Returns the row."""
        if existing is None:
            row = model(**values)
            self.session.add(row)
            self.created_later(entity, row, values)
            self.count(sheet, None, entity, row, values)
            return row
        before, after = _apply(existing, values)
        self.count(sheet, before, entity, existing, after, patient=patient)
        return existing

    def audit_created(self) -> None:
        self.session.flush()
        for entity, obj, values in self.created:
            audit(self.session, "create", entity, obj.id,
                  patient_id=obj.id if entity == "patient" else None, after=values)

    # -- health centres and doctors ---------------------------------------------------------

    def centres(self, rows: tuple[DoctorRow, ...]) -> dict[str, m.HealthCentre]:
        found = {_key(c.name): c for c in self.session.scalars(select(m.HealthCentre))}
        used: set[str] = set()
        for row in rows:
            key = _key(row.health_centre)
            if key in used:
                continue
            used.add(key)
            if key in found:
                self.report.counts["Vårdcentraler"].unchanged += 1
                continue
            centre = found[key] = m.HealthCentre(name=row.health_centre)
            self.session.add(centre)
            self.report.counts["Vårdcentraler"].added += 1
            self.created_later("health_centre", centre, {"name": row.health_centre})
        self.session.flush()
        return found

    def doctors(self, rows: tuple[DoctorRow, ...]) -> dict[str, m.Doctor]:
        centres = self.centres(rows)
        found = {_key(d.name): d for d in self.session.scalars(select(m.Doctor))}
        for row in rows:
            values = {
                "name": row.name,
                "health_centre_id": centres[_key(row.health_centre)].id,
                "review_weekdays": _weekdays(row.review_weekdays),
                "reviews_per_day": row.reviews_per_day,
            }
            found[_key(row.name)] = self.upsert("Läkare", "doctor", m.Doctor,
                                                found.get(_key(row.name)), values)
        self.session.flush()
        return found

    def absences(self, rows: tuple[AbsenceRow, ...], doctors: dict[str, m.Doctor]) -> None:
        found = {(a.doctor_id, a.start, a.end): a for a in self.session.scalars(select(m.Absence))}
        for row in rows:
            doctor = doctors[_key(row.doctor)]
            values = {"doctor_id": doctor.id, "start": row.start, "end": row.end,
                      "reason": row.reason, "substitute": row.substitute, "phone": row.phone}
            key = (doctor.id, row.start, row.end)
            found[key] = self.upsert("Frånvaro", "absence", m.Absence, found.get(key), values)

    # -- units and patients -----------------------------------------------------------------

    def units(self, rows: tuple[UnitRow, ...], doctors: dict[str, m.Doctor]) -> dict[str, m.Unit]:
        found = {_key(u.name): u for u in self.session.scalars(select(m.Unit))}
        for row in rows:
            values = {
                "name": row.name,
                "type": row.type.value,
                "doctor_id": doctors[_key(row.doctor)].id,
                "nurse": row.nurse,
                "rhythm_kind": row.rhythm.value,
                "parity": row.parity.value if row.parity else None,
                "weekdays": _weekdays(row.weekdays),
                "start_time": row.start_time,
                "length_min": row.length_min,
                "form": row.form.value,
                "reviews_in_round": row.reviews_in_round,
                "reviews_per_round": row.reviews_per_round,
                "review_minutes": row.review_minutes,
                "other_minutes": row.other_minutes,
            }
            found[_key(row.name)] = self.upsert("Enheter", "unit", m.Unit,
                                                found.get(_key(row.name)), values)
        self.session.flush()
        return found

    def patients(self, rows: tuple[PatientRow, ...], units: dict[str, m.Unit],
                 doctors: dict[str, m.Doctor]) -> None:
        existing = list(self.session.scalars(select(m.Patient)))
        by_number = {p.personnummer: p for p in existing if p.personnummer}
        by_name: dict[tuple[str, int], list[m.Patient]] = {}
        for patient in sorted(existing, key=lambda p: p.id):
            by_name.setdefault((_key(patient.name), patient.unit_id), []).append(patient)
        used: set[int] = set()
        matches: dict[int, m.Patient] = {}
        for row in rows:  # personnummer first, so a name match never takes a numbered one
            numbered = by_number.get(row.personnummer) if row.personnummer else None
            if numbered is not None:
                matches[row.row] = numbered
                used.add(numbered.id)
        for row in rows:
            if row.row in matches:
                continue
            unit_id = units[_key(row.unit)].id
            for candidate in by_name.get((_key(row.name), unit_id), []):
                if candidate.id in used:
                    continue
                if row.personnummer and candidate.personnummer:
                    continue  # a different person with the same name
                matches[row.row] = candidate
                used.add(candidate.id)
                break
        for row in rows:
            values: dict[str, Any] = {
                "name": row.name,
                "unit_id": units[_key(row.unit)].id,
                "room": row.room,
                "admitted": row.admitted,
                "last_review": row.last_review,
                "status": row.status.value,
                "end_date": row.end_date,
                "excluded": row.excluded,
                "palliative_from": row.palliative_from,
                # the named contacts; the unit's own doctor or nurse is stored as empty
                "doctor_id": _named_doctor_id(row, units[_key(row.unit)], doctors),
                "nurse": "" if row.nurse == (units[_key(row.unit)].nurse or "") else row.nurse,
                "no_relatives": row.no_relatives,
            }
            if row.personnummer:  # an empty cell keeps a personnummer already stored
                values["personnummer"] = row.personnummer
                values["birth_date"] = row.birth_date
            match = matches.get(row.row)
            old = (match.unit_id, match.palliative_from) if match else (None, None)
            saved = self.upsert("Patienter", "patient", m.Patient, match, values, patient=True)
            if match is not None and old[0] != saved.unit_id:
                self.moved.append(saved)
            if saved.palliative_from is not None and old[1] != saved.palliative_from:
                self.palliative.append(saved)
        self.report.patients_not_in_file = len(existing) - len(used)

    # -- settings ---------------------------------------------------------------------------

    def settings(self, given: ImportSettings) -> None:
        year = given.year
        self.report.year = year
        if year is None:
            return
        values = {
            "summer_weeks": given.summer_weeks,
            "new_patient_days": given.new_patient_days,
            "max_interval_months": given.max_interval_months,
            "min_interval_months": given.min_interval_months,
            "preparation_days": given.preparation_days,
            "doctor_hours_per_10": given.doctor_hours_per_10,
        }
        stored = {s.key: s for s in self.session.scalars(
            select(m.Setting).where(m.Setting.year == year))}
        for key, value in values.items():
            if value is None:
                continue
            text = (",".join(str(w) for w in value) if isinstance(value, tuple)
                    else str(value))
            setting = stored.get(key)
            counts = self.report.counts["Inställningar"]
            if setting is None:
                self.session.add(m.Setting(year=year, key=key, value=text))
                counts.added += 1
                audit(self.session, "create", "setting", f"{year}:{key}", after={key: text})
            elif setting.value != text:
                audit(self.session, "update", "setting", f"{year}:{key}",
                      before={key: setting.value}, after={key: text})
                setting.value = text
                counts.changed += 1
            else:
                counts.unchanged += 1


def store_import(session: Session, data: ImportData, report: ImportReport) -> None:
    """Write validated import data into the caller's transaction."""
    work = _Import(session, report)
    doctors = work.doctors(data.doctors)
    work.absences(data.absences, doctors)
    units = work.units(data.units, doctors)
    work.patients(data.patients, units, doctors)
    work.settings(data.settings)
    work.audit_created()
    _raise(session, work, report)
    if report.added or report.changed:
        audit(session, "import", "workbook", report.file, after={
            kind: {"nya": c.added, "ändrade": c.changed}
            for kind, c in report.counts.items() if c.added or c.changed
        })


def _raise(session: Session, work: _Import, report: ImportReport) -> None:
    """The matters the import raises (services.raised): a patient whose Enhet changed has
    moved today; a patient whose Palliativ från was set gets a Brytpunktsamtal."""
    today = todays_date()
    session.flush()
    found = []
    for patient in work.moved:
        session.refresh(patient)
        found.append(raise_move_in(session, patient, today))
    for patient in work.palliative:
        session.refresh(patient)
        found.append(raise_breakpoint(session, patient, today))
    report.raised += [r.message for r in found if r is not None]


def _length(model: type, column: str) -> int:
    # SQLAlchemy types __table__ as FromClause on declarative classes; it is a Table here
    return int(model.__table__.c[column].type.length)  # type: ignore[attr-defined]  # String columns have .length


def text_limits() -> dict[tuple[str, str], int]:
    """The store's column lengths for the template's free-text columns."""
    return {
        ("Läkare", "Namn"): _length(m.Doctor, "name"),
        ("Läkare", "Vårdcentral"): _length(m.HealthCentre, "name"),
        ("Frånvaro", "Orsak"): _length(m.Absence, "reason"),
        ("Frånvaro", "Vikarie"): _length(m.Absence, "substitute"),
        ("Enheter", "Enhet"): _length(m.Unit, "name"),
        ("Enheter", "Sjuksköterska"): _length(m.Unit, "nurse"),
        ("Patienter", "Namn"): _length(m.Patient, "name"),
        ("Patienter", "Rum"): _length(m.Patient, "room"),
        ("Patienter", "Undantag"): _length(m.Patient, "excluded"),
        ("Patienter", "Sjuksköterska"): _length(m.Patient, "nurse"),
    }


def import_workbook(db: Database, path: Path) -> ImportReport:
    """Read and check the workbook, then write it in one transaction (all or nothing).

    Raises :class:`lakarrond.io.import_data.ImportFailed` (a ``ValueError``) listing every
    bad cell; nothing is written then."""
    path = Path(path)
    data = read_workbook(path, text_limits())
    report = ImportReport(file=path.name, warnings=[str(w) for w in data.warnings])
    with db.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            # imports wait for each other (SQLite: BEGIN IMMEDIATE does this already), so two
            # at once never both add the same health centre
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})
        store_import(session, data, report)
    return report


__all__ = ["ImportReport", "KindCount", "import_workbook", "store_import", "text_limits"]
