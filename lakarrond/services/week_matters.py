"""The matters (ärenden) of Veckan's rounds (issue 21.5): each round's time booked against
its length and the matters booked on the round date with their clock times, taken from the
planning basis (:func:`lakarrond.basis.round_basis`: the one ordering – the ÅMV first, the
matters after them in booking order – and :func:`lakarrond.matter.round_time`, the one
computation). Matters are indexed by (unit, date) once per read of the week."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lakarrond.basis import REVIEW_KIND, BasisMatter, round_basis
from lakarrond.document import PlanDocument, RoundEntry
from lakarrond.matter import RoundTime, to_record
from lakarrond.services.matters import MatterRow, list_matters
from lakarrond.services.week_data import WeekMatter
from lakarrond.store import models as m
from lakarrond.timetable import Timetable

MattersByRound = Mapping[tuple[str, date], Sequence[MatterRow]]


def index_matters(matters: Iterable[MatterRow]) -> dict[tuple[str, date], list[MatterRow]]:
    """The matters by (unit, round date), in booking order."""
    found: dict[tuple[str, date], list[MatterRow]] = defaultdict(list)
    for x in matters:
        found[(x.unit, x.date)].append(x)
    return dict(found)


def _basis_matter(x: MatterRow) -> BasisMatter:
    return BasisMatter(x.id, x.kind, x.unit, x.date, x.patient, None, x.minutes, x.by,
                       "", x.status)


def round_matters(doc: PlanDocument, tt: Timetable, r: RoundEntry, by_round: MattersByRound,
                  other_min: Mapping[str, int], today: date,
                  ) -> tuple[RoundTime | None, tuple[WeekMatter, ...]]:
    """The time of round ``r`` ("45 av 60 min"; None for a round without a start) and its
    matters, each with its clock time from the planning basis."""
    mine = list(by_round.get((r.unit, r.date), ()))
    if not r.start:
        return None, tuple(WeekMatter(x, None, to_record(x.status, x.date, today))
                           for x in mine)
    basis = round_basis(doc, r, [_basis_matter(x) for x in mine], {},
                        other_min.get(r.unit, 0), tt=tt)
    starts = {i.id: i.start for i in basis.items if i.kind != REVIEW_KIND}
    return basis.time, tuple(WeekMatter(x, starts.get(x.id), to_record(x.status, x.date, today))
                             for x in mine)


def read_matters(session: Session, first: date, last: date) -> list[MatterRow]:
    """Every matter from ``first`` to ``last`` (one query)."""
    return list_matters(session, date_from=first, date_to=last)


def other_minutes(session: Session) -> dict[str, int]:
    """Each unit's "Övrig tid (min)"."""
    return {u.name: u.other_minutes or 0 for u in session.scalars(select(m.Unit))}
