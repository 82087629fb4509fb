"""The "form opens again with what you typed" loop shared by the controllers.

A service refuses bad input with a :class:`~lakarrond.errors.BadInput`; the form opens again
with the typed values and the Swedish reason, so no typing is lost. Values given by a caller
(a test, a script) get the reason in an error dialog instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from lakarrond.ui.context import AppContext

T = TypeVar("T")
R = TypeVar("R")


def save_through_form(ctx: AppContext, typed: T | None, save: Callable[[T], R],
                      reopen: Callable[[T, str], T | None] | None) -> R | None:
    """Call ``save`` with ``typed`` until it succeeds; on bad input ``reopen`` the form with
    the typed values and the message (None: ``typed`` came from the caller, so the message is
    shown). Returns what ``save`` returned, or None (cancelled, refused, or an error already
    shown: a conflict, a busy database)."""
    while typed is not None:
        value = typed
        result, error = ctx.try_call(partial(save, value))
        if result is not None:
            return result
        if not error:
            return None
        if reopen is None:
            ctx.show_error(error)
            return None
        typed = reopen(value, error)
    return None
