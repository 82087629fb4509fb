"""How numbers and personnummer are shown to Swedish users: a decimal comma (1,5), a space
before %, personnummer masked (19380412-****)."""

from __future__ import annotations

import re


def decimal(value: float, digits: int = 1) -> str:
    """``1.5`` → ``"1,5"``."""
    return f"{value:.{digits}f}".replace(".", ",")


def percent(share: float, digits: int = 1) -> str:
    """``0.987`` → ``"98,7 %"``."""
    return f"{decimal(share * 100, digits)} %"


def mask_personnummer(value: str | None) -> str:
    """``19380412-1234`` → ``19380412-****``; ``380412-1234`` → ``380412-****``; empty for
    none. Personnummer are shown like this everywhere except the patient's edit form."""
    if not value:
        return ""
    text = str(value).strip()
    match = re.fullmatch(r"(\d{6}|\d{8})[-+]?\d{4}", text)
    if match:
        return f"{match.group(1)}-****"
    return text[:-4] + "****" if len(text) > 4 else "****"
