"""Patient use cases for the desktop app: list, add, edit, discharge, move, exclude, and the
ÅMV of a patient in the year plan (allowed dates, move, lock, done).

Each function opens its own transaction (one Session per user action), writes an audit row
in it, and turns an optimistic-lock clash into :class:`~lakarrond.store.ConflictError`
("Någon annan har ändrat patienten – läs in igen.").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lakarrond import pnr as pnr
from lakarrond.services.errors import BadInput
from lakarrond.services.plan import build_problem, latest_plan
from lakarrond.store import ConflictError, Database, audit
from lakarrond.store import models as m
from solver.calendar import WorkCalendar, preparation_date
from solver.problem import PatientStatus, VisitStatus

FIELDS = (
    "name", "personnummer", "unit_id", "room", "admitted", "last_review", "status",
    "end_date", "excluded",
)  # fmt: skip


@dataclass(frozen=True)
class PatientData:
    """The editable fields of a patient (what the form shows)."""

    name: str
    unit_id: int
    admitted: date
    personnummer: str | None = None
    room: str = ""
    last_review: date | None = None
    status: str = PatientStatus.ACTIVE.value
    end_date: date | None = None
    excluded: str = ""


@dataclass(frozen=True)
class PatientRow:
    """One patient as the table shows it (a plain snapshot, no Session behind it)."""

    id: int
    version: int
    data: PatientData
    unit: str
    doctor: str

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def masked(self) -> str:
        return pnr.mask(self.data.personnummer)


def validate(data: PatientData) -> list[str]:
    """Swedish messages for every bad field (empty list when the data is fine)."""
    errors = []
    if not data.name.strip():
        errors.append("Namn måste anges.")
    if data.personnummer and pnr.normalise(data.personnummer) is None:
        errors.append(f"Personnumret \"{data.personnummer}\" är ogiltigt (kontrollsiffran "
                      "stämmer inte eller formatet är fel; skriv ÅÅÅÅMMDD-NNNN).")
    if data.status not in {s.value for s in PatientStatus}:
        errors.append(f"Okänd status \"{data.status}\".")
    if data.status != PatientStatus.ACTIVE.value and data.end_date is None:
        errors.append(f"Status {data.status} kräver ett slutdatum.")
    if data.end_date is not None and data.end_date < data.admitted:
        errors.append("Slutdatum ligger före inskrivningsdatum.")
    return errors


def _snapshot(p: m.Patient) -> PatientRow:
    data = PatientData(
        name=p.name,
        unit_id=p.unit_id,
        admitted=p.admitted,
        personnummer=p.personnummer,
        room=p.room or "",
        last_review=p.last_review,
        status=p.status,
        end_date=p.end_date,
        excluded=p.excluded or "",
    )
    return PatientRow(id=p.id, version=p.version, data=data, unit=p.unit.name,
                      doctor=p.unit.doctor.name)


def _audit_values(data: PatientData | dict[str, Any]) -> dict[str, Any]:
    values = asdict(data) if isinstance(data, PatientData) else dict(data)
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "personnummer":
            value = pnr.mask(value) or None
        elif isinstance(value, date):
            value = value.isoformat()
        out[key] = value
    return out


def _clean(data: PatientData, stored_pnr: str | None = None) -> PatientData:
    """Validated and normalised data; a personnummer already stored as it is is kept."""
    unchanged = bool(data.personnummer) and data.personnummer == stored_pnr
    errors = validate(replace(data, personnummer=None) if unchanged else data)
    if errors:
        raise BadInput("\n".join(errors))
    if unchanged:
        number = data.personnummer
    else:
        number = pnr.normalise(data.personnummer) if data.personnummer else None
    end = data.end_date if data.status != PatientStatus.ACTIVE.value else None
    return replace(data, name=data.name.strip(), personnummer=number, room=data.room.strip(),
                   excluded=data.excluded.strip(), end_date=end)


def _check_unique(session: Any, data: PatientData, own_id: int | None) -> None:
    if session.get(m.Unit, data.unit_id) is None:
        raise BadInput("Enheten finns inte längre – läs in igen.")
    if data.personnummer:
        other = session.scalars(
            select(m.Patient).where(m.Patient.personnummer == data.personnummer)
        ).first()
        if other is not None and other.id != own_id:
            raise BadInput(f"Personnumret {data.personnummer} finns redan ({other.name}).")


def list_patients(db: Database) -> list[PatientRow]:
    with db.begin() as s:
        rows = s.scalars(
            select(m.Patient)
            .options(selectinload(m.Patient.unit).selectinload(m.Unit.doctor))
            .order_by(m.Patient.name, m.Patient.id)
        ).all()
        return [_snapshot(p) for p in rows]


def get_patient(db: Database, patient_id: int) -> PatientRow:
    with db.begin() as s:
        p = s.get(m.Patient, patient_id)
        if p is None:
            raise BadInput("Patienten finns inte längre – läs in igen.")
        return _snapshot(p)


def create_patient(db: Database, data: PatientData) -> PatientRow:
    """Add a patient; returns the saved row."""
    data = _clean(data)
    with db.begin() as s:
        _check_unique(s, data, None)
        p = m.Patient(**asdict(data), birth_date=pnr.birth_date(data.personnummer))
        s.add(p)
        s.flush()
        audit(s, "create", "patient", p.id, patient_id=p.id, after=_audit_values(data))
        s.refresh(p)
        return _snapshot(p)


def update_patient(
    db: Database, patient_id: int, data: PatientData, expected_version: int | None = None
) -> PatientRow:
    """Save the patient's fields. ``expected_version`` is the version the user edited; a
    different stored version means someone else changed the patient: ConflictError."""
    with db.begin() as s:
        p = s.get(m.Patient, patient_id)
        if p is None:
            raise ConflictError("patienten")
        data = _clean(data, p.personnummer)
        if expected_version is not None and p.version != expected_version:
            raise ConflictError("patienten")
        _check_unique(s, data, patient_id)
        old = _snapshot(p).data
        before, after = {}, {}
        for key in FIELDS:
            if getattr(old, key) != getattr(data, key):
                before[key], after[key] = getattr(old, key), getattr(data, key)
                setattr(p, key, getattr(data, key))
        if not after:
            return _snapshot(p)
        if "personnummer" in after:
            p.birth_date = pnr.birth_date(data.personnummer)
        s.flush()
        audit(s, "update", "patient", p.id, patient_id=p.id, before=_audit_values(before),
              after=_audit_values(after))
        s.refresh(p)
        return _snapshot(p)


def delete_patient(db: Database, patient_id: int, expected_version: int | None = None) -> None:
    """Remove a patient and their ÅMV (used to undo an add)."""
    with db.begin() as s:
        p = s.get(m.Patient, patient_id)
        if p is None:
            return
        if expected_version is not None and p.version != expected_version:
            raise ConflictError("patienten")
        before = _audit_values(_snapshot(p).data)
        for visit in s.scalars(select(m.Visit).where(m.Visit.patient_id == patient_id)):
            s.delete(visit)
        s.delete(p)
        audit(s, "delete", "patient", patient_id, patient_id=patient_id, before=before)


def restore_patient(db: Database, patient_id: int, data: PatientData) -> PatientRow:
    """Put a deleted patient back under the same id (used to redo an add after an undo)."""
    data = _clean(data)
    with db.begin() as s:
        if s.get(m.Patient, patient_id) is not None:
            raise ConflictError("patienten")
        _check_unique(s, data, None)
        p = m.Patient(id=patient_id, **asdict(data), birth_date=pnr.birth_date(data.personnummer))
        s.add(p)
        s.flush()
        audit(s, "create", "patient", p.id, patient_id=p.id, after=_audit_values(data))
        s.refresh(p)
        return _snapshot(p)


# --- the patient's ÅMV in the year plan ---------------------------------------------------


@dataclass(frozen=True)
class VisitRow:
    id: int
    version: int
    patient_id: int
    patient: str
    unit: str
    doctor: str
    date: date
    preparation: date
    status: str


@dataclass(frozen=True)
class AllowedDate:
    date: date
    free: int  # places left that day
    week_load: int  # ÅMV of the doctor that ISO week
    in_window: bool  # inside the patient's R7/R8 window
    note: str = ""

    @property
    def label(self) -> str:
        from solver.problem import WEEKDAY_NAMES_SV

        text = (f"{self.date.isoformat()} ({WEEKDAY_NAMES_SV[self.date.weekday()]}, "
                f"v. {self.date.isocalendar().week}) – {self.free} ledig(a), "
                f"{self.week_load} ÅMV den veckan")
        return text if self.in_window else f"{text} – utanför tidsfönstret"


@dataclass
class VisitChange:
    """A visit before and after a change (for undo)."""

    visit_id: int
    before: tuple[date, str]
    after: tuple[date, str]
    version: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _visit_row(v: m.Visit) -> VisitRow:
    return VisitRow(id=v.id, version=v.version, patient_id=v.patient_id, patient=v.patient.name,
                    unit=v.unit, doctor=v.doctor, date=v.date, preparation=v.preparation,
                    status=v.status)


def get_visit(db: Database, visit_id: int) -> VisitRow:
    with db.begin() as s:
        v = s.get(m.Visit, visit_id)
        if v is None:
            raise ConflictError("besöket")
        return _visit_row(v)


def set_visit(
    db: Database, visit_id: int, day: date, status: str, expected_version: int | None = None
) -> VisitRow:
    """Put the ÅMV on ``day`` with ``status`` (Planerad, Låst, Genomförd); audited."""
    if status not in {s.value for s in VisitStatus}:
        raise BadInput(f"Okänd status \"{status}\".")
    with db.begin() as s:
        v = s.get(m.Visit, visit_id)
        if v is None:
            raise ConflictError("besöket")
        if expected_version is not None and v.version != expected_version:
            raise ConflictError("besöket")
        if day.year != v.plan.year:
            raise BadInput(f"Datumet {day.isoformat()} ligger inte i planåret {v.plan.year}.")
        before = {"date": v.date.isoformat(), "status": v.status}
        if v.date != day:
            problem, _ = build_problem(s, v.plan.year)
            cal = WorkCalendar(problem.settings, problem.absences)
            v.preparation = preparation_date(day, cal, problem.settings.preparation_days)
            v.date = day
        v.status = status
        s.flush()
        audit(s, "update", "visit", v.id, patient_id=v.patient_id, before=before,
              after={"date": day.isoformat(), "status": status, "plan_version": v.plan.version})
        s.refresh(v)
        return _visit_row(v)


def allowed_dates(db: Database, visit_id: int) -> list[AllowedDate]:
    """The dates the ÅMV may move to, best first: inside the patient's window, free places
    left, fewest ÅMV of the doctor that week, closest to the current date."""
    from dateutil.relativedelta import relativedelta

    from solver.rounds import build_pools, pool_of

    with db.begin() as s:
        v = s.get(m.Visit, visit_id)
        if v is None:
            raise ConflictError("besöket")
        year = v.plan.year
        problem, _ = build_problem(s, year)
        patient = next(p for p in problem.patients if p.id == str(v.patient_id))
        unit = problem.unit(patient.unit)
        cal = WorkCalendar(problem.settings, problem.absences)
        pool_key = pool_of(unit)
        pool = build_pools(problem, cal, [unit]).get(pool_key)
        if pool is None:
            return []
        plan = latest_plan(s, year)
        visits = plan.visits if plan is not None else []
        pool_units = {u.name for u in problem.units if pool_of(u) == pool_key}
        used = Counter(x.date for x in visits if x.unit in pool_units and x.id != v.id)
        week_load = Counter(
            x.date.isocalendar()[:2] for x in visits if x.doctor == unit.doctor and x.id != v.id
        )
        settings = problem.settings
        if patient.last_review is not None:
            lo = patient.last_review + relativedelta(months=settings.min_interval_months)
            hi = patient.last_review + relativedelta(months=settings.max_interval_months)
        elif patient.admitted.year >= year:
            lo = patient.admitted
            hi = patient.admitted + relativedelta(days=settings.new_patient_days)
        else:
            lo, hi = date(year, 1, 1), date(year, 3, 31)
        current = v.date
    out = []
    for day, capacity in sorted(pool.capacity.items()):
        free = capacity - used.get(day, 0)
        if free <= 0 or day == current:
            continue
        out.append(AllowedDate(date=day, free=free,
                               week_load=week_load.get(day.isocalendar()[:2], 0),
                               in_window=lo <= day <= hi))
    out.sort(key=lambda a: (not a.in_window, a.week_load, abs((a.date - current).days)))
    return out


# --- the year plan as the desktop app shows it ---------------------------------------------


def plan_view_data(db: Database, year: int) -> dict[str, Any] | None:
    """The year's latest plan as the plan document (contracts §3 + writer extras), each
    appointment with its ``visit_id``/``visit_version``, masked personnummer, weekday and
    ``moved`` (the date in the previous version when it differs); plus ``units`` (doctor,
    unit) with annual planning, ``summer_weeks`` and the full ``measures_full``."""
    from lakarrond.services.plan import get_plan, plan_document
    from solver.problem import WEEKDAY_NAMES_SV, UnitType

    with db.begin() as s:
        plan = latest_plan(s, year)
        if plan is None:
            return None
        doc = plan_document(s, year, plan.version)
        previous = get_plan(s, year, plan.version - 1) if plan.version > 1 else None
        before = {v.patient_id: v.date for v in previous.visits} if previous else {}
        ids = {v.patient_id: (v.id, v.version) for v in plan.visits}
        units = s.scalars(select(m.Unit).options(selectinload(m.Unit.doctor))).all()
        doc["units"] = [(u.doctor.name, u.name) for u in units
                        if u.type != UnitType.SHORT_TERM.value]
        doc["summer_weeks"] = list((plan.settings or {}).get("summer_weeks", range(27, 32)))
        doc["measures_full"] = dict(plan.measures or {})
        doc["created_by"] = plan.created_by
        doc["note"] = plan.note or ""
    per_round: Counter[tuple[str, str]] = Counter()
    moved = 0
    for a in doc["appointments"]:
        a["visit_id"], a["visit_version"] = ids.get(a["patient_id"], (0, 0))
        a["masked"] = pnr.mask(a["personnummer"])
        day = date.fromisoformat(a["date"])
        a["weekday"] = WEEKDAY_NAMES_SV[day.weekday()]
        old = before.get(a["patient_id"])
        a["moved"] = old.isoformat() if old is not None and old != day else ""
        moved += bool(a["moved"])
        per_round[(a["unit"], a["date"])] += 1
    for r in doc["rounds"]:
        r["reviews"] = per_round.get((r["unit"], r["date"]), 0)
    doc["moved_since_previous"] = moved
    doc["previous_version"] = previous.version if previous else None
    return doc


def plan_years(db: Database) -> list[int]:
    """Years that have a plan or settings, newest last."""
    from sqlalchemy import union

    with db.begin() as s:
        years = s.scalars(union(select(m.Plan.year), select(m.Setting.year))).all()
    return sorted(set(years))
