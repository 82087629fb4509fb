"""Parsing of single spreadsheet cells into Python values.

Every parser takes the raw cell value (as openpyxl returns it) and either returns the parsed
value or raises :class:`CellError` with a Swedish reason. ``None`` and blank text are handled
by the caller (see :func:`is_blank`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from enum import StrEnum
from typing import TypeVar

from lakarrond import pnr
from lakarrond.phone import phone_problem

E = TypeVar("E", bound=StrEnum)


class CellError(ValueError):
    """A cell value that cannot be used; ``reason`` is a Swedish text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str:
    """The cell as trimmed text ("" for an empty cell); whole floats lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return " ".join(str(value).split())


_DATE_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def parse_date(value: object) -> date:
    """A real date cell, or text ``ÅÅÅÅ-MM-DD``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE_TEXT.match(value.strip())
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                raise CellError("datumet finns inte") from None
    raise CellError("inte ett datum (ÅÅÅÅ-MM-DD)")


_TIME_TEXT = re.compile(r"^(\d{1,2})[:.](\d{2})(?::00)?$")


def parse_time(value: object) -> time:
    """A time cell or text ``HH:MM``."""
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str):
        match = _TIME_TEXT.match(value.strip())
        if match:
            hour, minute = int(match[1]), int(match[2])
            if hour < 24 and minute < 60:
                return time(hour, minute)
    raise CellError("inte en tid (TT:MM)")


def parse_int(value: object, minimum: int | None = None) -> int:
    """A whole number, optionally at least ``minimum``."""
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        number = int(value.strip())
    if number is None:
        raise CellError("inte ett heltal")
    if minimum is not None and number < minimum:
        raise CellError(f"måste vara minst {minimum}")
    return number


def parse_decimal(value: object) -> float:
    """A number with or without decimals, a decimal comma allowed ("1,5")."""
    if isinstance(value, bool):
        raise CellError("inte ett tal")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+([.,]\d+)?", value.strip()):
        return float(value.strip().replace(",", "."))
    raise CellError("inte ett tal")


REVIEW_MINUTES = (5, 240)  # "Minuter per ÅMV", as the unit form allows


def parse_review_minutes(value: object) -> int:
    """"Minuter per ÅMV": a whole number of minutes, 5–240."""
    low, high = REVIEW_MINUTES
    number = parse_int(value, low)
    if number > high:
        raise CellError(f"måste vara högst {high}")
    return number


def parse_enum(value: object, enum: type[E]) -> E:
    """One of the enum's Swedish values, matched case-insensitively."""
    wanted = text(value).casefold()
    for member in enum:
        if member.value.casefold() == wanted:
            return member
    allowed = " · ".join(member.value for member in enum)
    raise CellError(f"ogiltigt värde (tillåtna: {allowed})")


def parse_yes_no(value: object) -> bool:
    wanted = text(value).casefold()
    if wanted in ("ja", "j", "yes"):
        return True
    if wanted in ("nej", "n", "no"):
        return False
    raise CellError("ogiltigt värde (tillåtna: Ja · Nej)")


def parse_yes(value: object) -> bool:
    """A column that is ``Ja`` or empty (the caller handles empty): only "Ja" is taken."""
    if text(value).casefold() in ("ja", "j", "yes"):
        return True
    raise CellError("ogiltigt värde (tillåtet: Ja, eller tomt för nej)")


def parse_phone(value: object) -> str:
    """A phone number as text: digits, spaces, + and - (:func:`lakarrond.phone.phone_problem`).
    A number cell is refused: Excel has dropped its leading 0."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CellError("telefonnumret är ett tal i Excel och har tappat nollan först – "
                        "skriv det som text, t.ex. 070-123 45 67")
    phone = text(value)
    problem = phone_problem(phone)
    if problem is not None:
        raise CellError(problem)
    return phone


_WEEKDAYS = {
    "måndag": 0, "mån": 0, "må": 0, "mandag": 0, "man": 0,
    "tisdag": 1, "tis": 1, "ti": 1,
    "onsdag": 2, "ons": 2, "on": 2,
    "torsdag": 3, "tor": 3, "tors": 3, "to": 3,
    "fredag": 4, "fre": 4, "fr": 4,
}
_WEEKEND = {"lördag", "lör", "lö", "söndag", "sön", "sö"}


def parse_weekdays(value: object) -> tuple[int, ...]:
    """Comma separated Swedish weekday names or abbreviations → sorted ints (0 = Monday)."""
    parts = [p for p in re.split(r"[,;/&+]|\boch\b|\s+", text(value).casefold()) if p]
    days: list[int] = []
    for part in parts:
        name = part.rstrip(".")
        if name in _WEEKEND:
            raise CellError("endast måndag–fredag är tillåtna")
        if name not in _WEEKDAYS:
            raise CellError(
                f"okänd veckodag '{part}' (måndag…fredag eller mån, tis, ons, tor, fre)"
            )
        day = _WEEKDAYS[name]
        if day in days:
            raise CellError("samma veckodag angiven två gånger")
        days.append(day)
    if not days:
        raise CellError("ingen veckodag angiven")
    return tuple(sorted(days))


def parse_personnummer(value: object) -> tuple[str, date]:
    """A personnummer or samordningsnummer → (``ÅÅÅÅMMDD-NNNN``, birth date)."""
    try:
        return pnr.parse(text(value))
    except pnr.InvalidPersonnummer as exc:
        raise CellError(str(exc)) from None


_WEEK_RANGE = re.compile(r"^(\d{1,2})\s*[-–—]\s*(\d{1,2})$")


def parse_weeks(value: object) -> tuple[int, ...]:
    """ISO weeks as ``27-31`` or ``27, 28, 30`` (ranges and single weeks mixed)."""
    weeks: set[int] = set()
    for part in (p.strip() for p in re.split(r"[,;]", text(value))):
        if not part:
            continue
        match = _WEEK_RANGE.match(part)
        if match:
            first, last = int(match[1]), int(match[2])
        elif part.isdigit():
            first = last = int(part)
        else:
            raise CellError("ogiltiga veckor (t.ex. 27-31 eller 27, 28, 29)")
        if not (1 <= first <= 53 and 1 <= last <= 53) or last < first:
            raise CellError("veckonummer måste vara 1–53 och i stigande ordning")
        weeks.update(range(first, last + 1))
    if not weeks:
        raise CellError("inga veckor angivna")
    return tuple(sorted(weeks))
