"""Today, the one source: the date the program lives on.

``LAKARROND_TODAY`` (YYYY-MM-DD) in the environment sets it, so that a scripted year can be
played through the command line and the window; otherwise it is the system date. Every
"today" in ``lakarrond`` comes from :func:`today` (the solver takes its dates as input).
"""

from __future__ import annotations

import os
from datetime import date

from lakarrond.errors import BadInput

ENV = "LAKARROND_TODAY"


def today() -> date:
    """``LAKARROND_TODAY`` when set (a malformed value raises a Swedish :class:`BadInput`),
    else the system date."""
    text = os.environ.get(ENV, "").strip()
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"Miljövariabeln {ENV} har värdet {text!r}, som inte är ett datum. "
                       "Ange dagens datum som ÅÅÅÅ-MM-DD (t.ex. 2027-03-01) eller ta bort "
                       "variabeln.") from None
