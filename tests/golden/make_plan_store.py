"""A saved plan written straight into the store (no solver), so its JSON is fixed: the golden
test compares ``PlanDocument.to_json()`` with ``plan.json``, made by the dict-based writer
that came before the typed document."""

from __future__ import annotations

from datetime import UTC, date, datetime

from lakarrond.store import models as m
from tests.stores import fill_small_store

YEAR = 2027
VISITS = (  # patient name, date, preparation, status
    ("Karl Nilsson", date(YEAR, 2, 2), date(YEAR, 1, 19), "Planerad"),
    ("Greta Ek", date(YEAR, 3, 23), date(YEAR, 3, 9), "Låst"),
    ("Olof Lund", date(YEAR, 6, 1), date(YEAR, 5, 18), "Planerad"),
    ("Signe Berg", date(YEAR, 9, 14), date(YEAR, 8, 31), "Genomförd"),
    ("Bo Ström", date(YEAR, 10, 26), date(YEAR, 10, 12), "Planerad"),
    ("Leif Sand", date(YEAR, 4, 29), date(YEAR, 4, 15), "Planerad"),
    ("Vera Dal", date(YEAR, 9, 30), date(YEAR, 9, 16), "Planerad"),
)


def fill_plan_store(database) -> None:  # type: ignore[no-untyped-def]
    fill_small_store(database, YEAR)
    with database.begin() as s:
        home = s.query(m.Unit).filter_by(name="Bäckliden").one()
        s.add(m.Patient(name="Ebba Lund", personnummer="19400101-1234", unit=home, room="Rum 2",
                        admitted=date(YEAR - 3, 1, 1), last_review=date(YEAR - 1, 5, 10),
                        status="Utskriven", end_date=date(YEAR, 3, 1)))
        s.flush()
        patients = {p.name: p for p in s.query(m.Patient)}
        plan = m.Plan(
            year=YEAR, version=1, created_by="test",
            created_at=datetime(2026, 11, 30, 8, 15, 0, tzinfo=UTC),
            settings={"year": YEAR, "summer_weeks": [27, 28, 29, 30, 31], "time_limit_s": 10.0},
            solver_status="OPTIMAL", objective=1234.0, bound=1234.0, wall_s=1.8125,
            measures={"coverage": 0.875, "max_interval_months": 11.9,
                      "peak_week": {"Anna Berg": 1}, "peak_week_bound": {"Anna Berg": 1},
                      "moved": 0, "required": 8, "planned": 7,
                      "doctor_time": {"Bäckliden": {"hours_per_week": 1.77, "patients": 6,
                                                    "per_10": 2.95, "below_floor": False}},
                      "doctor_time_doctors": {"Anna Berg": {
                          "hours_per_week": 2.19, "patients": 8, "per_10": 2.74,
                          "below_floor": False}}},
            violations=[{"rule": "R7", "patient_id": patients["Astrid Holm"].id,
                         "patient": "Astrid Holm", "unit": "Bäckliden", "doctor": "Anna Berg",
                         "message": "Ny patient utan plats inom 28 dagar",
                         "fix": "Höj ÅMV per rond"}],
            unplaced=[{"patient_id": patients["Astrid Holm"].id, "patient": "Astrid Holm",
                       "unit": "Bäckliden", "reason": "ingen ledig plats"}],
            not_required=[{"patient_id": patients["Ebba Lund"].id, "patient": "Ebba Lund",
                           "unit": "Bäckliden",
                           "reason": "skrivs ut 2027-03-01, innan nästa ÅMV ska hållas "
                                     "(senast 2027-05-10)"}],
        )
        s.add(plan)
        s.flush()
        for name, day, prep, status in VISITS:
            patient = patients[name]
            s.add(m.Visit(plan_id=plan.id, patient_id=patient.id, date=day, preparation=prep,
                          status=status, unit=patient.unit.name, doctor="Anna Berg"))
