"""Personnummer and samordningsnummer: validate, normalise, mask, birth date, make (demo).

The one place that knows the format. Stored form is ``ÅÅÅÅMMDD-NNNN``; views show it masked
(``19380412-****``); a samordningsnummer has 60 added to the day.
"""

from __future__ import annotations

import re
from datetime import date

from personnummer import personnummer as _pnr

FORMAT_HINT = "ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN"


class InvalidPersonnummer(ValueError):
    """Not a valid personnummer; the message is a short Swedish reason."""


def luhn_digit(digits: str) -> int:
    """The Luhn check digit of nine digits (ÅÅMMDDNNN)."""
    total = 0
    for i, ch in enumerate(digits):
        value = int(ch) * (2 if i % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def parse(text: str) -> tuple[str, date]:
    """A personnummer or samordningsnummer → (``ÅÅÅÅMMDD-NNNN``, birth date); raises
    :class:`InvalidPersonnummer` with the Swedish reason."""
    raw = str(text).strip().replace(" ", "")
    digits = raw.replace("-", "").replace("+", "")
    if not re.fullmatch(r"\d{10}|\d{12}", digits) or not re.fullmatch(r"\d{6,8}[-+]?\d{4}", raw):
        raise InvalidPersonnummer(f"ogiltigt format ({FORMAT_HINT})")
    try:
        number = _pnr.Personnummer(raw)
    except _pnr.PersonnummerParseException:
        raise InvalidPersonnummer(f"ogiltigt format ({FORMAT_HINT})") from None
    except _pnr.PersonnummerInvalidException:
        short = digits[-10:]
        if luhn_digit(short[:9]) != int(short[9]):
            raise InvalidPersonnummer("ogiltig kontrollsiffra") from None
        raise InvalidPersonnummer("ogiltigt födelsedatum") from None
    long = number.format(True)
    if len(long) != 12 or not long.isdigit():
        raise InvalidPersonnummer(f"ogiltigt format ({FORMAT_HINT})")
    return f"{long[:8]}-{long[8:]}", number.get_date()


def normalise(text: str | None) -> str | None:
    """``ÅÅÅÅMMDD-NNNN`` for a valid number, else None."""
    if not text or not any(ch.isdigit() for ch in text):
        return None
    try:
        return parse(text)[0]
    except InvalidPersonnummer:
        return None


def birth_date(value: str | None) -> date | None:
    """The birth date of a stored (normalised) number; None when there is none."""
    if not value:
        return None
    digits = value.replace("-", "")
    try:
        day = int(digits[6:8])
        return date(int(digits[:4]), int(digits[4:6]), day - 60 if day > 60 else day)
    except ValueError:
        return None


def mask(value: str | None) -> str:
    """``19380412-1234`` → ``19380412-****``; ``380412-1234`` → ``380412-****``; empty for
    none. Personnummer are shown like this everywhere except the patient's edit form and a
    printout or export the user chose to make with personnummer."""
    if not value:
        return ""
    text = str(value).strip()
    match = re.fullmatch(r"(\d{6}|\d{8})[-+]?\d{4}", text)
    if match:
        return f"{match.group(1)}-****"
    return text[:-4] + "****" if len(text) > 4 else "****"


def make(birth: date, serial: int) -> str:
    """``ÅÅÅÅMMDD-NNNC`` with serial ``NNN`` (1–999; 000 is not a valid serial) and a
    correct check digit (for demo data)."""
    nnn = f"{serial % 999 + 1:03d}"
    short = f"{birth:%y%m%d}{nnn}"
    return f"{birth:%Y%m%d}-{nnn}{luhn_digit(short)}"
