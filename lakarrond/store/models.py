"""SQLAlchemy 2 models of the store (typed declarative).

Enum columns (``Unit.type`` …) are typed with the solver's enums and store their Swedish
display values (``UnitType.value`` etc.) as plain VARCHAR on both backends (no native enum
type, no CHECK constraint: revision 0006_enums), so the database stays readable; SQLAlchemy
refuses an unknown value on write and on read.
Doctor, Absence, Unit, Patient, Visit and PreparationTick carry a ``version`` column for
optimistic locking.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any, TypeVar  # Any: JSON columns and SQLAlchemy's dialect argument

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from solver.problem import PatientStatus, RhythmKind, RoundForm, UnitType, VisitStatus, WeekParity

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in UTC: stored naive (UTC) everywhere, returned timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


E = TypeVar("E", bound=StrEnum)


class RoundChangeKind(StrEnum):
    """What a round change does to a unit's round dates."""

    EXTRA = "extra"
    CANCELLED = "cancelled"


def enum_column(enum: type[E], length: int) -> Enum:
    """An enum stored as its value (the Swedish word) in a VARCHAR of ``length``: the same
    column as the plain ``String(length)`` of revisions before 0006_enums."""
    return Enum(enum, values_callable=lambda e: [member.value for member in e],
                native_enum=False, create_constraint=False, validate_strings=True,
                length=length)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class HealthCentre(Base):
    __tablename__ = "health_centre"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    doctors: Mapped[list[Doctor]] = relationship(back_populates="health_centre")


class Doctor(Base):
    __tablename__ = "doctor"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    health_centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("health_centre.id", ondelete="SET NULL"), index=True
    )
    review_weekdays: Mapped[str] = mapped_column(String(20), default="")  # e.g. "2,4"
    reviews_per_day: Mapped[int] = mapped_column(Integer, default=2)
    # a retired doctor keeps the history but gets no new units (revision 0003)
    retired_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    health_centre: Mapped[HealthCentre | None] = relationship(back_populates="doctors")
    absences: Mapped[list[Absence]] = relationship(
        back_populates="doctor", cascade="all, delete-orphan", order_by="Absence.start"
    )
    units: Mapped[list[Unit]] = relationship(back_populates="doctor")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Absence(Base):
    __tablename__ = "absence"

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(
        ForeignKey("doctor.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")
    substitute: Mapped[str] = mapped_column(String(200), default="")
    # the substitute's phone number (revision 0011, lakarrond.phone)
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # the substitute holds the ÅMV on those days (revision 0003)
    reviews_by_substitute: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    doctor: Mapped[Doctor] = relationship(back_populates="absences")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Unit(Base):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[UnitType] = mapped_column(enum_column(UnitType, 40))
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctor.id"), index=True)
    nurse: Mapped[str] = mapped_column(String(200), default="")
    rhythm_kind: Mapped[RhythmKind] = mapped_column(enum_column(RhythmKind, 40))
    parity: Mapped[WeekParity | None] = mapped_column(enum_column(WeekParity, 10))
    weekdays: Mapped[str] = mapped_column(String(20))  # e.g. "1" or "0,3"
    start_time: Mapped[time] = mapped_column(Time, default=time(9, 0))
    length_min: Mapped[int] = mapped_column(Integer, default=120)
    form: Mapped[RoundForm] = mapped_column(enum_column(RoundForm, 20),
                                            default=RoundForm.PHYSICAL)
    reviews_in_round: Mapped[bool | None] = mapped_column(Boolean)
    reviews_per_round: Mapped[int] = mapped_column(Integer, default=1)
    # minutes per ÅMV within a round or an ÅMV day (revision 0003)
    review_minutes: Mapped[int] = mapped_column(Integer, default=30, server_default=text("30"))
    other_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    doctor: Mapped[Doctor] = relationship(back_populates="units")
    patients: Mapped[list[Patient]] = relationship(back_populates="unit")
    round_changes: Mapped[list[RoundChange]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", passive_deletes=True,
        order_by="RoundChange.date",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Patient(Base):
    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    personnummer: Mapped[str | None] = mapped_column(String(13), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    room: Mapped[str] = mapped_column(String(200), default="")
    admitted: Mapped[date] = mapped_column(Date)
    last_review: Mapped[date | None] = mapped_column(Date)
    status: Mapped[PatientStatus] = mapped_column(enum_column(PatientStatus, 20),
                                                  default=PatientStatus.ACTIVE)
    end_date: Mapped[date | None] = mapped_column(Date)
    excluded: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    # 0009: "Palliativ vård i livets slutskede" from this date (no routine ÅMV from it)
    palliative_from: Mapped[date | None] = mapped_column(Date)
    # 0010: the named doctor (fast läkarkontakt), NULL = the unit's (no ON DELETE: a named
    # doctor is never deleted, see services.doctors.delete_doctor); the named nurse (fast
    # vårdkontakt), "" = the unit's
    doctor_id: Mapped[int | None] = mapped_column(
        ForeignKey("doctor.id"), index=True
    )
    nurse: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # "Bjud inte in närstående" by agreement with the patient (revision 0011): the step that
    # invites relatives leaves this patient's preparation checklist
    no_relatives: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    unit: Mapped[Unit] = relationship(back_populates="patients")
    # loaded with the patient (one query for all named doctors, none when nobody has one)
    named_doctor: Mapped[Doctor | None] = relationship(lazy="selectin")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Plan(Base):
    """One saved version of a year plan; older versions are kept."""

    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("year", "version", name="uq_plan_year_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    solver_status: Mapped[str] = mapped_column(String(40), default="")
    objective: Mapped[float] = mapped_column(Float, default=0.0)
    bound: Mapped[float] = mapped_column(Float, default=0.0)
    wall_s: Mapped[float] = mapped_column(Float, default=0.0)
    measures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    violations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    unplaced: Mapped[list[Any]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)  # added in revision 0002
    plan_from: Mapped[date | None] = mapped_column(Date)  # 0004: the planning date
    fingerprints: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # doctor → hash
    forced_moves: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # 0005_a: patients needing no ÅMV in this plan, {"patient_id", "patient", "unit", "reason"}
    not_required: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # 0005_b: the input version (InputVersion.current) the plan was made against, and its
    # list "Flyttade – meddela" against the previous version (None: saved before 0005_b)
    input_version: Mapped[int | None] = mapped_column(Integer)
    moves: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)

    visits: Mapped[list[Visit]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Visit.date"
    )


class Visit(Base):
    """One ÅMV of a plan version. ``unit``/``doctor`` are the names the plan was made with."""

    __tablename__ = "visit"
    __table_args__ = (UniqueConstraint("plan_id", "patient_id", name="uq_visit_plan_patient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[dt.date] = mapped_column(Date)
    preparation: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[VisitStatus] = mapped_column(enum_column(VisitStatus, 20),
                                                default=VisitStatus.PLANNED)
    reason: Mapped[str] = mapped_column(String(400), default="")  # of an Avböjd/Inställd (0004)
    cancelled_on: Mapped[dt.date | None] = mapped_column(Date)  # last Inställd date (0004)
    unit: Mapped[str] = mapped_column(String(200), default="")
    doctor: Mapped[str] = mapped_column(String(200), default="")
    # the date was given out ("Boka", suggest --apply): re-plans keep it (0005_c)
    booked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    plan: Mapped[Plan] = relationship(back_populates="visits")
    patient: Mapped[Patient] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PreparationTick(Base):
    """One done preparation step (kallad, prover tagna …) of one ÅMV occurrence: the ÅMV of
    ``patient_id`` on ``review_date``. When the ÅMV moves, the ticks stay with the old date
    (they no longer apply) unless the user carries them over (revision 0003)."""

    __tablename__ = "preparation_tick"
    __table_args__ = (
        UniqueConstraint(
            "patient_id", "review_date", "step", name="uq_preparation_tick_patient_date_step"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), index=True
    )
    review_date: Mapped[dt.date] = mapped_column(Date)
    step: Mapped[str] = mapped_column(String(60))
    done_on: Mapped[dt.date] = mapped_column(Date)
    done_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class RoundChange(Base):
    """A one-off change of a unit's round dates: an ``extra`` round on a date outside the
    rhythm, or a ``cancelled`` round on one of its dates (revision 0003)."""

    __tablename__ = "round_change"
    __table_args__ = (UniqueConstraint("unit_id", "date", name="uq_round_change_unit_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[RoundChangeKind] = mapped_column(enum_column(RoundChangeKind, 20))
    note: Mapped[str] = mapped_column(String(200), default="")

    unit: Mapped[Unit] = relationship(back_populates="round_changes")


class Setting(Base):
    """A plan-year setting as key/value text (e.g. ``summer_weeks`` = ``27,28,29,30,31``)."""

    __tablename__ = "setting"
    __table_args__ = (UniqueConstraint("year", "key", name="uq_setting_year_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(Text)  # Text since revision 0003 (was String(400))


class InputVersion(Base):
    """One row: the version of the planning input (patients, units, doctors, absences,
    settings, round changes, health centres, demo data). ``seq`` only grows; ``current`` is
    the version the input is at (an undone fix sets it back to the value before the fix)."""

    __tablename__ = "input_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    current: Mapped[int] = mapped_column(Integer, default=0)


class AuditLog(Base):
    """Append-only record of who changed, exported or printed what."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    patient_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Matter(Base):
    """A matter (ärende) booked in a unit's round on a date besides the ÅMV (issue 21.2,
    revision 0008_matters): its kind, patient (none for Avstämning and Övrigt), minutes, who
    raises it, the note (health information: never in the audit text or an export but the
    planning basis) and its status. A matter moved to a later round (Flyttad) links to the
    new one (``moved_to_id``); a Struken one has a reason."""

    __tablename__ = "matter"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(60))  # lakarrond.matter.MatterKind value
    patient_id: Mapped[int | None] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), index=True
    )
    minutes: Mapped[int] = mapped_column(Integer)
    by_role: Mapped[str] = mapped_column(String(40), default="")  # lakarrond.matter.Role
    by_name: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="Planerad")  # MatterStatus
    reason: Mapped[str] = mapped_column(String(400), default="")  # of a Struken one
    moved_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("matter.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # 0009: a held "Vårdplanering vid försämring" marked "räknas som ÅMV"
    counts_as_review: Mapped[bool] = mapped_column(Boolean, default=False,
                                                   server_default=false())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    unit: Mapped[Unit] = relationship()
    patient: Mapped[Patient | None] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
