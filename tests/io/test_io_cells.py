"""Single-cell parsers: dates, times, weekdays, personnummer, weeks, integers, choices."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from lakarrond.io import cells
from lakarrond.io.cells import CellError
from solver.problem import RhythmKind


@pytest.mark.parametrize(("value", "expected"), [
    (datetime(2027, 1, 5), date(2027, 1, 5)),
    (date(2027, 1, 5), date(2027, 1, 5)),
    ("2027-01-05", date(2027, 1, 5)),
    (" 2027-1-5 ", date(2027, 1, 5)),
    ("2027-01-05 00:00:00", date(2027, 1, 5)),
])
def test_dates(value: object, expected: date) -> None:
    assert cells.parse_date(value) == expected


@pytest.mark.parametrize("value", ["05/01/2027", "igår", 45000, "2027-13-01", "2027-02-29"])
def test_bad_dates(value: object) -> None:
    with pytest.raises(CellError):
        cells.parse_date(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("onsdag", (2,)),
    ("tis, tor", (1, 3)),
    ("Tor,tis", (1, 3)),
    ("mån och fre", (0, 4)),
    ("MÅNDAG; Fredag", (0, 4)),
    ("tors.", (3,)),
])
def test_weekdays(value: str, expected: tuple[int, ...]) -> None:
    assert cells.parse_weekdays(value) == expected


@pytest.mark.parametrize(("value", "reason"), [
    ("lördag", "endast måndag–fredag"),
    ("tis, tis", "två gånger"),
    ("funday", "okänd veckodag"),
])
def test_bad_weekdays(value: str, reason: str) -> None:
    with pytest.raises(CellError, match=reason):
        cells.parse_weekdays(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("19121212-1212", "19121212-1212"),
    ("191212121212", "19121212-1212"),
    ("121212-1212", "20121212-1212"),
    ("121212+1212", "19121212-1212"),
    (191212121212, "19121212-1212"),
    ("19701063-2391", "19701063-2391"),  # samordningsnummer
])
def test_personnummer(value: object, expected: str) -> None:
    assert cells.parse_personnummer(value)[0] == expected


@pytest.mark.parametrize(("value", "reason"), [
    ("19400101-1235", "ogiltig kontrollsiffra"),
    ("19121312-1211", "ogiltigt födelsedatum"),
    ("1912-1212", "ogiltigt format"),
    ("abc", "ogiltigt format"),
])
def test_bad_personnummer(value: str, reason: str) -> None:
    with pytest.raises(CellError, match=reason):
        cells.parse_personnummer(value)


def test_times_ints_weeks_choices() -> None:
    assert cells.parse_time("9:05") == time(9, 5)
    assert cells.parse_time(time(13, 30)) == time(13, 30)
    assert cells.parse_time(datetime(1899, 12, 30, 8, 0)) == time(8, 0)
    with pytest.raises(CellError):
        cells.parse_time("24:00")
    assert cells.parse_int(3.0) == 3 and cells.parse_int(" 7 ") == 7
    with pytest.raises(CellError, match="minst 1"):
        cells.parse_int(0, 1)
    with pytest.raises(CellError):
        cells.parse_int(2.5)
    assert cells.parse_weeks("27-31") == (27, 28, 29, 30, 31)
    assert cells.parse_weeks("27–28, 33") == (27, 28, 33)
    with pytest.raises(CellError):
        cells.parse_weeks("31-27")
    assert cells.parse_enum("varje VECKA", RhythmKind) is RhythmKind.WEEKLY
    assert cells.parse_yes_no("nej") is False
