"""Errors of the use cases, with Swedish messages and the command line's exit code."""

from __future__ import annotations


class ServiceError(Exception):
    """A failure the user should read (exit code 1)."""

    exit_code = 1


class BadInput(ServiceError):
    """The user's input is wrong: unknown name, bad date, … (exit code 2)."""

    exit_code = 2
