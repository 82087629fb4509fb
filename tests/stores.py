"""A tiny hand-made store shared by the store, service, CLI, print and GUI tests."""

from __future__ import annotations

from datetime import date, time

from lakarrond.store import models as m
from lakarrond.store.settings import write_settings


def fill_small_store(database, year: int = 2027, *, short_term: bool = False,  # type: ignore[no-untyped-def]
                     time_limit: float = 10.0) -> None:
    """A tiny municipality: one doctor, a nursing home with weekly rounds (2 ÅMV per round)
    and an LSS home with separate ÅMV times, eight patients; with ``short_term`` also a
    short-term unit (twice a week, no ÅMV there)."""

    with database.begin() as s:
        centre = m.HealthCentre(name="Vårdcentralen Test")
        doctor = m.Doctor(
            name="Anna Berg", health_centre=centre, review_weekdays="3", reviews_per_day=2
        )
        home = m.Unit(
            name="Bäckliden", type="SÄBO", doctor=doctor, nurse="Eva Syster",
            rhythm_kind="Varje vecka", weekdays="1", start_time=time(9, 0),
            length_min=120, form="Fysisk", reviews_per_round=2,
        )
        lss = m.Unit(
            name="Tallen", type="LSS", doctor=doctor, rhythm_kind="Varannan vecka",
            parity="udda", weekdays="2", start_time=time(14, 0), length_min=60,
            form="Fysisk", reviews_in_round=False, reviews_per_round=0,
        )
        s.add_all([centre, doctor, home, lss])
        if short_term:
            s.add(m.Unit(name="Ekbacken", type="Korttidsboende", doctor=doctor,
                         rhythm_kind="Två gånger i veckan", weekdays="0,3",
                         start_time=time(8, 30), length_min=60, form="Fysisk"))
        s.add(m.Absence(doctor=doctor, start=date(year, 3, 1), end=date(year, 3, 12),
                        reason="Semester", substitute="Per Vikarie"))
        patients = [
            ("Karl Nilsson", "19380412-1238", home, date(year - 5, 1, 10), date(year - 1, 2, 2)),
            ("Greta Ek", "19300101-0010", home, date(year - 3, 5, 1), date(year - 1, 4, 6)),
            ("Olof Lund", None, home, date(year - 2, 6, 1), date(year - 1, 6, 8)),
            ("Signe Berg", None, home, date(year - 1, 9, 1), date(year - 1, 9, 28)),
            ("Bo Ström", None, home, date(year - 4, 1, 1), date(year - 1, 11, 2)),
            ("Astrid Holm", None, home, date(year, 4, 1), None),
            ("Leif Sand", None, lss, date(year - 6, 1, 1), date(year - 1, 5, 5)),
            ("Vera Dal", None, lss, date(year - 6, 1, 1), date(year - 1, 10, 6)),
        ]
        for name, pnr, unit, admitted, last in patients:
            s.add(m.Patient(name=name, personnummer=pnr, unit=unit, room="Rum 1",
                            admitted=admitted, last_review=last))
        write_settings(s, year, {"time_limit_s": time_limit, "summer_weeks": (27, 28, 29, 30, 31)})
