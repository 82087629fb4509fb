"""Broken rules grouped by cause: one row per cause (a unit's capacity, a doctor's absence,
the user's own locks …) with the number of patients, what to do and – where the program can
do it – the fix to try; expandable to the patients. Pure Python over the plan document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lakarrond.document import PlanWarning, ViolationEntry
from lakarrond.formatting import count
from solver.result import FixAction

TITLES = {
    "capacity": "För få platser",
    "absence": "Läkaren är frånvarande",
    "closed": "Inga tillåtna datum",
    "lock": "Låsta ÅMV tar platserna",
    "early": "ÅMV tidigare än fönstret",
    "day": "ÅMV på en dag som inte går",
    "preparation": "Fel förberedelsedatum",
    "duplicate": "Fler än en ÅMV",
    "unit": "Enheten saknar ÅMV-tillfällen",
    "overdue_before_year": "Fristen gick ut före planeringsdatumet",
}
WARNING_TITLES = {  # R5b (solver.round_time)
    "not_fit": "ÅMV och övrig tid ryms inte i ronden",
    "overlap": "Två ronder samtidigt",
}


@dataclass(frozen=True)
class Cause:
    key: str
    title: str
    where: str  # the unit or doctor it concerns
    fix: str  # what to do, in Swedish
    action: FixAction | None  # the fix the program can carry out (None: a person)
    violations: tuple[ViolationEntry, ...]

    @property
    def patients(self) -> int:
        return len({v.patient_id or v.patient for v in self.violations if v.patient})

    @property
    def summary(self) -> str:
        if self.key.startswith("time:"):  # a round-time warning (R5b), not a broken rule
            return "varning"
        n = self.patients
        return count(n, "patient", "patienter") if n else count(len(self.violations),
                                                                 "avvikelse", "avvikelser")


def _title(key: str, where: str) -> str:
    kind, _, rest = key.partition(":")
    base = TITLES.get(kind, "Övrigt")
    if kind == "absence":
        doctor, _, day = rest.partition(":")
        return f"{doctor} är frånvarande från {day}" if day else base
    if kind == "lock" and rest.startswith("patient:"):
        return "En låst ÅMV ligger fel"
    return f"{base} – {where}" if where and kind in ("capacity", "closed", "lock", "unit") \
        else base


def group_by_cause(violations: Sequence[ViolationEntry]) -> list[Cause]:
    """One :class:`Cause` per cause key (plans saved before causes were recorded are grouped
    by rule and unit), the largest first."""
    groups: dict[str, list[ViolationEntry]] = {}
    for v in violations:
        key = v.cause or f"{v.rule}:{v.unit or v.doctor}"
        groups.setdefault(key, []).append(v)
    causes = []
    for key, items in groups.items():
        first = items[0]
        where = first.unit or first.doctor
        action = next((v.action for v in items if v.action), None)
        causes.append(Cause(key=key, title=_title(key, where), where=where, fix=first.fix,
                            action=action, violations=tuple(items)))
    return sorted(causes, key=lambda c: (-len(c.violations), c.title, c.key))


def warning_causes(warnings: Sequence[PlanWarning]) -> list[Cause]:
    """The plan's round-time warnings (R5b) as causes: the cause text under the title, what
    to do beside it; the units named in "where". Nothing the program can fix itself."""
    return [Cause(key=f"time:{w.kind}:{'|'.join(w.units)}",
                  title=WARNING_TITLES.get(w.kind, "Rondtiden"),
                  where=", ".join(w.units), fix=w.fix or w.message, action=None,
                  violations=(ViolationEntry(rule="R5b", patient="", unit=w.unit,
                                             message=w.message, fix=w.fix,
                                             doctor=w.doctor),))
            for w in warnings]
