"""A saved plan is read through ``store.plan_results``: a plan as the program writes it opens;
one whose stored results were damaged is refused with a Swedish message naming the column
(a UserError the window and the command line show), not a KeyError."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lakarrond.errors import UserError
from lakarrond.services.document import load_document
from lakarrond.services.plan import plan_year
from lakarrond.store import models as m
from lakarrond.store.plan_results import MalformedPlan

YEAR = 2027


def test_a_saved_plan_reads_back_typed(small_db) -> None:  # type: ignore[no-untyped-def]
    plan_year(small_db, YEAR, time_limit=10)
    with small_db.read() as s:
        doc = load_document(s, YEAR)
        plan = s.scalars(select(m.Plan)).one()
        assert len(doc.unplaced) == len(plan.unplaced)
        assert len(doc.violations) == len(plan.violations)
        assert doc.measures.required == plan.measures["required"] > 0
        assert doc.settings.year == YEAR


def test_a_damaged_stored_plan_is_refused_by_name(small_db) -> None:  # type: ignore[no-untyped-def]
    plan_year(small_db, YEAR, time_limit=10)
    with small_db.begin() as s:
        plan = s.scalars(select(m.Plan)).one()
        plan.forced_moves = [{"patient": "Karl Nilsson", "new": "2027-04-13"}]  # no "old"
    with pytest.raises(MalformedPlan) as refused, small_db.read() as s:
        load_document(s, YEAR)
    assert isinstance(refused.value, UserError)
    assert str(refused.value) == (
        "Den sparade planen går inte att läsa: de flyttade inom frysperioden (forced_moves), "
        'rad 1: "old" saknas. Gör en ny plan.')
