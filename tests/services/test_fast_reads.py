"""Fast reads (issue 17): the week is built from an index by doctor and date – the same week
the scan over the whole year gave, nothing from another week – and the plan document is
built from the saved plan and the calendar alone, without the planner's full input (no
second ``build_problem``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from benchmarks.family import random_municipality
from lakarrond.services import demo
from lakarrond.services import document as document_service
from lakarrond.services import problem as problem_service
from lakarrond.services.document import current_document, patch_document
from lakarrond.services.plan import plan_year
from lakarrond.services.problem import calendar_problem
from lakarrond.services.visits import record_outcomes
from lakarrond.services.week import build_week
from lakarrond.store import open_database
from solver.problem import VisitStatus

YEAR = 2027
TODAY = date(YEAR, 4, 14)


@pytest.fixture(scope="module")
def municipality(tmp_path_factory):  # type: ignore[no-untyped-def]
    mp = pytest.MonkeyPatch()
    problem = random_municipality(7, YEAR, size=0.3)
    mp.setattr(demo, "demo_problem", lambda year: problem)
    db = open_database(str(tmp_path_factory.mktemp("fast") / "kommun.sqlite"))
    demo.load_demo(db, YEAR)
    plan_year(db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    mp.undo()
    yield db
    db.dispose()


def _scanned(doc, monday):  # type: ignore[no-untyped-def]
    """What the old quadratic scan put on each doctor-day: the rounds of the doctor (or of
    whom they stand in for) and every ÅMV of the doctor that day."""
    out = {}
    for doctor in doc.doctors:
        for offset in range(7):
            day = monday + timedelta(days=offset)
            own = sorted((r.unit, r.date) for r in doc.rounds if r.date == day and (
                r.doctor == doctor or (r.substitute == doctor and r.doctor != doctor)))
            reviews = sorted(a.visit_id for a in doc.reviews
                             if a.date == day and a.doctor == doctor)
            if offset >= 5 and not own and not reviews:
                continue
            out[(doctor, day)] = (own, reviews)
    return out


def _indexed(week):  # type: ignore[no-untyped-def]
    out = {}
    for d in week.doctors:
        for day in d.days:
            own = sorted((r.unit, day.date) for r in day.rounds if not r.separate)
            reviews = sorted(w.review.visit_id for r in day.rounds for w in r.reviews
                             if w.review.doctor == d.doctor and w.review.date == day.date)
            out[(d.doctor, day.date)] = (own, reviews)
    return out


def test_the_indexed_week_is_the_week_the_scan_gave(municipality):
    doc = current_document(municipality, YEAR, TODAY)
    assert doc is not None and len(doc.doctors) >= 2
    for monday in (date(YEAR, 2, 1), date(YEAR, 4, 12), date(YEAR, 9, 6)):
        week = build_week([doc], monday, TODAY)
        assert _indexed(week) == _scanned(doc, monday)
        assert sum(len(r[1]) for r in _indexed(week).values()) > 0  # the weeks hold ÅMV


def _shown(week):  # type: ignore[no-untyped-def]
    return {v for _own, ids in _indexed(week).values() for v in ids}


def test_an_ami_outside_the_week_is_not_shown(municipality):
    doc = current_document(municipality, YEAR, TODAY)
    assert doc is not None
    monday = date(YEAR, 4, 12)
    first = next(a for a in doc.reviews if monday <= a.date < monday + timedelta(days=7))
    assert first.visit_id in _shown(build_week([doc], monday, TODAY))
    moved = replace(first, date=first.date + timedelta(days=21))  # three weeks later
    other = replace(doc, reviews=tuple(moved if a is first else a for a in doc.reviews))
    assert first.visit_id not in _shown(build_week([other], monday, TODAY))
    assert first.visit_id in _shown(build_week([other], moved.date, TODAY))


class Counted(tuple):  # type: ignore[type-arg]
    """A tuple that counts how often it is walked through."""

    walks = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        Counted.walks += 1
        return super().__iter__()


def test_a_week_does_not_walk_the_year(municipality):
    doc = current_document(municipality, YEAR, TODAY)
    assert doc is not None
    counted = replace(doc, rounds=Counted(doc.rounds), reviews=Counted(doc.reviews))
    first = build_week([counted], date(YEAR, 4, 12), TODAY)  # builds the index: walks once
    Counted.walks = 0
    second = build_week([counted], date(YEAR, 4, 19), TODAY)
    assert Counted.walks == 0  # the next week is read from the index alone
    assert _shown(first) and _shown(second)
    assert _indexed(second) == _scanned(doc, date(YEAR, 4, 19))
    Counted.walks = 0
    build_week([replace(counted, version=counted.version)], date(YEAR, 4, 19), TODAY)
    assert Counted.walks > 0  # another document (a changed plan) gets its own index


def test_the_calendar_is_the_planners_calendar_without_patients(municipality):
    with municipality.read() as s:
        full, _ = problem_service.build_problem(s, YEAR, plan_from=date(YEAR, 1, 1))
        light = calendar_problem(s, YEAR)
    assert full.patients and not light.patients
    assert light == replace(full, patients=(), pinned=(), previous=(), cancelled=())


def test_the_document_is_built_without_build_problem(municipality, monkeypatch):
    before = current_document(municipality, YEAR, TODAY)

    def refused(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("build_problem while building a document")

    monkeypatch.setattr(problem_service, "build_problem", refused)
    monkeypatch.setattr(document_service, "build_problem", refused, raising=False)
    after = current_document(municipality, YEAR, TODAY)
    assert after == before
    with municipality.read() as s, pytest.raises(AssertionError):
        problem_service.build_problem(s, YEAR)  # the spy is in place


def test_a_patched_document_is_the_document_read_again(municipality):
    doc = current_document(municipality, YEAR, TODAY)
    assert doc is not None
    past = [a for a in doc.reviews if a.date < TODAY and a.status == "Planerad"]
    coming = [a for a in doc.reviews if a.date > TODAY and a.status == "Planerad"]
    done, cancelled, untouched = past[0], coming[0], coming[1]
    record_outcomes(municipality, [done.visit_id], VisitStatus.DONE, today=TODAY)
    record_outcomes(municipality, [cancelled.visit_id], VisitStatus.CANCELLED, "sjuk",
                    today=TODAY)
    changed = [done.visit_id, cancelled.visit_id]
    patched = patch_document(municipality, doc, changed, TODAY)
    assert patched == current_document(municipality, YEAR, TODAY)
    assert cancelled.visit_id in {d.visit_id for d in patched.due_again}
    assert next(a for a in patched.reviews if a.visit_id == done.visit_id).status == "Genomförd"
    # what was not named is not read again: a change made behind its back is not in it
    record_outcomes(municipality, [untouched.visit_id], VisitStatus.LOCKED, today=TODAY)
    stale = patch_document(municipality, patched, changed, TODAY)
    assert stale != current_document(municipality, YEAR, TODAY)
    assert patch_document(municipality, patched, [untouched.visit_id], TODAY) == \
        current_document(municipality, YEAR, TODAY)


def test_on_another_day_the_patch_reads_everything(municipality):
    doc = current_document(municipality, YEAR, TODAY)
    assert doc is not None
    tomorrow = TODAY + timedelta(days=1)
    one = doc.reviews[0].visit_id
    assert patch_document(municipality, doc, [one], tomorrow) == \
        current_document(municipality, YEAR, tomorrow)  # what is past moved for every ÅMV
    assert patch_document(municipality, doc, [one], TODAY) == doc


def _live_documents() -> int:
    import gc

    from lakarrond.document import PlanDocument

    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is PlanDocument)


def test_a_documents_week_index_lives_as_long_as_the_document(municipality):
    """Indexed documents are not kept by the index (a cache beside them kept the last
    four alive, each with its index and its weeks' timetables)."""
    from lakarrond.services.week import week_index

    doc = current_document(municipality, YEAR, TODAY)
    assert doc is not None
    before = _live_documents()
    for _ in range(6):  # new documents (as after outcomes), each indexed, then dropped
        week_index(replace(doc, version=doc.version + 1))
    assert _live_documents() == before


def test_a_kept_document_keeps_its_one_index(municipality):
    from lakarrond.services.week import week_index

    doc = current_document(municipality, YEAR, TODAY)
    assert doc is not None
    other = replace(doc, version=doc.version + 1)
    assert week_index(doc) is week_index(doc) and week_index(other) is not week_index(doc)
