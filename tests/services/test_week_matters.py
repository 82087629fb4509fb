"""Veckan's data with matters (issue 21.4–5): each round's time booked against its length
("45 av 60 min", from round_time, the one place), the matters under their round in the
planning basis's clock order, and "Ärende att registrera" in Att göra nu (from follow_ups, the
one function) once the working day after the round has come, gone when recorded."""

from __future__ import annotations

from datetime import date

from lakarrond.matter import record_by, to_record
from lakarrond.services.document import current_document
from lakarrond.services.matters import book, list_matters, set_status
from lakarrond.services.week import follow_ups, load_week
from lakarrond.services.week_data import MATTER_TO_RECORD, WeekData, WeekRound
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


def _round(week: WeekData, day: date, unit: str = HOME) -> WeekRound:
    return next(r for d in week.doctors for wd in d.days for r in wd.rounds
                if wd.date == day and r.unit == unit)


def _one_review_round(db) -> date:  # type: ignore[no-untyped-def]
    """A Bäckliden round (60 min) with one ÅMV of 30 min in the saved plan."""
    dates = review_dates(db)
    return next(d for d in sorted(dates) if len(dates[d]) == 1 and d > date(YEAR, 2, 1))


def test_a_round_shows_its_time_booked_and_is_not_over_while_it_fits(db):
    day = _one_review_round(db)
    book(db, HOME, day, "Avstämning")  # 15 min
    rnd = _round(load_week(db, day, day), day)
    assert rnd.time_used_text == "45 av 60 min"
    assert not rnd.overbooked


def test_a_round_forced_over_its_length_is_overbooked(db):
    day = _one_review_round(db)
    book(db, HOME, day, "Övrigt", minutes=60, force=True)  # the ÅMV take the time
    rnd = _round(load_week(db, day, day), day)
    assert rnd.time_used_text == "90 av 60 min"
    assert rnd.overbooked


def test_matters_follow_the_reviews_in_booking_order_with_their_clock_times(db):
    day = _one_review_round(db)
    first = book(db, HOME, day, "Avstämning", minutes=10)
    second = book(db, HOME, day, "Hembesök", patient="Greta Ek", minutes=15)
    rnd = _round(load_week(db, day, day), day)
    assert [(x.id, x.time_text) for x in rnd.matters] == [(first.id, "09:30"),
                                                           (second.id, "09:40")]
    assert rnd.matters[1].matter.patient == "Greta Ek"


def test_a_matter_on_another_round_date_is_not_under_this_round(db):
    day = _one_review_round(db)
    later = next(d for d in sorted(review_dates(db)) if d > day)
    book(db, HOME, later, "Avstämning")
    assert _round(load_week(db, day, day), day).matters == ()


def test_record_by_is_the_next_working_day():
    assert record_by(date(2027, 3, 23)) == date(2027, 3, 24)  # Tuesday → Wednesday
    assert record_by(date(2027, 5, 7)) == date(2027, 5, 10)  # Friday → Monday
    assert record_by(date(2027, 3, 25)) == date(2027, 3, 30)  # Easter skipped
    assert to_record("Planerad", date(2027, 3, 23), date(2027, 3, 24))
    assert not to_record("Planerad", date(2027, 3, 23), date(2027, 3, 23))
    assert not to_record("Genomförd", date(2027, 3, 23), date(2027, 3, 30))


def test_an_unrecorded_matter_is_in_att_gora_nu_the_working_day_after(db):
    day = _one_review_round(db)
    row = book(db, HOME, day, "Hembesök", patient="Greta Ek", minutes=20)
    doc = current_document(db, YEAR, record_by(day))
    assert doc is not None
    items = [t for t in follow_ups(doc, record_by(day), list_matters(db))
             if t.kind == MATTER_TO_RECORD]
    assert [(t.matter_id, t.patient, t.date) for t in items] == [(row.id, "Greta Ek", day)]
    week = load_week(db, record_by(day), record_by(day))
    assert [t.matter_id for t in week.todo if t.kind == MATTER_TO_RECORD] == [row.id]


def test_a_matter_is_not_in_att_gora_nu_on_its_day_nor_once_recorded(db):
    day = _one_review_round(db)
    row = book(db, HOME, day, "Hembesök", patient="Greta Ek", minutes=20)
    doc = current_document(db, YEAR, day)
    assert doc is not None
    assert not [t for t in follow_ups(doc, day, list_matters(db)) if t.kind == MATTER_TO_RECORD]
    set_status(db, row.id, "Genomförd")
    later = record_by(day)
    assert not [t for t in load_week(db, later, later).todo if t.kind == MATTER_TO_RECORD]
