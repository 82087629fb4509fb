"""One follow-up list (issue 22 point 2): the services compute what needs following up in a
saved plan once (``services.week.follow_ups``); Årsplan's "Att följa upp" only displays it,
and Veckan's "Att göra" starts from the same items."""

from __future__ import annotations

from datetime import date

from lakarrond.document import (
    AnnualReview,
    DueAgain,
    ForcedMoveEntry,
    PlanDocument,
    SolverFigures,
)
from lakarrond.services.week import build_week, follow_ups
from lakarrond.services.week_data import FORCED, NEW_DATE, PREP_DUE, UNRECORDED
from lakarrond.ui.views.plan import PlanView
from solver.problem import Settings

TODAY = date(2027, 3, 22)


def _review(patient: str, day: date, pid: int, status: str = "Planerad",
            needs: str = "") -> AnnualReview:
    return AnnualReview(date=day, doctor="Anna Berg", unit="Bäckliden", patient=patient,
                        personnummer=None, preparation=day, status=status, patient_id=pid,
                        visit_id=pid, needs_new_date=needs)


def _doc() -> PlanDocument:
    reviews = (
        _review("Astrid Lind", date(2027, 2, 2), 1),  # past, still Planerad
        _review("Bo Ek", date(2027, 2, 9), 2, "Genomförd"),
        _review("Karl Nilsson", date(2027, 4, 6), 3, needs="läkaren är frånvarande"),
        _review("Greta Ek", date(2027, 3, 30), 4),  # moved inside the freeze
        _review("Olle Nord", date(2027, 5, 4), 5),
    )
    return PlanDocument(
        year=2027, version=2, settings=Settings(year=2027),
        solver=SolverFigures("OPTIMAL", 0, 0, 0.1), reviews=reviews, today=TODAY,
        forced_moves=(ForcedMoveEntry("Greta Ek", date(2027, 3, 23), date(2027, 3, 30),
                                      "ronden ställdes in", 4),),
        due_again=(DueAgain("Sven Ås", "Bäckliden", "Anna Berg", date(2027, 3, 2),
                            "Inställd – behöver nytt datum", 6),),
    )


def test_the_plans_follow_ups_are_computed_once(qtbot):
    doc = _doc()
    items = follow_ups(doc)
    assert [(t.kind, t.patient, t.date) for t in items] == [
        (UNRECORDED, "Astrid Lind", date(2027, 2, 2)),
        (NEW_DATE, "Sven Ås", date(2027, 3, 2)),
        (FORCED, "Greta Ek", date(2027, 3, 23)),
        (NEW_DATE, "Karl Nilsson", date(2027, 4, 6)),
    ]
    forced = items[2]
    assert (forced.unit, forced.visit_id, forced.detail) == (
        "Bäckliden", 4, "→ 2027-03-30: ronden ställdes in")
    view = PlanView()
    qtbot.addWidget(view)
    view.load(2027, doc)
    assert view.follow_up_model.rows() == items  # the window only displays the list
    # Veckan's "Att göra" holds every one of them (and the preparation of its weeks)
    todo = build_week([doc], TODAY, TODAY).todo
    assert set(items) <= set(todo)
    assert {t.kind for t in set(todo) - set(items)} <= {PREP_DUE}


def test_a_death_is_an_efterlevandesamtal_in_both_lists(qtbot):
    from dataclasses import replace

    from lakarrond.services.week_data import BEREAVEMENT

    death = DueAgain("Olof Lund", "Bäckliden", "Anna Berg", date(2027, 3, 20),
                     "avliden 2027-03-20", 7)
    doc = replace(_doc(), deaths=(death,))
    items = follow_ups(doc)
    [item] = [t for t in items if t.kind == BEREAVEMENT]
    assert (item.kind, item.patient, item.date, item.patient_id) == (
        "Efterlevandesamtal", "Olof Lund", date(2027, 3, 20), 7)
    view = PlanView()
    qtbot.addWidget(view)
    view.load(2027, doc)
    model = view.follow_up_model
    row = model.rows().index(item)
    assert model.data(model.index(row, 0)) == "Efterlevandesamtal"  # the kind's label
    assert item in build_week([doc], TODAY, TODAY).todo  # Veckan's "Att göra" too
    assert [t for t in follow_ups(_doc()) if t.kind == BEREAVEMENT] == []
