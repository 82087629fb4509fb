"""How numbers are shown to Swedish users: a decimal comma (1,5), a space before %.
(Personnummer: :mod:`lakarrond.pnr`.)"""

from __future__ import annotations


def decimal(value: float, digits: int = 1) -> str:
    """``1.5`` → ``"1,5"``."""
    return f"{value:.{digits}f}".replace(".", ",")


def percent(share: float, digits: int = 1) -> str:
    """``0.987`` → ``"98,7 %"``."""
    return f"{decimal(share * 100, digits)} %"


def count(n: int, singular: str, plural: str) -> str:
    """``count(1, "patient", "patienter")`` → ``"1 patient"``; 0 and 2+ take the plural."""
    return f"{n} {singular if n == 1 else plural}"
