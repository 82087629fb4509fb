"""Matters (ärenden) in a round (issue 21.2): booking against the round's time (refused
with the next round that has it), force (the ÅMV get new dates at the next plan and are in
"Flyttade – meddela"), status changes and their undo, the audit without the note, the input
version, the minutes per kind."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.matter import DEFAULT_MINUTES, MatterKind, round_time
from lakarrond.services.matters import (
    book,
    list_matters,
    matter_minutes,
    restore_status,
    set_matter_minutes,
    set_status,
    unbook,
)
from lakarrond.services.moves import MATTERS
from lakarrond.services.plan import make_plan, plan_year
from lakarrond.services.problem import build_problem
from lakarrond.services.staleness import staleness
from lakarrond.store import input_version
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

NOTE = "Sämre aptit sedan två veckor, gått ned 3 kg"



def _one_review_date(db) -> date:
    """A round date in spring or later with one ÅMV in it (30 of 60 minutes left)."""
    return min(d for d, names in review_dates(db).items()
               if len(names) == 1 and d > date(YEAR, 4, 1))


# --- the time left, the one computation ------------------------------------------------------


def test_round_time_counts_other_time_reviews_and_matters():
    t = round_time(length_min=60, other_min=10, reviews=1, review_min=30, matters_min=15)
    assert (t.booked_min, t.left_min, t.text()) == (55, 5, "55 av 60 min")
    assert t.fits(5)
    assert not t.fits(6)


# --- booking ---------------------------------------------------------------------------------


def test_a_matter_that_fits_is_booked_with_the_kinds_default_minutes(db):
    day = _one_review_date(db)
    row = book(db, HOME, day, "Avstämning", by_role="sjuksköterska", by_name="Eva Syster")
    assert (row.kind, row.minutes, row.status, row.by) == (
        "Avstämning", DEFAULT_MINUTES[MatterKind.CHECK_IN], "Planerad",
        "Sjuksköterska Eva Syster")
    assert [r.id for r in list_matters(db, unit=HOME)] == [row.id]


def test_a_matter_that_does_not_fit_is_refused_naming_the_next_round_with_time(db):
    day = _one_review_date(db)
    book(db, HOME, day, "Hembesök", patient="Karl Nilsson", minutes=20)
    with pytest.raises(BadInput) as err:
        book(db, HOME, day, "Avstämning", minutes=15)  # 10 min left
    assert "har 10 min kvar" in err.value.message
    nxt = date.fromordinal(day.toordinal() + 7)  # weekly rounds on Tuesdays
    assert f"Nästa rond med tid: tisdag {nxt.isoformat()}" in err.value.message
    assert len(list_matters(db)) == 1


def test_a_date_without_a_round_is_refused(db):
    with pytest.raises(BadInput, match="ingen rond onsdag 2027-04-14"):
        book(db, HOME, date(YEAR, 4, 14), "Avstämning")


def test_the_patient_is_required_except_for_avstamning_and_ovrigt(db):
    day = _one_review_date(db)
    with pytest.raises(BadInput, match="gäller en patient"):
        book(db, HOME, day, "Brytpunktsamtal")
    assert book(db, HOME, day, "Övrigt", minutes=10).patient is None


def test_force_books_where_the_reviews_take_the_time(db):
    day = _one_review_date(db)
    with pytest.raises(BadInput, match="--force"):
        book(db, HOME, day, "Vårdplanering vid försämring", patient="Greta Ek", minutes=60)
    row = book(db, HOME, day, "Vårdplanering vid försämring", patient="Greta Ek",
               minutes=60, force=True)
    assert row.minutes == 60


def test_force_does_not_book_over_other_matters(db):
    day = _one_review_date(db)
    book(db, HOME, day, "Hembesök", patient="Karl Nilsson", minutes=30)
    with pytest.raises(BadInput, match="har 0 min kvar"):
        book(db, HOME, day, "Avstämning", minutes=45, force=True)


def test_a_60_minute_matter_lowers_that_dates_reviews_in_the_next_plan(db):
    day = _one_review_date(db)
    moved_patient = review_dates(db)[day][0]
    book(db, HOME, day, "Avstämning", minutes=60, force=True)
    draft = make_plan(db, YEAR, time_limit=5)
    assert [(mv.patient, mv.old, mv.reason) for mv in draft.moves] == [
        (moved_patient, day, MATTERS)]
    plan_year(db, YEAR, time_limit=5)
    assert day not in review_dates(db)


def test_without_a_matter_the_next_plan_keeps_that_dates_review(db):
    day = _one_review_date(db)
    draft = make_plan(db, YEAR, time_limit=5)
    assert draft.moves == ()
    plan_year(db, YEAR, time_limit=5)
    assert len(review_dates(db)[day]) == 1


def test_reserved_minutes_count_planned_and_done_matters_only(db):
    day = _one_review_date(db)
    kept = book(db, HOME, day, "Avstämning", minutes=10)
    done = book(db, HOME, day, "Övrigt", minutes=5)
    struck = book(db, HOME, day, "Övrigt", minutes=15)
    set_status(db, done.id, "Genomförd")
    set_status(db, struck.id, "Struken", reason="läkaren sjuk")
    with db.read() as s:
        problem, _ = build_problem(s, YEAR)
    assert problem.reserved_minutes == {(HOME, day): kept.minutes + done.minutes}


# --- status ----------------------------------------------------------------------------------


def test_a_moved_matter_links_to_the_new_one_and_undo_removes_it(db):
    day = _one_review_date(db)
    row = book(db, HOME, day, "Hembesök", patient="Karl Nilsson", minutes=30, note=NOTE)
    later = date.fromordinal(day.toordinal() + 7)
    change = set_status(db, row.id, "Flyttad", new_date=later)
    rows = {r.id: r for r in list_matters(db)}
    assert rows[row.id].status == "Flyttad"
    assert rows[row.id].moved_to == change.new_matter_id
    new = rows[change.new_matter_id]
    assert (new.date, new.kind, new.patient, new.note, new.status) == (
        later, "Hembesök", "Karl Nilsson", NOTE, "Planerad")
    restore_status(db, change)
    assert [(r.id, r.status, r.moved_to) for r in list_matters(db)] == [
        (row.id, "Planerad", None)]


def test_a_move_needs_a_later_date(db):
    day = _one_review_date(db)
    row = book(db, HOME, day, "Avstämning")
    with pytest.raises(BadInput, match="efter"):
        set_status(db, row.id, "Flyttad", new_date=date.fromordinal(day.toordinal() - 7))
    with pytest.raises(BadInput, match="nytt datum"):
        set_status(db, row.id, "Flyttad")


def test_struck_needs_a_reason(db):
    day = _one_review_date(db)
    row = book(db, HOME, day, "Avstämning")
    with pytest.raises(BadInput, match="orsak"):
        set_status(db, row.id, "Struken", reason="  ")
    change = set_status(db, row.id, "Struken", reason="inget att stämma av")
    assert [(r.status, r.reason) for r in list_matters(db)] == [
        ("Struken", "inget att stämma av")]
    restore_status(db, change)
    assert [(r.status, r.reason) for r in list_matters(db)] == [("Planerad", "")]


def test_unbook_and_book_again_under_the_same_id(db):
    day = _one_review_date(db)
    row = book(db, HOME, day, "Avstämning", note=NOTE)
    assert unbook(db, row.id) == row
    assert list_matters(db) == []
    again = book(db, HOME, day, row.kind, minutes=row.minutes, note=row.note,
                 matter_id=row.id)
    assert again.id == row.id


# --- audit, input version --------------------------------------------------------------------


def _audit_rows(db) -> list[m.AuditLog]:
    with db.read() as s:
        return list(s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "matter")
                              .order_by(m.AuditLog.id)))


def test_every_change_is_audited_without_the_note(db):
    day = _one_review_date(db)
    row = book(db, HOME, day, "Hembesök", patient="Karl Nilsson", minutes=30, note=NOTE)
    set_status(db, row.id, "Genomförd")
    logged = _audit_rows(db)
    assert [(a.action, a.after["what"]) for a in logged] == [
        ("create", f"ärende bokat: Hembesök, {HOME}, {day.isoformat()}"),
        ("update", f"ärende genomförd: Hembesök, {HOME}, {day.isoformat()}")]
    assert all(NOTE not in repr((a.before, a.after)) for a in logged)
    assert list_matters(db)[0].note == NOTE  # the note itself is kept


def test_a_booking_makes_the_saved_plan_stale(db):
    with db.read() as s:
        before = input_version(s)
    assert not staleness(db, YEAR).stale
    book(db, HOME, _one_review_date(db), "Avstämning")
    with db.read() as s:
        assert input_version(s) == before + 1
    after = staleness(db, YEAR)
    assert after.stale
    assert after.text.startswith("1 ärende ändrade")


# --- the minutes per kind --------------------------------------------------------------------


def test_the_minutes_per_kind_are_a_setting_of_the_year(db):
    assert matter_minutes(db, YEAR)[MatterKind.HOME_VISIT] == 45
    set_matter_minutes(db, YEAR, {MatterKind.HOME_VISIT: 20})
    assert matter_minutes(db, YEAR)[MatterKind.HOME_VISIT] == 20
    assert matter_minutes(db, YEAR + 1)[MatterKind.HOME_VISIT] == 45
    row = book(db, HOME, _one_review_date(db), "Hembesök", patient="Greta Ek")
    assert row.minutes == 20  # 45 would not fit the 30 minutes left


def test_a_matter_longer_than_any_round_names_no_next_round(db):
    with pytest.raises(BadInput, match="Ingen senare rond på Bäckliden har 90 min kvar"):
        book(db, HOME, _one_review_date(db), "Avstämning", minutes=90, force=True)
