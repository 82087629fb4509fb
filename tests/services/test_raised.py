"""Matters the program raises itself (issue 21.3): the move-in assessment at the new unit's
first round with time (none when the ÅMV is planned inside the period), the Brytpunktsamtal
and no routine ÅMV from a palliative date, a Vårdplanering vid försämring that "räknas som
ÅMV", and the Efterlevandesamtal follow-up at a death."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.matter import MatterKind, MatterStatus
from lakarrond.services.document import current_document
from lakarrond.services.matters import book, list_matters, restore_status, set_status
from lakarrond.services.patients import get_patient, update_patient
from lakarrond.services.plan import plan_year
from lakarrond.services.raised import RAISED_BY, move_in_days, set_move_in_days
from lakarrond.services.week import follow_ups
from lakarrond.services.week_data import BEREAVEMENT
from lakarrond.store import models as m
from tests.matter_store import (  # noqa: F401 - db, template: fixtures
    HOME,
    TODAY,
    YEAR,
    copy_of,
    db,
    make_planned,
    review_dates,
    template,
)

DAY = date.fromisoformat(TODAY)  # a Sunday; Bäckliden's rounds are on Tuesdays (60 min)
LSS = "Tallen"



def _patient(db, name: str):
    with db.read() as s:
        p = s.scalars(select(m.Patient).where(m.Patient.name == name)).one()
        return get_patient(db, p.id)


def _unit_id(db, name: str) -> int:
    with db.read() as s:
        return s.scalars(select(m.Unit.id).where(m.Unit.name == name)).one()


def _matters(db, name: str, kind: MatterKind) -> list:
    return [x for x in list_matters(db) if x.patient == name and x.kind == kind.value]


def _reviews_of(db, name: str, year: int = YEAR, statuses: bool = False) -> list:
    with db.read() as s:
        plan = s.scalars(select(m.Plan).where(m.Plan.year == year)
                         .order_by(m.Plan.version.desc())).first()
        return sorted((v.date, v.status) if statuses else v.date
                      for v in plan.visits if v.patient.name == name)


def _move(db, name: str, unit: str):
    row = _patient(db, name)
    return update_patient(db, row.id, replace(row.data, unit_id=_unit_id(db, unit)),
                          row.version, DAY)


# --- a move to another unit ------------------------------------------------------------------


def test_a_move_raises_the_assessment_at_the_new_units_first_round_with_time(db):
    assert move_in_days(db, YEAR) == 14
    full = {d for d, names in review_dates(db).items() if len(names) >= 2}  # 60 of 60 min
    tuesdays = [DAY + timedelta(days=2 + 7 * k) for k in range(3)]
    expected = next(d for d in tuesdays if d not in full and d <= DAY + timedelta(days=14))
    saved = _move(db, "Vera Dal", HOME)  # from the LSS home; her ÅMV is due in the autumn
    [matter] = _matters(db, "Vera Dal", MatterKind.MOVE_IN)
    assert (matter.unit, matter.date, matter.minutes) == (HOME, expected, 30)
    assert (matter.by_name, matter.status) == (RAISED_BY, MatterStatus.PLANNED.value)
    assert saved.raised == (f"Inflyttningsbedömning för Vera Dal bokat tisdag "
                            f"{expected.isoformat()} på {HOME}.",)
    with db.read() as s:
        texts = [a.after.get("what", "") for a in s.scalars(
            select(m.AuditLog).where(m.AuditLog.entity == "matter"))]
    assert texts == [f"ärende bokat av programmet: Inflyttningsbedömning, {HOME}, "
                     f"{expected.isoformat()}"]


def test_a_move_whose_review_is_planned_inside_the_period_raises_none(db):
    inside = DAY + timedelta(days=9)  # the Tuesday 2027-01-19
    with db.begin() as s:
        vera = s.scalars(select(m.Patient).where(m.Patient.name == "Vera Dal")).one()
        visit = s.scalars(select(m.Visit).where(m.Visit.patient_id == vera.id)).one()
        visit.date = inside
    saved = _move(db, "Vera Dal", HOME)
    assert _matters(db, "Vera Dal", MatterKind.MOVE_IN) == []
    assert saved.raised == (f"Vera Dal: ÅMV tisdag {inside.isoformat()} ligger inom 14 "
                            "dagar efter flytten och är även inflyttningsbedömning.",)


def test_an_edit_that_keeps_the_unit_raises_nothing(db):
    row = _patient(db, "Vera Dal")
    saved = update_patient(db, row.id, replace(row.data, room="Rum 9"), row.version, DAY)
    assert saved.raised == ()
    assert list_matters(db) == []


def test_no_round_with_time_in_the_period_books_the_first_after_it_and_says_so(db):
    set_move_in_days(db, YEAR, 1)  # the period has no round of Bäckliden
    saved = _move(db, "Vera Dal", HOME)
    [matter] = _matters(db, "Vera Dal", MatterKind.MOVE_IN)
    assert matter.date > DAY + timedelta(days=1)
    assert "efter det" in saved.raised[0]
    with pytest.raises(BadInput):
        set_move_in_days(db, YEAR, 0)


# --- palliative care -------------------------------------------------------------------------


def test_a_palliative_date_removes_the_review_and_books_the_breakpoint_talk(db):
    assert _reviews_of(db, "Karl Nilsson")  # planned before
    row = _patient(db, "Karl Nilsson")
    saved = update_patient(db, row.id, replace(row.data, palliative_from=DAY), row.version,
                           DAY)
    [talk] = _matters(db, "Karl Nilsson", MatterKind.BREAKPOINT)
    assert talk.date >= DAY and talk.unit == HOME and talk.minutes == 45
    assert saved.raised[0].startswith("Brytpunktsamtal för Karl Nilsson bokat ")
    plan_year(db, YEAR, time_limit=5)
    assert _reviews_of(db, "Karl Nilsson") == []
    doc = current_document(db, YEAR, DAY)
    assert [(n.patient, n.reason) for n in doc.not_required if n.patient == "Karl Nilsson"] \
        == [("Karl Nilsson", f"palliativ vård från {DAY.isoformat()}")]


def test_a_palliative_date_in_the_future_keeps_the_review_before_it(db):
    before = _reviews_of(db, "Karl Nilsson")
    later = date(YEAR, 11, 1)
    assert before and before[0] < later
    row = _patient(db, "Karl Nilsson")
    update_patient(db, row.id, replace(row.data, palliative_from=later), row.version, DAY)
    plan_year(db, YEAR, time_limit=5)
    after = _reviews_of(db, "Karl Nilsson")
    assert after and all(d < later for d in after)


# --- räknas som ÅMV --------------------------------------------------------------------------


def _held_deterioration(db, counts: bool):
    talk_day = min(d for d in review_dates(db) if d > DAY)  # a Bäckliden round
    while True:
        try:
            matter = book(db, HOME, talk_day, MatterKind.DETERIORATION.value,
                          patient="Greta Ek", by_role="Sjuksköterska", force=True)
            break
        except BadInput:
            talk_day += timedelta(days=7)
    return matter, set_status(db, matter.id, MatterStatus.DONE.value,
                              counts_as_review=counts)


def test_counted_as_review_moves_the_next_review_a_year_on(db):
    assert _reviews_of(db, "Greta Ek")  # due this year (last ÅMV 2026-04-06)
    matter, change = _held_deterioration(db, counts=True)
    assert change.counted
    assert _patient(db, "Greta Ek").data.last_review == matter.date
    plan_year(db, YEAR, time_limit=5)
    # the matter is this year's ÅMV: held (Genomförd) on its date, no other planned
    assert _reviews_of(db, "Greta Ek", statuses=True) == [(matter.date, "Genomförd")]
    plan_year(db, YEAR + 1, time_limit=5)
    [next_year] = _reviews_of(db, "Greta Ek", YEAR + 1)
    assert matter.date + relativedelta(months=10) <= next_year \
        <= matter.date + relativedelta(months=14)
    restore_status(db, change)  # undo: the last ÅMV back
    assert _patient(db, "Greta Ek").data.last_review == date(YEAR - 1, 4, 6)


def test_not_counted_the_review_is_unchanged(db):
    before = _reviews_of(db, "Greta Ek")
    _matter, change = _held_deterioration(db, counts=False)
    assert not change.counted
    assert _patient(db, "Greta Ek").data.last_review == date(YEAR - 1, 4, 6)
    plan_year(db, YEAR, time_limit=5)
    assert _reviews_of(db, "Greta Ek") == before


def test_only_a_held_deterioration_planning_counts_as_review(db):
    day = min(d for d in review_dates(db) if d > DAY)
    visit = book(db, HOME, day, MatterKind.CHECK_IN.value, minutes=5, force=True)
    with pytest.raises(BadInput, match="räknas som ÅMV"):
        set_status(db, visit.id, MatterStatus.DONE.value, counts_as_review=True)


# --- a death ---------------------------------------------------------------------------------


def _end(db, name: str, status: str) -> None:
    row = _patient(db, name)
    update_patient(db, row.id, replace(row.data, status=status, end_date=DAY - timedelta(2)),
                   row.version, DAY)


def test_a_death_gives_the_bereavement_follow_up(db):
    _end(db, "Olof Lund", "Avliden")
    items = [t for t in follow_ups(current_document(db, YEAR, DAY), DAY)
             if t.kind == BEREAVEMENT]
    assert [(t.patient, t.unit, t.date) for t in items] == [
        ("Olof Lund", HOME, DAY - timedelta(2))]
    assert "efterlevandesamtal" in items[0].detail


def test_a_discharge_gives_no_bereavement_follow_up(db):
    _end(db, "Olof Lund", "Utskriven")
    items = follow_ups(current_document(db, YEAR, DAY), DAY)
    assert [t for t in items if t.kind == BEREAVEMENT] == []


def test_a_new_patient_gets_no_move_in_assessment(db):
    from lakarrond.services.patients import PatientData, create_patient

    row = create_patient(db, PatientData(name="Nils Ny", unit_id=_unit_id(db, HOME),
                                         admitted=DAY), DAY)
    assert row.raised == ()  # the ÅMV within 28 days (R7) is the move-in assessment
    assert list_matters(db) == []


def test_the_move_in_period_is_a_setting_of_the_dialog(db):
    from lakarrond.services.settings import FIELD_LABELS, get_settings, save_settings, validate

    assert FIELD_LABELS["move_in_days"] == "Inflyttning inom (dagar)"
    save_settings(db, YEAR, replace(get_settings(db, YEAR), move_in_days=21))
    assert move_in_days(db, YEAR) == 21
    assert validate(replace(get_settings(db, YEAR), move_in_days=0), YEAR) == [
        "Inflyttning inom (dagar) måste vara 1–90 (nu 0)."]
