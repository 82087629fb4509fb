"""Is the saved plan stale? Its planning input changed since it was saved: the input version
it was made against (``plan.input_version``) is not the current one. What changed is named
from the audit log: patients, units, doctors, absences, settings, one-off round changes,
imports. Reads, printouts and exports never make a plan stale."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from lakarrond.formatting import count
from lakarrond.services.plan import INPUT_ENTITIES
from lakarrond.services.problem import latest_plan
from lakarrond.store import Database, input_version
from lakarrond.store import models as m

WORDS = {
    "patient": ("patient", "patienter"), "unit": ("enhet", "enheter"),
    "doctor": ("läkare", "läkare"), "absence": ("frånvaro", "frånvaron"),
    "setting": ("inställning", "inställningar"), "round_change": ("rondändring", "rondändringar"),
    "workbook": ("import", "importer"), "database": ("exempeldata", "exempeldata"),
    "health_centre": ("vårdcentral", "vårdcentraler"), "matter": ("ärende", "ärenden"),
}


@dataclass(frozen=True)
class Staleness:
    version: int
    changes: dict[str, int]  # audit entity → how many changes since the plan was saved
    stale: bool = False  # the input version moved since the plan was saved

    @property
    def text(self) -> str:
        """"3 patienter, 1 frånvaro ändrade sedan planversion 4 sparades"."""
        parts = [count(n, *WORDS.get(entity, (entity, entity)))
                 for entity, n in sorted(self.changes.items())]
        what = ", ".join(parts) or "Planeringsunderlaget"
        return f"{what} ändrade sedan planversion {self.version} sparades"


def staleness(db: Database, year: int) -> Staleness | None:
    """What changed since the year's latest plan was saved; None when there is no plan."""
    with db.read() as s:
        plan = latest_plan(s, year)
        if plan is None:
            return None
        if plan.input_version is None or plan.input_version == input_version(s):
            return Staleness(plan.version, {})
        saved = s.scalar(select(m.AuditLog.id).where(
            m.AuditLog.entity == "plan", m.AuditLog.entity_id == str(plan.id),
            m.AuditLog.action == "plan").order_by(m.AuditLog.id.desc()).limit(1))
        rows = s.execute(select(m.AuditLog.entity, m.AuditLog.entity_id).where(
            m.AuditLog.id > (saved or 0), m.AuditLog.entity.in_(INPUT_ENTITIES)))
        changes = Counter(entity for entity, _ in set(rows))
        return Staleness(plan.version, dict(changes), stale=True)
