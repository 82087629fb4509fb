"""Veckan with matters (ärenden, issue 21): each round's "45 av 120 min" (red when over),
the matters under their round, a matter opening its patient, booking through the dialog (a
refusal names the next round with time and offers to book anyway), recording Genomfört,
Flyttat and Struket (a reason required) with undo, "Ärende att registrera" in Att göra nu, and
the planning basis saved as a PDF from the window (read back with pypdf)."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader
from PySide6.QtCore import Qt

from lakarrond.matter import MatterStatus
from lakarrond.services.matters import book, list_matters
from lakarrond.services.week_data import MATTER_TO_RECORD
from lakarrond.ui.controllers import week_matters
from lakarrond.ui.dialogs.matter import Booking, BookMatterDialog, RecordMatterDialog
from lakarrond.ui.models.week import MATTER, OVER_FG, ROUND, WeekTreeModel

TIMEOUT_MS = 60_000
TODAY = date(2027, 3, 22)  # the plan is made on this Monday
TUESDAY = date(2027, 3, 30)  # Bäckliden's round 09:00–11:00 with Greta Ek's ÅMV (30 min)
HOME = "Bäckliden"


def _planned(qtbot, window):  # type: ignore[no-untyped-def]
    window.ctx.fixed_today = TODAY
    window.week.this_week()
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        assert window.plan.start(time_limit=5.0, show_dialog=False)
    window.week.go(TUESDAY)
    return window.week


def _round_index(window, day: date = TUESDAY):  # type: ignore[no-untyped-def]
    model: WeekTreeModel = window.week_view.tree_model
    node = next(n for n in model.nodes() if n.kind == ROUND and n.item.entry is not None
                and n.item.unit == HOME and n.item.entry.date == day)
    return model.index_of(node)


def _errors(window) -> list[str]:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    window.ctx.show_error = errors.append
    return errors


def test_a_round_row_shows_its_time_booked_against_its_length(qtbot, window, ui_db):
    week = _planned(qtbot, window)
    book(ui_db, HOME, TUESDAY, "Avstämning")  # 15 min beside one ÅMV of 30
    week.reload()
    model = window.week_view.tree_model
    status = _round_index(window).siblingAtColumn(WeekTreeModel.STATUS_COLUMN)
    assert model.data(status) == "45 av 120 min"
    assert model.data(status, Qt.ItemDataRole.ForegroundRole) is None  # fits: not red


def test_a_round_over_its_length_is_red(qtbot, window, ui_db):
    week = _planned(qtbot, window)
    book(ui_db, HOME, TUESDAY, "Övrigt", minutes=120, force=True)
    week.reload()
    model = window.week_view.tree_model
    status = _round_index(window).siblingAtColumn(WeekTreeModel.STATUS_COLUMN)
    assert model.data(status) == "150 av 120 min"
    assert model.data(status, Qt.ItemDataRole.ForegroundRole).color() == OVER_FG


def test_a_matter_is_a_row_under_its_round_and_opens_its_patient(qtbot, window, ui_db):
    week = _planned(qtbot, window)
    row = book(ui_db, HOME, TUESDAY, "Hembesök", patient="Karl Nilsson", by_role="Sjuksköterska",
               by_name="Eva Syster", note="sämre aptit")
    week.reload()
    model = window.week_view.tree_model
    index = model.find_matter(row.id)
    assert model.node(index).kind == MATTER and model.parent(index) == _round_index(window)
    texts = [model.data(index.siblingAtColumn(c)) for c in range(len(model.HEADERS))]
    assert texts == ["Hembesök: Karl Nilsson", "09:30", HOME, "Planerad",
                     "45 min · Sjuksköterska Eva Syster", ""]
    assert "sämre" not in " ".join(texts)  # the note is printed only on the planning basis
    opened: list[int] = []
    week.open_patient_requested.connect(opened.append)
    window.week_view.tree.activated.emit(index)  # double-click or Enter
    assert opened == [row.patient_id]


def test_a_matter_without_a_patient_opens_nothing(qtbot, window, ui_db):
    week = _planned(qtbot, window)
    row = book(ui_db, HOME, TUESDAY, "Avstämning")
    week.reload()
    opened: list[int] = []
    week.open_patient_requested.connect(opened.append)
    window.week_view.tree.activated.emit(window.week_view.tree_model.find_matter(row.id))
    assert opened == []


def test_booking_in_the_dialog_prefills_the_round_and_is_undoable(qtbot, window, ui_db,
                                                                 monkeypatch):
    week = _planned(qtbot, window)
    window.week_view.tree.setCurrentIndex(_round_index(window))
    seen: list[tuple[str, date, int]] = []

    def fill(dialog: BookMatterDialog) -> bool:
        seen.append((dialog.unit.currentText(), dialog.day.date().toPython(),
                     dialog.minutes.value()))
        dialog.kind.setCurrentText("Hembesök")
        dialog.patient.setCurrentText(dialog.patient.itemText(
            next(i for i in range(dialog.patient.count())
                 if dialog.patient.itemText(i).startswith("Greta Ek"))))
        assert dialog.check() == []
        return True

    monkeypatch.setattr(window.ctx, "exec_dialog", fill)
    assert week.matters.book()
    assert seen == [(HOME, TUESDAY, 30)]  # the first kind's default minutes
    assert [(r.kind, r.patient, r.minutes) for r in list_matters(ui_db)] == [
        ("Hembesök", "Greta Ek", 45)]
    assert window.week_view.tree_model.find_matter(list_matters(ui_db)[0].id).isValid()
    window.undo_stack.undo()
    assert list_matters(ui_db) == []


def test_the_dialog_wants_a_patient_for_a_kind_about_a_patient(qtbot, window, ui_db):
    dialog = BookMatterDialog([HOME], HOME, TUESDAY, {HOME: [(2, "Greta Ek")]},
                              {}, None)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentText("Hembesök")
    assert dialog.check() == ["Ett ärende av typen Hembesök gäller en patient – välj patienten."]
    dialog.kind.setCurrentText("Avstämning")
    assert dialog.check() == []


def test_a_refusal_names_the_next_round_and_booking_anyway_needs_a_yes(qtbot, window, ui_db,
                                                                      monkeypatch):
    week = _planned(qtbot, window)
    asked: list[str] = []
    answer = [False]

    def confirm(message: str) -> bool:
        asked.append(message)
        return answer[0]

    monkeypatch.setattr(week.matters, "confirm_force", confirm)
    values = Booking(HOME, TUESDAY, "Övrigt", minutes=100)
    assert not week.matters.book_values(values)  # 90 min left: refused, the user says no
    assert list_matters(ui_db) == []
    assert "Nästa rond med tid: tisdag 2027-04-13" in asked[0] and "--force" not in asked[0]
    answer[0] = True
    assert week.matters.book_values(values)  # "Boka ändå"
    assert [r.minutes for r in list_matters(ui_db)] == [100]


def test_a_refusal_that_no_move_can_help_is_an_error_without_the_offer(qtbot, window, ui_db,
                                                                       monkeypatch):
    week = _planned(qtbot, window)
    errors = _errors(window)
    monkeypatch.setattr(week.matters, "confirm_force", lambda _m: True)
    values = Booking(HOME, TUESDAY, "Övrigt", minutes=130)
    assert not week.matters.book_values(values)  # longer than the round itself
    assert errors and "ärendet behöver 130 min" in errors[0]
    assert list_matters(ui_db) == []


def _chosen(window, week, row_id: int) -> None:  # type: ignore[no-untyped-def]
    week.reload()
    assert week.matters.select(row_id)


def test_recorded_done_and_undone(qtbot, window, ui_db):
    week = _planned(qtbot, window)
    row = book(ui_db, HOME, TUESDAY, "Avstämning")
    _chosen(window, week, row.id)
    assert window.week_view.matter_bar.done_button.isEnabled()
    model = window.week_view.tree_model
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    window.week_view.matter_bar.done_button.click()
    assert [r.status for r in list_matters(ui_db)] == ["Genomförd"]
    status = model.find_matter(row.id).siblingAtColumn(WeekTreeModel.STATUS_COLUMN)
    assert model.data(status) == "Genomförd" and resets == []  # updated in place
    window.undo_stack.undo()
    assert [r.status for r in list_matters(ui_db)] == ["Planerad"]
    assert model.data(model.find_matter(row.id).siblingAtColumn(
        WeekTreeModel.STATUS_COLUMN)) == "Planerad"


def test_moved_to_the_next_round_with_time_prefilled(qtbot, window, ui_db, monkeypatch):
    week = _planned(qtbot, window)
    row = book(ui_db, HOME, TUESDAY, "Avstämning")
    _chosen(window, week, row.id)
    shown: list[date] = []

    def accept(dialog: RecordMatterDialog) -> bool:
        shown.append(dialog.day.date().toPython())
        return True

    monkeypatch.setattr(window.ctx, "exec_dialog", accept)
    assert week.matters.record(MatterStatus.MOVED)
    assert shown == [date(2027, 4, 6)]
    assert [(r.status, r.date) for r in list_matters(ui_db)] == [
        ("Flyttad", TUESDAY), ("Planerad", date(2027, 4, 6))]
    window.undo_stack.undo()
    assert [(r.status, r.date) for r in list_matters(ui_db)] == [("Planerad", TUESDAY)]


def test_struck_needs_a_reason(qtbot, window, ui_db, monkeypatch):
    week = _planned(qtbot, window)
    row = book(ui_db, HOME, TUESDAY, "Avstämning")
    _chosen(window, week, row.id)
    checks: list[list[str]] = []

    def answer(dialog: RecordMatterDialog) -> bool:
        checks.append(dialog.check())
        dialog.reason.setText("Löst per telefon")
        checks.append(dialog.check())
        return True

    monkeypatch.setattr(window.ctx, "exec_dialog", answer)
    assert week.matters.record(MatterStatus.STRUCK)
    assert checks == [["Ange varför ärendet stryks."], []]
    assert [(r.status, r.reason) for r in list_matters(ui_db)] == [
        ("Struken", "Löst per telefon")]


def test_a_held_deterioration_planning_may_count_as_the_review(qtbot, window, ui_db,
                                                               monkeypatch):
    week = _planned(qtbot, window)
    row = book(ui_db, HOME, TUESDAY, "Vårdplanering vid försämring", patient="Greta Ek")
    _chosen(window, week, row.id)
    offered: list[bool] = []

    def tick(dialog: RecordMatterDialog) -> bool:
        offered.append(dialog.counts.parent() is not None and not dialog.counts.isHidden())
        dialog.counts.setChecked(True)
        return True

    monkeypatch.setattr(window.ctx, "exec_dialog", tick)
    assert week.matters.record(MatterStatus.DONE)
    assert offered == [True]
    assert [(r.status, r.counts_as_review) for r in list_matters(ui_db)] == [("Genomförd", True)]


def test_an_unrecorded_matter_is_in_att_gora_nu_until_recorded(qtbot, window, ui_db):
    week = _planned(qtbot, window)
    row = book(ui_db, HOME, TUESDAY, "Avstämning")
    week.reload()
    todo = window.week_view.todo_model
    assert not [t for t in todo.rows() if t.kind == MATTER_TO_RECORD]  # its day: not yet
    window.ctx.fixed_today = date(2027, 3, 31)  # the working day after
    week.reload()
    items = [t for t in todo.rows() if t.kind == MATTER_TO_RECORD]
    assert [t.matter_id for t in items] == [row.id]
    week.todo_activated(items[0])  # shown in its round, chosen
    assert window.week_view.tree_model.matter_at(window.week_view.tree.currentIndex()).id \
        == row.id
    window.week_view.matter_bar.done_button.click()
    assert not [t for t in todo.rows() if t.kind == MATTER_TO_RECORD]


def _save_to(monkeypatch, path):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(week_matters.QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: (str(path), "PDF-filer (*.pdf)"))


def test_the_planning_basis_of_a_round_is_saved_as_a_pdf(qtbot, window, ui_db, monkeypatch,
                                                         tmp_path):
    week = _planned(qtbot, window)
    book(ui_db, HOME, TUESDAY, "Hembesök", patient="Karl Nilsson", note="Sämre aptit")
    week.reload()
    window.week_view.tree.setCurrentIndex(_round_index(window))
    _save_to(monkeypatch, tmp_path / "out" / "underlag")
    (tmp_path / "out").mkdir()
    saved = week.matters.save_basis()
    assert saved == tmp_path / "out" / "underlag.pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(saved)).pages).split())
    for part in ("Planeringsunderlag", "Greta Ek", "Hembesök", "Karl Nilsson", "Sämre aptit"):
        assert part in text
    assert "19300101" not in text  # without personnummer unless asked for
    assert window.settings.value(week_matters.BASIS_FOLDER_KEY) == str(tmp_path / "out")


def test_the_planning_basis_with_personnummer_when_asked(qtbot, window, ui_db, monkeypatch,
                                                         tmp_path):
    week = _planned(qtbot, window)
    window.week_view.tree.setCurrentIndex(_round_index(window))
    window.week_view.matter_bar.numbers_action.setChecked(True)
    _save_to(monkeypatch, tmp_path / "med.pdf")
    saved = week.matters.save_basis()
    assert saved is not None
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(saved)).pages).split())
    assert "19300101" in text  # Greta Ek's ÅMV


def test_no_basis_without_a_chosen_round(qtbot, window, ui_db, monkeypatch, tmp_path):
    week = _planned(qtbot, window)
    errors = _errors(window)
    window.week_view.tree.setCurrentIndex(window.week_view.tree_model.index(0, 0))  # a doctor
    _save_to(monkeypatch, tmp_path / "x.pdf")
    assert week.matters.save_basis() is None
    assert errors == ["Markera en rond i Veckan först."]


def test_the_planning_basis_of_the_doctors_week(qtbot, window, ui_db, monkeypatch, tmp_path):
    week = _planned(qtbot, window)
    book(ui_db, HOME, TUESDAY, "Avstämning")
    window.week_view.tree.setCurrentIndex(_round_index(window))  # one of Anna Berg's rounds
    _save_to(monkeypatch, tmp_path / "vecka.pdf")
    saved = week.matters.save_basis(week=True)
    assert saved is not None
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(saved)).pages).split())
    assert "Bäckliden" in text and "Avstämning" in text and "Ekbacken" in text


def test_the_context_menus_of_a_round_and_a_matter(qtbot, window, ui_db):
    week = _planned(qtbot, window)
    row = book(ui_db, HOME, TUESDAY, "Avstämning")
    week.reload()
    tree = window.week_view.tree
    on_round = week.matters.menu(_round_index(window))
    assert on_round is not None
    assert [a.text() for a in on_round.actions()] == ["Boka ärende …",
                                                      "Skriv ut planeringsunderlag …"]
    on_matter = week.matters.menu(window.week_view.tree_model.find_matter(row.id))
    assert on_matter is not None
    assert [a.text() for a in on_matter.actions() if a.text()][:3] == [
        "Genomfört", "Flyttat till nästa rond …", "Struket …"]
    assert week.matters.menu(window.week_view.tree_model.index(0, 0)) is None  # a doctor row
    tree.setCurrentIndex(window.week_view.tree_model.index(0, 0))
    assert not window.week_view.matter_bar.done_button.isEnabled()  # no matter chosen


def test_a_chosen_matter_shows_no_reviews_checklist(qtbot, window, ui_db):
    week = _planned(qtbot, window)
    row = book(ui_db, HOME, TUESDAY, "Avstämning")
    week.reload()
    view = window.week_view
    model = view.tree_model
    review = next(n for n in model.nodes() if n.kind != MATTER and n.parent is not None
                  and n.parent.kind == ROUND)
    view.tree.setCurrentIndex(model.index_of(review))  # an ÅMV: its steps are shown
    assert view.checklist_model.rowCount() > 0
    view.tree.setCurrentIndex(model.find_matter(row.id))  # a matter: no ÅMV's steps
    assert view.checklist_model.rowCount() == 0


def test_booking_from_an_amv_outside_a_round_prefills_its_units_next_round(qtbot, window,
                                                                          ui_db, monkeypatch):
    """An ÅMV on separate ÅMV time has no round row above it: its unit and that unit's round
    on that day or the next one with time are prefilled, not today with no unit."""
    week = _planned(qtbot, window)
    model = window.week_view.tree_model
    review = next(n for n in model.nodes() if n.kind != MATTER and n.parent is not None
                  and n.parent.kind == ROUND and n.item.review.unit == HOME)
    window.week_view.tree.setCurrentIndex(model.index_of(review))
    monkeypatch.setattr(week.matters, "chosen_round", lambda: None)  # as on separate time
    seen: list[tuple[str, date]] = []

    def look(dialog: BookMatterDialog) -> bool:
        seen.append((dialog.unit.currentText(), dialog.day.date().toPython()))
        return False

    monkeypatch.setattr(window.ctx, "exec_dialog", look)
    week.matters.book()
    assert seen == [(HOME, TUESDAY)]
