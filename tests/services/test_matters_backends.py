"""Matters (ärenden) on SQLite and PostgreSQL: the table of revision 0008_matters, booking,
moving (the self-reference) and unbooking a matter whose successor links back."""

from __future__ import annotations

from datetime import date

from lakarrond.services.matters import book, list_matters, set_status, unbook

HOME = "Bäckliden"
TUESDAY = date(2027, 4, 6)  # Bäckliden's weekly round


def test_book_move_and_unbook_on_each_backend(small_db):
    first = book(small_db, HOME, TUESDAY, "Hembesök", patient="Greta Ek", note="anteckning")
    change = set_status(small_db, first.id, "Flyttad", new_date=date(2027, 4, 13))
    assert change.new_matter_id is not None
    assert unbook(small_db, change.new_matter_id) is not None
    rows = list_matters(small_db)
    assert [(r.id, r.status, r.moved_to) for r in rows] == [(first.id, "Flyttad", None)]


def test_a_round_without_a_plan_has_its_whole_length(small_db):
    book(small_db, HOME, TUESDAY, "Avstämning", minutes=120)  # 120 of 120 min, no ÅMV yet
    assert [r.minutes for r in list_matters(small_db, unit=HOME)] == [120]
