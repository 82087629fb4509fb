"""The substitute's phone (issue 18.2, Sörmland §4 "Namn på vikarien, vikariatsperiod och
aktuellt telefonnummer"): stored with the absence (checked, audited) and printed wherever
the substitute is named – the round schedule, Veckan and its week list, the planning basis –
and nowhere when no substitute is named."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.io.basis_pdf import basis_html
from lakarrond.services import doctors, printing
from lakarrond.services.basis import make_basis
from lakarrond.services.plan import plan_year
from lakarrond.services.week import load_week, week_printout
from lakarrond.store import models as m
from tests.stores import fill_small_store

YEAR = 2027
TODAY = date(2027, 3, 22)
ABSENT_DAY = date(2027, 3, 2)  # Anna Berg away 1–12 March, Per Vikarie stands in
PHONE = "070-123 45 67"
NAMED = f"Per Vikarie, tel {PHONE}"


@pytest.fixture
def planned(sqlite_db):  # type: ignore[no-untyped-def]
    fill_small_store(sqlite_db)
    plan_year(sqlite_db, YEAR, time_limit=10)
    return sqlite_db


def _set_phone(db, phone: str) -> None:  # type: ignore[no-untyped-def]
    [row] = [a for a in doctors.list_absences(db) if a.data.substitute == "Per Vikarie"]
    doctors.update_absence(db, row.id, replace(row.data, phone=phone), row.version)


def _week_texts(db) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    week = load_week(db, date(2027, 3, 1), TODAY)
    tuesday = next(d for d in week.doctors[0].days if d.date == ABSENT_DAY)
    remark = next(r for r in tuesday.rounds if r.unit == "Bäckliden").remark
    printed = week_printout(week).content.doctors[0]
    day = next(d for d in printed.days if d.date == ABSENT_DAY)
    return tuesday.absence, remark, day.note + " " + " ".join(r.remark for r in day.rounds)


def test_the_phone_is_stored_checked_and_audited(planned):
    _set_phone(planned, f" {PHONE} ")
    [row] = [a for a in doctors.list_absences(planned) if a.data.substitute]
    assert row.data.phone == PHONE
    with planned.read() as s:
        log = s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "absence")
                        .order_by(m.AuditLog.id.desc())).first()
    assert log is not None and log.after == {"phone": PHONE}
    for bad in ("070-abc", "+46 (0)70", "--"):
        with pytest.raises(BadInput, match="Telefon: telefonnumret får bara innehålla"):
            _set_phone(planned, bad)
    assert doctors.validate_absence(replace(row.data, phone="+46 70-123 45 67")) == []


def test_the_phone_is_printed_where_the_substitute_is_named(planned):
    _set_phone(planned, PHONE)
    absence, remark, printed = _week_texts(planned)
    assert absence == f"Frånvarande (Semester) – vikarie {NAMED}"
    assert remark == f"Vikarie: {NAMED}"
    assert f"Vikarie: {NAMED}" in printed and f"vikarie {NAMED}" in printed
    schedule = printing.make_round_schedule(planned, YEAR, "Anna Berg", date(2027, 3, 1),
                                            date(2027, 3, 12))
    remarks = {e.date: e.remark for e in schedule.content.entries if not e.separate}
    assert remarks[ABSENT_DAY] == f"Vikarie: {NAMED} – Semester"
    [basis] = make_basis(planned, unit="Bäckliden", day=ABSENT_DAY, today=TODAY)
    assert (basis.to_json()["substitute"], basis.to_json()["substitute_phone"]) == (
        "Per Vikarie", PHONE)
    assert f"(vikarie: {NAMED})" in basis_html([basis])


def test_no_phone_and_no_substitute_print_no_phone(planned):
    absence, remark, printed = _week_texts(planned)  # a substitute without a phone
    assert remark == "Vikarie: Per Vikarie" and ", tel" not in absence + printed
    [basis] = make_basis(planned, unit="Bäckliden", day=ABSENT_DAY, today=TODAY)
    assert basis.to_json()["substitute_phone"] is None
    assert "(vikarie: Per Vikarie)" in basis_html([basis])
    _set_phone(planned, PHONE)
    later = printing.make_round_schedule(planned, YEAR, "Anna Berg", date(2027, 3, 15),
                                         date(2027, 3, 31))  # after the absence
    assert not any("tel" in e.remark for e in later.content.entries)
    [after] = make_basis(planned, unit="Bäckliden", day=date(2027, 3, 16), today=TODAY)
    assert after.substitute_phone == "" and ", tel" not in basis_html([after])
