"""The typed plan document: its JSON is byte-equal to the contract JSON the dict-based writer
produced before (golden file ``plan_before_issue13.json``: the same bytes once the two keys
the contract added later, "from", "measures.moved_in_freeze", "measures.doctor_time",
"not_required", "warnings" and the appointments' "start", are left out), equal to
``plan.json`` with them, and its filters keep the right rows."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from lakarrond.io.json_export import plan_json_text, write_plan_json
from lakarrond.services.document import load_document

GOLDEN = Path(__file__).parent.parent / "golden"
sys.path.insert(0, str(GOLDEN))

from make_plan_store import YEAR, fill_plan_store  # noqa: E402


@pytest.fixture
def golden_db(db):  # type: ignore[no-untyped-def]
    fill_plan_store(db)
    return db


def test_json_is_byte_equal_to_the_golden_file(golden_db, tmp_path):
    with golden_db.begin() as s:
        doc = load_document(s, YEAR, today=date(YEAR - 1, 12, 1))
    expected = (GOLDEN / "plan.json").read_text(encoding="utf-8")
    assert plan_json_text(doc) == expected
    out = tmp_path / "plan.json"
    write_plan_json(doc, out)
    assert out.read_bytes() == expected.encode("utf-8")
    # the same bytes as the dict-based writer, but for the keys added to the contract since
    data = doc.to_json()
    assert data.pop("from") == f"{YEAR}-01-01"
    assert data["measures"].pop("moved_in_freeze") == 0
    assert data["measures"].pop("doctor_time") == {"Bäckliden": {  # issue 18
        "hours_per_week": 1.77, "patients": 6, "per_10": 2.95, "below_floor": False}}
    assert [n["patient"] for n in data.pop("not_required")] == ["Ebba Lund"]  # issue 22
    assert data.pop("warnings") == []  # issue 21: the small store's rounds fit, none overlap
    starts = [a.pop("start") for a in data["appointments"]]  # issue 21: the clock times
    assert starts == ["09:00", "09:00", "13:00", "09:00", "09:00", "13:00", "09:00"]
    before = (GOLDEN / "plan_before_issue13.json").read_text(encoding="utf-8")
    assert json.dumps(data, ensure_ascii=False, indent=2) + "\n" == before


def test_filters_and_personnummer(golden_db):
    with golden_db.begin() as s:
        doc = load_document(s, YEAR)
    spring = doc.filtered(date_from=date(YEAR, 3, 1), date_to=date(YEAR, 6, 30))
    assert [a.patient for a in spring.reviews] == ["Greta Ek", "Leif Sand", "Olof Lund"]
    assert all(date(YEAR, 3, 1) <= r.date <= date(YEAR, 6, 30) for r in spring.rounds)
    tallen = doc.filtered(unit="Tallen")
    assert {a.unit for a in tallen.reviews} == {"Tallen"}
    assert not tallen.violations  # the violation is Bäckliden's
    prep = doc.filtered(date_from=date(YEAR, 1, 1), date_to=date(YEAR, 1, 31), prep=True)
    assert [a.patient for a in prep.reviews] == ["Karl Nilsson"]
    hidden = doc.without_personnummer()
    assert all(a.personnummer is None for a in hidden.reviews)
    assert any(a.personnummer for a in doc.reviews)
    assert json.loads(plan_json_text(hidden))["appointments"][0]["personnummer"] is None
    assert [n.personnummer for n in doc.not_required] == ["19400101-1234"]
    assert json.loads(plan_json_text(hidden))["not_required"] == [{
        "patient": "Ebba Lund", "personnummer": None, "unit": "Bäckliden",
        "reason": "skrivs ut 2027-03-01, innan nästa ÅMV ska hållas (senast 2027-05-10)"}]


def test_a_filtered_document_keeps_the_doctor_time_of_its_units(golden_db):
    with golden_db.begin() as s:
        doc = load_document(s, YEAR)
    assert set(doc.filtered(unit="Bäckliden").measures.doctor_time) == {"Bäckliden"}
    assert doc.filtered(unit="Tallen").measures.doctor_time == {}  # another unit's: left out
    assert doc.filtered(doctor="Okänd Läkare").measures.doctor_time == {}
    assert set(doc.filtered(doctor="Anna Berg").measures.doctor_time_doctors) == {"Anna Berg"}
    assert doc.filtered(doctor="Okänd Läkare").measures.doctor_time_doctors == {}
