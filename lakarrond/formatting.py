"""How numbers are shown to Swedish users: a decimal comma (1,5), a space before %.
(Personnummer: :mod:`lakarrond.pnr`.)"""

from __future__ import annotations

from collections.abc import Iterable


def decimal(value: float, digits: int = 1) -> str:
    """``1.5`` → ``"1,5"``."""
    return f"{value:.{digits}f}".replace(".", ",")


def percent(share: float, digits: int = 1) -> str:
    """``0.987`` → ``"98,7 %"``."""
    return f"{decimal(share * 100, digits)} %"


# Singular → plural of the nouns the program counts (indefinite forms, as in "2 patienter").
NOUNS: dict[str, str] = {
    "patient": "patienter",
    "ÅMV": "ÅMV",
    "enhet": "enheter",
    "läkare": "läkare",
    "rond": "ronder",
    "rondtillfälle": "rondtillfällen",
    "vecka": "veckor",
    "dag": "dagar",
    "dygn": "dygn",
    "månad": "månader",
    "fel": "fel",
    "frånvaroperiod": "frånvaroperioder",
    "besök": "besök",
    "vårdcentral": "vårdcentraler",
    "timme": "timmar",
    "minut": "minuter",
    "steg": "steg",
    "ändring": "ändringar",
}


def plural_of(singular: str) -> str:
    """The plural of one of the program's nouns (:data:`NOUNS`); KeyError for others."""
    return NOUNS[singular]


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` with the noun in the right number: ``count(1, "patient")`` → ``"1 patient"``,
    ``count(2, "patient")`` → ``"2 patienter"``, ``count(0, "patient")`` → ``"0 patienter"``.
    Only one (or minus one) takes the singular. Without ``plural`` the noun must be in
    :data:`NOUNS`."""
    word = singular if abs(n) == 1 else (plural if plural is not None else plural_of(singular))
    return f"{n} {word}"


def week_ranges(weeks: Iterable[int]) -> str:
    """(27, 28, 29, 30, 31) → "27-31"; (10, 27, 28) → "10, 27-28"."""
    parts: list[str] = []
    ordered = sorted(set(weeks))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ", ".join(parts)


def json_number(value: float) -> float | int:
    """A float that is a whole number is written as an integer (``1234.0`` → ``1234``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
