"""The substitute's phone number (issue 18.2, Sörmland §4: "Namn på vikarien,
vikariatsperiod och aktuellt telefonnummer"): the rule a number keeps and how the
substitute is written on every list, in ONE place. Pure Python: no store, no Qt.
"""

from __future__ import annotations

import re

MAX_PHONE_LENGTH = 40
_PHONE = re.compile(r"[0-9+\- ]+")


def phone_problem(value: str) -> str | None:
    """Why ``value`` is not a phone number (Swedish), or None when it is one (or empty):
    digits, spaces, + and - only, at least one digit, at most :data:`MAX_PHONE_LENGTH`."""
    phone = value.strip()
    if not phone:
        return None
    if not _PHONE.fullmatch(phone) or not any(c.isdigit() for c in phone):
        return "telefonnumret får bara innehålla siffror, mellanslag, + och -"
    if len(phone) > MAX_PHONE_LENGTH:
        return f"telefonnumret är längre än {MAX_PHONE_LENGTH} tecken"
    return None


def substitute_text(name: str, phone: str = "") -> str:
    """The substitute as every list and printout names them: "Per Holm, tel 070-123 45 67"
    (just the name without a phone; "" without a name)."""
    if not name:
        return ""
    return f"{name}, tel {phone}" if phone else name
