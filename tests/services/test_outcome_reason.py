"""An Avböjd or Inställd ÅMV is recorded with its reason (issue 20, point 2): the service
refuses an empty or blank one, for one patient and for a selection alike."""

from __future__ import annotations

import pytest

from lakarrond.errors import BadInput
from lakarrond.services.plan import plan_year
from lakarrond.services.visits import get_visit, record_outcomes, record_visit
from lakarrond.store import models as m

YEAR = 2027


def _karl(db):  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return next(v for v in s.query(m.Visit).all() if v.patient.name == "Karl Nilsson")


@pytest.mark.parametrize("status", ["Avböjd", "Inställd"])
def test_without_a_reason_nothing_is_recorded(small_db, status):
    plan_year(small_db, YEAR, time_limit=10)
    karl = _karl(small_db)
    with pytest.raises(BadInput, match="måste ha en orsak"):
        record_outcomes(small_db, [karl.id], status, "  ", today=karl.date)
    with pytest.raises(BadInput, match="måste ha en orsak"):
        record_visit(small_db, "Karl Nilsson", karl.date, status, today=karl.date)
    assert get_visit(small_db, karl.id).status == "Planerad"


@pytest.mark.parametrize("status", ["Avböjd", "Inställd"])
def test_with_a_reason_it_is_recorded(small_db, status):
    plan_year(small_db, YEAR, time_limit=10)
    karl = _karl(small_db)
    record_outcomes(small_db, [karl.id], status, "patienten sjuk", today=karl.date)
    assert get_visit(small_db, karl.id).status == status


def test_genomford_and_last_need_no_reason(small_db):
    plan_year(small_db, YEAR, time_limit=10)
    karl = _karl(small_db)
    assert record_visit(small_db, "Karl Nilsson", karl.date, "Låst").status.value == "Låst"
    record_outcomes(small_db, [karl.id], "Genomförd", today=karl.date)
    assert get_visit(small_db, karl.id).status == "Genomförd"
