"""How numbers are shown: singular and plural of the program's nouns."""

from __future__ import annotations

import pytest

from lakarrond.formatting import NOUNS, count, plural_of


@pytest.mark.parametrize(
    ("n", "singular", "expected"),
    [
        (1, "patient", "1 patient"),
        (2, "patient", "2 patienter"),
        (0, "patient", "0 patienter"),
        (-1, "dag", "-1 dag"),
        (1, "enhet", "1 enhet"),
        (3, "enhet", "3 enheter"),
        (2, "ÅMV", "2 ÅMV"),
        (2, "läkare", "2 läkare"),
        (2, "rond", "2 ronder"),
        (5, "vecka", "5 veckor"),
        (14, "dag", "14 dagar"),
        (2, "dygn", "2 dygn"),
        (12, "månad", "12 månader"),
        (1, "fel", "1 fel"),
        (4, "fel", "4 fel"),
    ],
)
def test_count_uses_the_table(n: int, singular: str, expected: str) -> None:
    assert count(n, singular) == expected


def test_count_with_an_explicit_plural() -> None:
    assert count(1, "boende", "boenden") == "1 boende"
    assert count(7, "boende", "boenden") == "7 boenden"


def test_an_unknown_noun_needs_its_plural() -> None:
    with pytest.raises(KeyError):
        count(2, "häst")
    assert count(1, "häst") == "1 häst"  # the singular needs no table
    assert plural_of("patient") == "patienter"
    assert {"patient", "ÅMV", "enhet", "läkare", "rond", "vecka", "dag", "dygn", "månad",
            "fel"} <= set(NOUNS)
