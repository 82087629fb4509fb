"""R5b on import: the units of a filled template whose rounds do not hold their ÅMV and
"Övrig tid", and rounds of one doctor that overlap, as warnings (the import still goes
through). The rule is :mod:`solver.round_time`'s; this only names the rows."""

from __future__ import annotations

from collections.abc import Sequence

from lakarrond.io.import_data import ImportIssue, UnitRow
from solver.problem import Rhythm, Unit
from solver.round_time import time_warnings


def _solver_unit(row: UnitRow) -> Unit:
    return Unit(row.name, row.type, row.doctor, Rhythm(row.rhythm, row.weekdays, row.parity),
                row.start_time, row.length_min, form=row.form,
                reviews_in_round=row.reviews_in_round, reviews_per_round=row.reviews_per_round,
                review_minutes=row.review_minutes, other_minutes=row.other_minutes)


def round_time_issues(units: Sequence[UnitRow]) -> list[ImportIssue]:
    """One warning per unit that does not fit and per pair of overlapping rounds, on the
    sheet Enheter at the (first) unit's row; the message names both units, the weekday and
    the times."""
    rows = {row.name: row.row for row in units}
    solver_units = []
    for row in units:
        try:
            solver_units.append(_solver_unit(row))
        except ValueError:  # a bad rhythm is an error reported elsewhere
            continue
    return [ImportIssue("Enheter", rows.get(w.unit), None, None, w.message)
            for w in time_warnings(solver_units)]
