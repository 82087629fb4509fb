"""Veckan with many doctors (issue 17): a health centre's doctors chosen (remembered), days
without a round folded into one line, and a find bar (Ctrl+F) over the week."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from lakarrond.services.week_data import WeekDay
from lakarrond.ui.controllers.printing import WEEK_FOLDER_KEY
from lakarrond.ui.main_window import MainWindow
from lakarrond.ui.models.week import DAY, DOCTOR, FOLDED, REVIEW, folded_text
from lakarrond.ui.views.week import ALL_DOCTORS, CENTRE_SUFFIX
from tests.ui.test_ui_week_doctor import _doctors_in_tree, _prints, _ready

NORR = "Vårdcentralen Norr"


def _lines(window, doctor: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(kind, text) of the doctor's rows under the doctor row."""
    tree = window.week_view.tree_model
    for r in range(tree.rowCount()):
        top = tree.index(r, 0)
        if tree.node(top).item.doctor == doctor:
            return [(tree.node(tree.index(i, 0, top)).kind, tree.index(i, 0, top).data())
                    for i in range(tree.rowCount(top))]
    raise AssertionError(f"{doctor} not in the week")


def _busy_week(qtbot, window, ui_db) -> None:  # type: ignore[no-untyped-def]
    """The plan ready and Veckan on a week with ÅMV of both doctors, if there is one."""
    _ready(qtbot, window, ui_db)
    reviews = window.ctx.document.reviews
    weeks = {}
    for a in reviews:
        weeks.setdefault(a.date.isocalendar()[:2], set()).add(a.doctor)
    day = next((a.date for a in reviews if len(weeks[a.date.isocalendar()[:2]]) > 1),
               reviews[0].date)
    window.week.go(day)


def test_a_health_centre_shows_its_doctors_only_and_is_remembered(
        qtbot, window, ui_db, settings):  # type: ignore[no-untyped-def]
    _ready(qtbot, window, ui_db)
    combo = window.week_view.doctor_combo
    combo.setCurrentText(NORR + CENTRE_SUFFIX)
    assert window.week_view.chosen_centre() == NORR
    assert window.week_view.chosen_doctor() is None
    assert _doctors_in_tree(window) == ["Bo Lund"]
    combo.setCurrentText("Vårdcentralen Test" + CENTRE_SUFFIX)
    assert _doctors_in_tree(window) == ["Anna Berg"]
    combo.setCurrentText(NORR + CENTRE_SUFFIX)
    assert settings.value("week/health_centre") == NORR
    window.week.next_week()
    assert _doctors_in_tree(window) == ["Bo Lund"]  # kept in another week
    again = MainWindow(ui_db, year=2027, settings=settings)
    qtbot.addWidget(again)
    again.week.go(window.week.monday)
    assert again.week_view.chosen_centre() == NORR
    assert _doctors_in_tree(again) == ["Bo Lund"]
    again.close()
    combo.setCurrentText(ALL_DOCTORS)  # Alla: the centre is forgotten
    assert settings.value("week/health_centre") == ""
    assert _doctors_in_tree(window) == ["Anna Berg", "Bo Lund"]


def test_the_printout_follows_the_chosen_health_centre(
        qtbot, window, ui_db, settings, tmp_path):  # type: ignore[no-untyped-def]
    _ready(qtbot, window, ui_db)
    window.week_view.doctor_combo.setCurrentText(NORR + CENTRE_SUFFIX)
    window.ctx.exec_dialog = lambda d: True  # type: ignore[method-assign]
    assert window.week.print_week()
    assert _prints(ui_db)[-1].after["doctor"] == "Bo Lund"  # one page: the centre's doctor
    settings.setValue(WEEK_FOLDER_KEY, str(tmp_path))
    saved = window.printing.save_week_pdf(window.week.monday, None,
                                          doctors=window.week_view.chosen_doctors(),
                                          group=NORR)
    assert saved is not None and "vardcentralen-norr" in saved.name
    assert _prints(ui_db)[-1].after["doctor"] == "Bo Lund"
    window.week_view.doctor_combo.setCurrentText(ALL_DOCTORS)
    assert window.week.print_week()
    assert _prints(ui_db)[-1].after.get("doctor") is None  # every doctor's page


def test_days_without_a_round_are_folded_into_one_line(qtbot, window, ui_db):  # type: ignore[no-untyped-def]
    _ready(qtbot, window, ui_db)
    bo = _lines(window, "Bo Lund")  # rounds on Mondays only
    assert [kind for kind, _ in bo] == [DAY, FOLDED]
    assert bo[1][1] == "Ingen rond tis–fre"
    anna = _lines(window, "Anna Berg")
    assert all(kind != DAY or "ingen rond" not in text for kind, text in anna)
    assert sum(1 for kind, _ in anna if kind == FOLDED) <= 1


def test_folded_text_names_the_runs_of_days() -> None:
    monday = date(2027, 3, 22)

    def days(*numbers: int) -> list[WeekDay]:
        return [WeekDay(date.fromordinal(monday.toordinal() + n)) for n in numbers]

    assert folded_text(days(1, 2, 3, 4)) == "Ingen rond tis–fre"
    assert folded_text(days(0, 2, 3)) == "Ingen rond mån, ons–tor"
    assert folded_text(days(4)) == "Ingen rond fre"


def test_ctrl_f_finds_a_patient_in_the_week_and_selects_it(qtbot, window, ui_db):  # type: ignore[no-untyped-def]
    _busy_week(qtbot, window, ui_db)
    view = window.week_view
    patient = next(w for d in view.week.doctors for w in d.reviews)
    window.find_action.trigger()
    assert view.find_bar.isVisibleTo(view)
    view.find_bar.edit.setText(patient.patient.split()[0].upper())
    chosen = view.selected_reviews()
    assert [w.patient for w in chosen] == [patient.patient]
    assert view.find_bar.result.text().endswith(f"av {len(view.find_bar.matches)}")
    view.find_bar.edit.setText("Bo Lu")  # a doctor: the doctor's row is current
    current = view.tree.currentIndex()
    node = view.tree_model.node(current)
    assert node.kind == DOCTOR and node.item.doctor == "Bo Lund"
    qtbot.keyClick(view.find_bar.edit, Qt.Key.Key_Escape)
    assert not view.find_bar.isVisibleTo(view)


def test_the_find_bar_steps_through_matches_round_the_week(qtbot, window, ui_db):  # type: ignore[no-untyped-def]
    _busy_week(qtbot, window, ui_db)
    view = window.week_view
    view.open_find()
    view.find_bar.edit.setText("n")  # both doctors (Anna, Lund) and more
    n = len(view.find_bar.matches)
    assert n >= 2
    first = view.tree.currentIndex()
    assert view.find_bar.step(1) and view.tree.currentIndex() != first
    for _ in range(n - 1):
        view.find_bar.step(1)
    assert view.tree.currentIndex() == first  # round the week
    view.find_bar.step(-1)
    assert view.find_bar.result.text() == f"{n} av {n}"


def test_a_name_not_in_the_week_is_said(qtbot, window, ui_db):  # type: ignore[no-untyped-def]
    _ready(qtbot, window, ui_db)
    view = window.week_view
    view.open_find()
    view.find_bar.edit.setText("Zlatan")
    assert view.find_bar.matches == []
    assert view.find_bar.result.text() == "”Zlatan” finns inte i veckan"
    assert view.selected_reviews() == []


def test_a_name_only_with_a_doctor_not_shown_says_whose(qtbot, window, ui_db):  # type: ignore[no-untyped-def]
    _busy_week(qtbot, window, ui_db)
    view = window.week_view
    annas = next(w for d in view.week.doctors if d.doctor == "Anna Berg" for w in d.reviews)
    view.doctor_combo.setCurrentText("Bo Lund")
    view.open_find()
    view.find_bar.edit.setText(annas.patient)
    assert view.find_bar.matches == []
    assert view.find_bar.result.text().startswith("Finns hos Anna Berg")
    view.doctor_combo.setCurrentText(ALL_DOCTORS)
    view.find_bar.edit.setText("")
    view.find_bar.edit.setText(annas.patient)
    assert [w.patient for w in view.selected_reviews()] == [annas.patient]
    assert view.tree_model.node(view.tree.currentIndex()).kind == REVIEW
