"""How numbers are shown to Swedish users: a decimal comma (1,5), a space before %.
(Personnummer: :mod:`lakarrond.pnr`.)"""

from __future__ import annotations


def decimal(value: float, digits: int = 1) -> str:
    """``1.5`` → ``"1,5"``."""
    return f"{value:.{digits}f}".replace(".", ",")


def percent(share: float, digits: int = 1) -> str:
    """``0.987`` → ``"98,7 %"``."""
    return f"{decimal(share * 100, digits)} %"
