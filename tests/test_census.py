"""Ändringar sedan (issue 18 point 5): the one list of patients admitted, moved, discharged
and deceased since a date, computed by :func:`lakarrond.census.census_rows` from plain facts.
Each rule has a case that keeps it and one that breaks it."""

from __future__ import annotations

from datetime import date

from lakarrond.census import (
    CensusKind,
    CensusPatient,
    CensusUnit,
    UnitChange,
    census_json,
    census_rows,
    live_moves,
    unit_text,
)

SINCE = date(2027, 3, 1)
UNITS = {
    1: CensusUnit(1, "Bäckliden", "Anna Berg", "VC Norr"),
    2: CensusUnit(2, "Tallen", "Anna Berg", "VC Norr"),
    3: CensusUnit(3, "Solgården", "Bo Ek", "VC Söder"),
}


def patient(pid: int, name: str, unit: int, admitted: date, status: str = "Aktiv",
            end: date | None = None, pnr: str | None = None) -> CensusPatient:
    return CensusPatient(pid, name, pnr, unit, admitted, status, end)


PATIENTS = [
    patient(1, "Karl Ny", 1, date(2027, 3, 4), pnr="19380412-1238"),  # admitted
    patient(2, "Greta Flytt", 3, date(2020, 1, 1)),  # moved 1 → 3
    patient(3, "Olof Ångrad", 1, date(2020, 1, 1)),  # moved 1 → 2, undone
    patient(4, "Signe Död", 2, date(2019, 1, 1), "Avliden", date(2027, 3, 10)),
    patient(5, "Bo Ut", 1, date(2018, 1, 1), "Utskriven", date(2027, 3, 2)),
    patient(6, "Leif Före", 1, date(2027, 2, 27)),  # admitted before the date
    patient(7, "Vera Tidig", 2, date(2015, 1, 1), "Utskriven", date(2027, 2, 28)),  # before
]
CHANGES = [
    UnitChange(10, 2, date(2027, 3, 5), 1, 3),
    UnitChange(11, 3, date(2027, 3, 6), 1, 2),
    UnitChange(12, 3, date(2027, 3, 6), 2, 1, undo=True),
    UnitChange(9, 6, date(2027, 2, 28), 2, 1),  # a move before the date
]


def test_the_scripted_set_gives_exactly_the_expected_rows() -> None:
    found = census_rows(PATIENTS, UNITS, CHANGES, SINCE)
    assert [(r.health_centre, r.doctor, r.date, r.kind, r.patient, unit_text(r))
            for r in found.rows] == [
        ("VC Norr", "Anna Berg", date(2027, 3, 2), CensusKind.DISCHARGED, "Bo Ut", "Bäckliden"),
        ("VC Norr", "Anna Berg", date(2027, 3, 4), CensusKind.ADMITTED, "Karl Ny", "Bäckliden"),
        ("VC Norr", "Anna Berg", date(2027, 3, 10), CensusKind.DECEASED, "Signe Död", "Tallen"),
        ("VC Söder", "Bo Ek", date(2027, 3, 5), CensusKind.MOVED, "Greta Flytt",
         "Solgården (från Bäckliden, VC Norr)"),
    ]
    assert found.since == SINCE


def test_the_since_date_itself_is_in_the_list_and_the_day_before_is_not() -> None:
    on = census_rows([patient(1, "A", 1, SINCE)], UNITS, [], SINCE)
    before = census_rows([patient(1, "A", 1, date(2027, 2, 28))], UNITS, [], SINCE)
    assert [r.kind for r in on.rows] == [CensusKind.ADMITTED]
    assert before.rows == ()


def test_an_undone_move_is_no_move_but_a_redo_is_one_again() -> None:
    undone = [UnitChange(1, 3, SINCE, 1, 2), UnitChange(2, 3, SINCE, 2, 1, undo=True)]
    redone = [*undone, UnitChange(3, 3, date(2027, 3, 2), 1, 2)]
    assert live_moves(undone) == []
    assert [(m.seq, m.to_unit) for m in live_moves(redone)] == [(3, 2)]


def test_a_move_back_by_hand_is_two_moves_an_undo_of_it_cancels_only_it() -> None:
    by_hand = [UnitChange(1, 3, SINCE, 1, 2), UnitChange(2, 3, date(2027, 3, 8), 2, 1)]
    back_undone = [*by_hand, UnitChange(3, 3, date(2027, 3, 8), 1, 2, undo=True)]
    rows = census_rows([patient(3, "Olof", 1, date(2020, 1, 1))], UNITS, by_hand, SINCE).rows
    assert [(r.kind, r.date, unit_text(r)) for r in rows] == [
        (CensusKind.MOVED, SINCE, "Tallen (från Bäckliden)"),
        (CensusKind.MOVED, date(2027, 3, 8), "Bäckliden (från Tallen)")]
    assert [m.seq for m in live_moves(back_undone)] == [1]


def test_two_moves_of_one_patient_are_two_rows_each_under_its_new_units_doctor() -> None:
    moves = [UnitChange(1, 2, date(2027, 3, 2), 1, 2), UnitChange(2, 2, date(2027, 3, 9), 2, 3)]
    rows = census_rows([patient(2, "Greta", 3, date(2020, 1, 1))], UNITS, moves, SINCE).rows
    assert [(r.doctor, r.unit, r.from_unit) for r in rows] == [
        ("Anna Berg", "Tallen", "Bäckliden"), ("Bo Ek", "Solgården", "Tallen")]


def test_an_admission_names_the_unit_admitted_to_not_the_one_moved_to_later() -> None:
    moved_later = census_rows([patient(1, "Karl", 3, date(2027, 3, 2))], UNITS,
                              [UnitChange(1, 1, date(2027, 3, 4), 1, 3)], SINCE).rows
    not_moved = census_rows([patient(1, "Karl", 3, date(2027, 3, 2))], UNITS, [], SINCE).rows
    assert [(r.kind, r.unit) for r in moved_later] == [
        (CensusKind.ADMITTED, "Bäckliden"), (CensusKind.MOVED, "Solgården")]
    assert [(r.kind, r.unit) for r in not_moved] == [(CensusKind.ADMITTED, "Solgården")]


def test_a_discharge_needs_the_status_an_end_date_alone_with_status_aktiv_is_none() -> None:
    out = census_rows([patient(5, "Bo", 1, date(2018, 1, 1), "Utskriven", SINCE)], UNITS, [],
                      SINCE)
    active = census_rows([patient(5, "Bo", 1, date(2018, 1, 1), "Aktiv", SINCE)], UNITS, [],
                         SINCE)
    assert [r.kind for r in out.rows] == [CensusKind.DISCHARGED]
    assert active.rows == ()


def test_a_deleted_patients_move_is_left_out() -> None:
    rows = census_rows([], UNITS, [UnitChange(1, 99, SINCE, 1, 2)], SINCE).rows
    kept = census_rows([patient(99, "X", 2, date(2020, 1, 1))], UNITS,
                       [UnitChange(1, 99, SINCE, 1, 2)], SINCE).rows
    assert rows == () and len(kept) == 1


def test_a_named_doctor_wins_over_the_units_doctor() -> None:
    own = CensusPatient(1, "Karl", None, 1, SINCE, "Aktiv", None, doctor="Bo Ek",
                        health_centre="VC Söder")
    [named] = census_rows([own], UNITS, [], SINCE).rows
    [unit] = census_rows([patient(1, "Karl", 1, SINCE)], UNITS, [], SINCE).rows
    assert (named.doctor, named.health_centre) == ("Bo Ek", "VC Söder")
    assert (unit.doctor, unit.health_centre) == ("Anna Berg", "VC Norr")


def test_the_json_rows_have_exactly_the_contracts_keys_personnummer_null_when_left_out() -> None:
    rows = census_rows(PATIENTS, UNITS, CHANGES, SINCE).rows
    keys = {"kind", "date", "patient", "personnummer", "unit", "doctor", "health_centre"}
    assert all(set(d) == keys for d in census_json(rows, True))
    karl = next(d for d in census_json(rows, True) if d["patient"] == "Karl Ny")
    assert karl == {"kind": "Inskriven", "date": "2027-03-04", "patient": "Karl Ny",
                    "personnummer": "19380412-1238", "unit": "Bäckliden",
                    "doctor": "Anna Berg", "health_centre": "VC Norr"}
    assert {d["personnummer"] for d in census_json(rows, False)} == {None}


def test_a_move_from_another_health_centre_names_the_one_left_within_one_it_does_not() -> None:
    across = census_rows([patient(2, "Greta", 3, date(2020, 1, 1))], UNITS,
                         [UnitChange(1, 2, SINCE, 1, 3)], SINCE).rows
    within = census_rows([patient(2, "Greta", 2, date(2020, 1, 1))], UNITS,
                         [UnitChange(1, 2, SINCE, 1, 2)], SINCE).rows
    assert [unit_text(r) for r in across] == ["Solgården (från Bäckliden, VC Norr)"]
    assert [unit_text(r) for r in within] == ["Tallen (från Bäckliden)"]


def test_what_is_dated_after_today_has_not_happened_and_is_not_listed() -> None:
    ahead = [patient(20, "Anna Snart", 1, date(2027, 8, 11)),  # an admission recorded ahead
             patient(21, "Per Planerad", 2, date(2015, 1, 1), "Utskriven", date(2027, 6, 30))]
    today = date(2027, 3, 29)
    listed = census_rows(PATIENTS + ahead, UNITS, CHANGES, SINCE, until=today)
    names = {r.patient for r in listed.rows}
    assert not names & {"Anna Snart", "Per Planerad"}  # not yet: left out
    assert {"Karl Ny", "Bo Ut", "Signe Död", "Greta Flytt"} <= names  # the past ones stay
    once_happened = census_rows(PATIENTS + ahead, UNITS, CHANGES, SINCE,
                                until=date(2027, 8, 11))
    assert {"Anna Snart", "Per Planerad"} <= {r.patient for r in once_happened.rows}
