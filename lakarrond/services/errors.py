"""Errors of the use cases: the one :class:`lakarrond.errors.UserError` type.

``ServiceError`` is kept as the name services use for a failure (exit code 1); ``BadInput``
is the shared bad-input error (exit code 2).
"""

from __future__ import annotations

from lakarrond.errors import BadInput, UserError


class ServiceError(UserError):
    """A failure the user should read (exit code 1)."""


__all__ = ["BadInput", "ServiceError", "UserError"]
