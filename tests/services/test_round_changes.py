"""One-off extra and cancelled round dates per unit: validated against the rhythm and the
calendar, audited, listed (with a note when the rhythm no longer fits), fed to the planner."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.services import round_changes as rc
from lakarrond.services import units as us
from lakarrond.services.round_changes import CANCELLED, EXTRA, RoundChangeData
from lakarrond.store import ConflictError
from lakarrond.store import models as m

TUESDAY = date(2027, 3, 2)  # Bäckliden has a weekly round on Tuesdays
WEDNESDAY = date(2027, 3, 3)


def _unit(db, name: str = "Bäckliden") -> us.UnitRow:
    return next(u for u in us.list_units(db) if u.name == name)


def test_extra_round_only_on_a_working_day_without_a_round(small_db):
    db = small_db
    home = _unit(db).id
    change_id = rc.add_round_change(db, home, WEDNESDAY, EXTRA, " Influensavaccination ")
    with pytest.raises(BadInput) as info:
        rc.add_round_change(db, home, TUESDAY, EXTRA)
    assert info.value.message == "Extra rond: tisdag 2027-03-02 är redan ronddag för Bäckliden."
    assert info.value.where is not None and info.value.where.field == "Datum"
    with pytest.raises(BadInput, match="lördag 2027-03-06 är ingen arbetsdag \\(helg\\)"):
        rc.add_round_change(db, home, date(2027, 3, 6), EXTRA)
    with pytest.raises(BadInput, match="ingen arbetsdag \\(helgdag \\(Trettondedag jul\\)\\)"):
        rc.add_round_change(db, home, date(2027, 1, 6), EXTRA)
    # a rhythm date the calendar cancels (summer week) may get an extra round
    rc.add_round_change(db, home, date(2027, 7, 13), EXTRA)
    with pytest.raises(BadInput, match="har redan en ändring onsdag 2027-03-03 \\(extra rond\\)"):
        rc.add_round_change(db, home, WEDNESDAY, CANCELLED)
    first = rc.list_round_changes(db)[0]
    assert (first.id, first.unit, first.data.date, first.label, first.data.note,
            first.problem) == (
        change_id, "Bäckliden", WEDNESDAY, "Extra rond", "Influensavaccination", "")


def test_cancelled_round_only_on_a_held_round_date(small_db):
    db = small_db
    home = _unit(db).id
    rc.add_round_change(db, home, date(2027, 3, 9), CANCELLED, "Personalmöte")
    with pytest.raises(BadInput, match="Inställd rond: Bäckliden har ingen rond onsdag"):
        rc.add_round_change(db, home, date(2027, 3, 10), CANCELLED)
    with pytest.raises(BadInput, match="redan inställd \\(semestervecka 29\\)"):
        rc.add_round_change(db, home, date(2027, 7, 20), CANCELLED)
    # Tallen: fortnightly on Wednesdays in odd weeks (week 9 is odd, week 10 even)
    tallen = _unit(db, "Tallen").id
    rc.add_round_change(db, tallen, WEDNESDAY, CANCELLED)
    with pytest.raises(BadInput, match="Tallen har ingen rond onsdag 2027-03-10"):
        rc.add_round_change(db, tallen, date(2027, 3, 10), CANCELLED)


def test_bad_kind_note_and_unit(small_db):
    home = _unit(small_db).id
    with pytest.raises(BadInput) as info:
        rc.add_round_change(small_db, home, WEDNESDAY, "moved", "x" * 201)
    assert info.value.lines == ["Typ: okänd ändring \"moved\" (extra eller inställd).",
                                "Anteckning: högst 200 tecken."]
    with pytest.raises(ConflictError, match="enheten"):
        rc.add_round_change(small_db, 99999, WEDNESDAY, EXTRA)


def test_remove_returns_what_undo_needs_and_everything_is_audited(small_db):
    db = small_db
    home = _unit(db).id
    change_id = rc.add_round_change(db, home, WEDNESDAY, EXTRA, "Vaccination")
    data = rc.remove_round_change(db, change_id)
    assert data == RoundChangeData(home, WEDNESDAY, EXTRA, "Vaccination")
    assert rc.remove_round_change(db, change_id) is None
    assert rc.list_round_changes(db) == []
    rc.add_round_change(db, data.unit_id, data.date, data.kind, data.note)  # undo
    assert len(rc.list_round_changes(db, home)) == 1
    with db.begin() as s:
        log = s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "round_change")
                        .order_by(m.AuditLog.id)).all()
    assert [row.action for row in log] == ["create", "delete", "create"]
    assert log[0].after == {"unit": "Bäckliden", "date": "2027-03-03", "kind": "extra",
                            "note": "Vaccination"}
    assert log[1].before == log[0].after


def test_list_and_planner_dates(small_db):
    db = small_db
    home, tallen = _unit(db).id, _unit(db, "Tallen").id
    rc.add_round_change(db, home, date(2027, 4, 7), EXTRA)
    rc.add_round_change(db, home, date(2027, 3, 9), CANCELLED)
    rc.add_round_change(db, home, WEDNESDAY, EXTRA)
    rc.add_round_change(db, tallen, WEDNESDAY, CANCELLED)
    assert [(r.unit, r.data.date) for r in rc.list_round_changes(db)] == [
        ("Bäckliden", WEDNESDAY), ("Bäckliden", date(2027, 3, 9)),
        ("Bäckliden", date(2027, 4, 7)), ("Tallen", WEDNESDAY)]
    assert [r.unit for r in rc.list_round_changes(db, tallen)] == ["Tallen"]
    with db.begin() as s:
        dates = rc.round_changes_by_unit(s)
    assert dates == {
        "Bäckliden": ((WEDNESDAY, date(2027, 4, 7)), (date(2027, 3, 9),)),
        "Tallen": ((), (WEDNESDAY,)),
    }


def test_a_change_that_no_longer_fits_the_rhythm_is_flagged(small_db):
    db = small_db
    unit = _unit(db)
    rc.add_round_change(db, unit.id, WEDNESDAY, EXTRA)
    rc.add_round_change(db, unit.id, date(2027, 3, 9), CANCELLED)
    us.update_unit(db, unit.id, replace(unit.data, weekdays=(2,)), unit.version)  # Wednesdays
    problems = {r.data.date: r.problem for r in rc.list_round_changes(db)}
    assert problems == {
        WEDNESDAY: "onsdag 2027-03-03 är redan ronddag för Bäckliden.",
        date(2027, 3, 9): "Bäckliden har ingen rond tisdag 2027-03-09.",
    }
