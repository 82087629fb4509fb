"""Matters (ärenden) in a round (issue 21.2): their kinds, statuses and roles, the default
minutes per kind, and the time left of a round date, computed in ONE place
(:func:`round_time`): the refusal of a booking (:mod:`lakarrond.services.matters`) and the
planning basis (:mod:`lakarrond.basis`) both read it. Pure Python: no store, no Qt.

Time left of a round date = length − "Övrig tid" − the ÅMV held in the round on that date
in the saved plan × "Minuter per ÅMV" − the minutes of the matters booked on that date
(status Planerad or Genomförd).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from solver.calendar import swedish_holidays


class MatterKind(StrEnum):
    MOVE_IN = "Inflyttningsbedömning"
    DETERIORATION = "Vårdplanering vid försämring"
    BREAKPOINT = "Brytpunktsamtal"
    HOME_VISIT = "Hembesök"
    CHECK_IN = "Avstämning"
    OTHER = "Övrigt"


class MatterStatus(StrEnum):
    PLANNED = "Planerad"
    DONE = "Genomförd"
    MOVED = "Flyttad"  # to a later round: linked to the new matter (``moved_to``)
    STRUCK = "Struken"  # with a reason


class Role(StrEnum):
    """Who does a matter or a preparation step (lakarrond.steps); the roles of the
    agreements (Lidköping: "sjuksköterskan, arbetsterapeut, fysioterapeut/sjukgymnast och
    omvårdnadspersonal")."""

    NURSE = "Sjuksköterska"
    PHYSIO = "Fysioterapeut"
    OCCUPATIONAL = "Arbetsterapeut"
    DOCTOR = "Läkare"
    CARE_STAFF = "Omvårdnadspersonal"
    COORDINATOR = "Samordnare"


# the minutes a matter of each kind takes unless the user says otherwise (the year's setting
# "matter_minutes" may change them, see services.matters.matter_minutes)
DEFAULT_MINUTES: Mapping[MatterKind, int] = {
    MatterKind.MOVE_IN: 30,
    MatterKind.DETERIORATION: 30,
    MatterKind.BREAKPOINT: 45,
    MatterKind.HOME_VISIT: 45,
    MatterKind.CHECK_IN: 15,
    MatterKind.OTHER: 15,
}
# kinds that need no patient
WITHOUT_PATIENT = frozenset({MatterKind.CHECK_IN, MatterKind.OTHER})
# statuses whose minutes take round time
TAKING_TIME = frozenset({MatterStatus.PLANNED, MatterStatus.DONE})
MAX_MINUTES = 480


def parse_kind(text: str) -> MatterKind | None:
    """The kind named by ``text`` (case and surrounding spaces ignored), or None."""
    wanted = text.strip().casefold()
    return next((k for k in MatterKind if k.value.casefold() == wanted), None)


def parse_role(text: str) -> Role | None:
    wanted = text.strip().casefold()
    return next((r for r in Role if r.value.casefold() == wanted), None)


def by_text(role: str, name: str) -> str:
    """Who raises a matter as lists show it: "Sjuksköterska Eva Syster"."""
    return " ".join(part for part in (role, name) if part)


@dataclass(frozen=True)
class RoundTime:
    """The time of one round date: its length and what is booked in it (minutes)."""

    length_min: int
    other_min: int  # the unit's "Övrig tid (min)"
    reviews: int  # ÅMV held in the round on that date
    review_min: int  # "Minuter per ÅMV"
    matters_min: int  # matters booked (Planerad, Genomförd)

    @property
    def booked_min(self) -> int:
        """Everything booked against the length: Övrig tid, the ÅMV and the matters."""
        return self.other_min + self.reviews * self.review_min + self.matters_min

    @property
    def left_min(self) -> int:
        """Minutes left (negative when overbooked)."""
        return self.length_min - self.booked_min

    def fits(self, minutes: int) -> bool:
        return minutes <= self.left_min

    def text(self) -> str:
        """"45 av 60 min"."""
        return f"{self.booked_min} av {self.length_min} min"


def round_time(length_min: int, other_min: int, reviews: int, review_min: int,
               matters_min: int) -> RoundTime:
    """The one computation of a round date's time (see the module)."""
    return RoundTime(length_min, other_min, reviews, review_min, matters_min)


def record_by(day: date) -> date:
    """The day a matter of round date ``day`` is to be recorded by (Genomförd, Flyttad or
    Struken): the next working day after it (weekends and Swedish holidays skipped).
    Still Planerad on that day, it is in Att göra nu (issue 21.4)."""
    holidays = swedish_holidays(day.year)
    nxt = day + timedelta(days=1)
    while nxt.weekday() >= 5 or nxt in holidays:
        nxt += timedelta(days=1)
    return nxt


def to_record(status: str, day: date, today: date) -> bool:
    """A matter still Planerad on or after :func:`record_by` of its round date."""
    return status == MatterStatus.PLANNED and today >= record_by(day)
