"""The window's undo stack takes matter (ärende) edits: booking and a status, undone and
redone through the service's inverses (issue 21.2)."""

from __future__ import annotations

from datetime import date

from lakarrond.services.matters import book, list_matters, set_status
from lakarrond.ui.matter_undo import BookMatter, SetMatterStatus

TUESDAY = date(2027, 4, 6)  # a round of Bäckliden


def test_booking_a_matter_is_undone_and_redone(window, ui_db):
    row = book(ui_db, "Bäckliden", TUESDAY, "Hembesök", patient="Greta Ek", note="anteckning")
    window.undo_stack.push(BookMatter(window.ctx, row))
    assert window.undo_stack.undoText() == "Boka ärende: Hembesök, Bäckliden 2027-04-06"
    window.undo_stack.undo()
    assert list_matters(ui_db) == []
    window.undo_stack.redo()
    assert list_matters(ui_db) == [row]


def test_a_status_is_undone_and_redone(window, ui_db):
    row = book(ui_db, "Bäckliden", TUESDAY, "Avstämning")
    change = set_status(ui_db, row.id, "Flyttad", new_date=date(2027, 4, 13))
    window.undo_stack.push(SetMatterStatus(window.ctx, change, "2027-04-13"))
    window.undo_stack.undo()
    assert [(r.status, r.date) for r in list_matters(ui_db)] == [("Planerad", TUESDAY)]
    window.undo_stack.redo()
    assert [(r.status, r.date) for r in list_matters(ui_db)] == [
        ("Flyttad", TUESDAY), ("Planerad", date(2027, 4, 13))]


def test_a_redo_into_a_round_filled_meanwhile_fails_and_drops_the_command(window, ui_db):
    errors: list[str] = []
    window.ctx.show_error = errors.append  # type: ignore[method-assign]
    row = book(ui_db, "Bäckliden", TUESDAY, "Hembesök", patient="Greta Ek")
    window.undo_stack.push(BookMatter(window.ctx, row))
    window.undo_stack.undo()
    book(ui_db, "Bäckliden", TUESDAY, "Övrigt", minutes=120)  # someone else fills it
    window.undo_stack.redo()
    assert errors and "0 min kvar" in errors[0]
    assert [r.kind for r in list_matters(ui_db)] == ["Övrigt"]
