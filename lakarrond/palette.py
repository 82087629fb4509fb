"""One colour per doctor, the same in the Excel chart and (later) in the window.

The Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), which people with the
common colour-vision deficiencies can tell apart, without its black (kept for text), plus
a dark grey and a dark purple: ten colours, so up to ten doctors get a colour of their own.
Pure Python (no Qt): colours are ``RRGGBB`` hex strings.
"""

from __future__ import annotations

from collections.abc import Iterable

DOCTOR_COLOURS: tuple[str, ...] = (
    "0072B2",  # blue
    "E69F00",  # orange
    "009E73",  # bluish green
    "CC79A7",  # reddish purple
    "56B4E9",  # sky blue
    "D55E00",  # vermillion
    "F0E442",  # yellow
    "999999",  # grey
    "882255",  # wine (Tol's muted palette)
    "332288",  # indigo (Tol's muted palette)
)


def colour(index: int) -> str:
    """The colour of the ``index``-th doctor (0-based); repeats only after ten doctors."""
    return DOCTOR_COLOURS[index % len(DOCTOR_COLOURS)]


def doctor_colours(doctors: Iterable[str]) -> dict[str, str]:
    """A colour per doctor, in sorted name order so a doctor keeps the colour from one
    export to the next."""
    return {name: colour(i) for i, name in enumerate(sorted(set(doctors)))}


__all__ = ["DOCTOR_COLOURS", "colour", "doctor_colours"]
