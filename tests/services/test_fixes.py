"""Every fix the planner proposes is carried out in the store and reverted exactly (the
window's "Använd" and its undo), audited both ways."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest
from sqlalchemy import func, select

from lakarrond.errors import BadInput
from lakarrond.services.common import jsonable
from lakarrond.services.document import load_document
from lakarrond.services.fixes import (
    KINDS,
    REGISTRY,
    Fix,
    apply_fix,
    describe_fix,
    fix_from_json,
    revert_fix,
)
from lakarrond.services.plan import plan_year
from lakarrond.services.visits import record_visit
from lakarrond.services.whatif import try_fix
from lakarrond.store import models as m

YEAR = 2027


def _state(db):  # type: ignore[no-untyped-def]
    with db.begin() as s:
        unit = s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        doctor = s.scalars(select(m.Doctor)).one()
        absence = s.scalars(select(m.Absence)).one()
        visits = sorted((v.patient_id, v.date, v.status) for v in s.scalars(select(m.Visit)))
        changes = s.scalar(select(func.count()).select_from(m.RoundChange))
        return (unit.reviews_per_round, doctor.reviews_per_day, doctor.review_weekdays,
                absence.substitute, absence.reviews_by_substitute, visits, changes)


def _fix(db, kind: str) -> Fix:  # type: ignore[no-untyped-def]
    if kind == "unlock":
        locked = record_visit(db, "Karl Nilsson", date(YEAR, 2, 2), "Låst")
        return Fix(kind, patient_id=str(_patient_id(db, "Karl Nilsson")), day=locked.date)
    return {
        "raise_reviews_per_round": Fix(kind, unit="Bäckliden", value=3),
        "raise_reviews_per_day": Fix(kind, doctor="Anna Berg", value=4),
        "extra_round": Fix(kind, unit="Bäckliden", day=date(YEAR, 5, 13)),
        "review_day": Fix(kind, doctor="Anna Berg", value=0),
        "substitute_reviews": Fix(kind, doctor="Anna Berg", day=date(YEAR, 3, 1)),
    }[kind]


def _patient_id(db, name: str) -> int:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return s.scalars(select(m.Patient.id).where(m.Patient.name == name)).one()


@pytest.mark.parametrize("kind", KINDS)
def test_a_fix_is_applied_and_reverted_exactly(small_db, kind: str):
    plan_year(small_db, YEAR, time_limit=10)
    fix = _fix(small_db, kind)
    before = _state(small_db)
    with small_db.begin() as s:
        done = apply_fix(s, fix, YEAR)
    assert _state(small_db) != before
    with small_db.begin() as s:
        revert_fix(s, done)
    assert _state(small_db) == before
    with small_db.begin() as s:
        rows = s.scalars(select(m.AuditLog).order_by(m.AuditLog.id.desc()).limit(2)).all()
    assert len(rows) == 2 and all(r.action in ("create", "update", "delete") for r in rows)


@pytest.mark.parametrize("kind", KINDS)
def test_a_stored_fix_reads_back_and_is_described_in_swedish(small_db, kind: str):
    fix = _fix(small_db, kind)
    assert fix_from_json(jsonable(asdict(fix))) == fix  # as the plan document keeps it
    assert describe_fix(fix) != "Okänd åtgärd"


def test_every_kind_the_planner_proposes_has_its_own_class():
    assert set(REGISTRY) == set(KINDS)
    assert all(REGISTRY[kind].kind == kind for kind in KINDS)
    assert len({REGISTRY[kind] for kind in KINDS}) == len(KINDS)


def _store_action(db, action: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    """The latest plan's one broken rule, with ``action`` as a stored plan keeps it."""
    with db.begin() as s:
        plan = s.scalars(select(m.Plan).order_by(m.Plan.version.desc())).first()
        plan.violations = [{"rule": "R8", "patient": "Karl Nilsson", "unit": "Bäckliden",
                            "message": "för sent", "fix": "höj ÅMV per rond",
                            "cause": "capacity:unit:Bäckliden", "action": action}]


def test_a_known_kind_in_a_stored_plan_is_read_typed_and_carried_out(small_db):
    plan_year(small_db, YEAR, time_limit=10)
    _store_action(small_db, {"kind": "raise_reviews_per_round", "unit": "Bäckliden",
                             "value": 3})
    with small_db.read() as s:
        (entry,) = load_document(s, YEAR).violations
    assert entry.action == Fix("raise_reviews_per_round", unit="Bäckliden", value=3)
    assert describe_fix(entry.action) == "Höj ÅMV per rond för Bäckliden till 3"
    with small_db.begin() as s:
        apply_fix(s, entry.action, YEAR)
    assert _state(small_db)[0] == 3


def test_an_unknown_kind_in_a_stored_plan_is_refused_in_swedish_not_a_crash(small_db):
    plan_year(small_db, YEAR, time_limit=10)
    _store_action(small_db, {"kind": "flytta_ronden", "unit": "Bäckliden", "value": 3})
    with small_db.read() as s:  # the plan still opens and shows the break
        (entry,) = load_document(s, YEAR).violations
    assert entry.action is not None and entry.action.kind == "flytta_ronden"
    assert describe_fix(entry.action) == "Okänd åtgärd"
    before = _state(small_db)
    refused = 'Åtgärden "flytta_ronden" i den sparade planen känner programmet inte till'
    with pytest.raises(BadInput, match=refused), small_db.begin() as s:
        apply_fix(s, entry.action, YEAR)
    with pytest.raises(BadInput, match=refused):  # refused before any planning
        try_fix(small_db, YEAR, entry.action)
    assert _state(small_db) == before
