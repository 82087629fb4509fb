"""Exports as people need them (issue 14.7) and the clock-time data on the document (14.6):
per health centre, with or without personnummer, names in the calendar only when asked for,
the choices in the audit row; minutes per ÅMV and the first separate ÅMV time from the
store."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, time

import pytest
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.services.document import load_document
from lakarrond.services.exporter import export_plan
from lakarrond.services.plan import plan_year
from lakarrond.services.settings import get_settings, save_settings
from lakarrond.store import models as m

YEAR = 2027


@pytest.fixture
def two_centres(small_db):  # type: ignore[no-untyped-def]
    """The small store plus a second health centre with its doctor, unit and patients."""
    with small_db.begin() as s:
        centre = m.HealthCentre(name="VC Norr")
        olle = m.Doctor(name="Olle Ek", health_centre=centre, review_weekdays="1",
                        reviews_per_day=2)
        unit = m.Unit(name="Norrgården", type="SÄBO", doctor=olle, rhythm_kind="Varje vecka",
                      weekdays="3", start_time=time(10, 0), length_min=120, form="Fysisk",
                      reviews_per_round=2, review_minutes=20)
        s.add_all([centre, olle, unit])
        for name, pnr, last in (("Nora Nord", "19400303-0307", date(YEAR - 1, 3, 3)),
                                ("Nils Nord", None, date(YEAR - 1, 8, 8))):
            s.add(m.Patient(name=name, personnummer=pnr, unit=unit, room="2",
                            admitted=date(YEAR - 3, 1, 1), last_review=last))
    save_settings(small_db, YEAR, replace(get_settings(small_db, YEAR),
                                          review_day_start=time(12, 30)))
    plan_year(small_db, YEAR, time_limit=10)
    return small_db


def _audit(db) -> dict:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return s.scalars(select(m.AuditLog).where(m.AuditLog.action == "export")
                         .order_by(m.AuditLog.id.desc())).first().after


def test_minutes_per_review_and_first_separate_time_reach_the_document(two_centres):
    with two_centres.begin() as s:
        doc = load_document(s, YEAR)
    assert doc.review_day_start == time(12, 30)
    assert doc.unit("Norrgården").review_minutes == 20
    assert doc.unit("Bäckliden").review_minutes == 30
    assert doc.health_centres == ["VC Norr", "Vårdcentralen Test"]


def test_one_health_centre_with_and_without_personnummer(two_centres, tmp_path):
    out = export_plan(two_centres, YEAR, tmp_path / "norr.json", health_centre="VC Norr",
                      include_personnummer=False)
    rows = json.loads(out.read_text(encoding="utf-8"))["appointments"]
    assert sorted(a["patient"] for a in rows) == ["Nils Nord", "Nora Nord"]
    assert all(a["personnummer"] is None for a in rows)
    after = _audit(two_centres)
    assert (after["health_centre"], after["personnummer"], after["count"]) == (
        "VC Norr", False, 2)

    out = export_plan(two_centres, YEAR, tmp_path / "norr2.json", health_centre="VC Norr")
    rows = json.loads(out.read_text(encoding="utf-8"))["appointments"]
    assert "19400303-0307" in {a["personnummer"] for a in rows}
    assert _audit(two_centres)["personnummer"] is True

    out = export_plan(two_centres, YEAR, tmp_path / "test.json",
                      health_centre="Vårdcentralen Test")
    rows = json.loads(out.read_text(encoding="utf-8"))["appointments"]
    assert rows and {a["unit"] for a in rows} <= {"Bäckliden", "Tallen"}
    with pytest.raises(BadInput, match="Vårdcentralen \"VC Syd\" finns inte"):
        export_plan(two_centres, YEAR, tmp_path / "x.json", health_centre="VC Syd")


def test_names_in_the_calendar_only_when_asked_for(two_centres, tmp_path):
    plain = export_plan(two_centres, YEAR, tmp_path / "a.ics", health_centre="VC Norr")
    assert "Nora Nord" not in plain.read_text(encoding="utf-8")
    assert _audit(two_centres)["names"] is False
    named = export_plan(two_centres, YEAR, tmp_path / "b.ics", health_centre="VC Norr",
                        include_names=True)
    raw = named.read_text(encoding="utf-8").replace("\r\n ", "")
    assert "Nora Nord" in raw and "19400303-0307" not in raw
    assert "10:00–10:20" in raw  # the round's start and Norrgården's 20 minutes per ÅMV
    assert "Anna Berg" not in raw  # the other health centre's doctor
    assert _audit(two_centres)["names"] is True
