"""What needs following up in the saved plan: past ÅMV not recorded ("ej registrerad"),
ÅMV that need a new date (cancelled, moved patient, rhythm change, absence), and frozen ÅMV
the last re-plan had to move (tell the patient and the unit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject

from lakarrond.document import PlanDocument
from lakarrond.services.week_data import NEW_DATE, UNRECORDED
from lakarrond.ui.models.table import Column, RowTableModel

FORCED = "Flyttad inom frysperioden"


@dataclass(frozen=True)
class FollowUp:
    kind: str
    date: date
    patient: str
    unit: str
    doctor: str
    detail: str
    patient_id: int = 0
    visit_id: int = 0


def follow_ups(doc: PlanDocument) -> list[FollowUp]:
    rows = [FollowUp(UNRECORDED, a.date, a.patient, a.unit, a.doctor,
                     "passerad, registrera Genomförd, Avböjd eller Inställd", a.patient_id,
                     a.visit_id) for a in doc.unrecorded]
    rows += [FollowUp(NEW_DATE, a.date, a.patient, a.unit, a.doctor, a.needs_new_date,
                      a.patient_id, a.visit_id) for a in doc.needing_new_date]
    rows += [FollowUp(NEW_DATE, d.date, d.patient, d.unit, d.doctor, d.reason, d.patient_id,
                      d.visit_id) for d in doc.due_again]
    for f in doc.forced_moves:
        now = doc.review_of(f.patient_id) if f.patient_id else None
        rows.append(FollowUp(FORCED, f.old, f.patient, now.unit if now else "",
                             now.doctor if now else "",
                             f"→ {f.new.isoformat() if f.new else 'inget datum'}: {f.reason}",
                             f.patient_id or 0, now.visit_id if now else 0))
    return sorted(rows, key=lambda r: (r.date, r.kind, r.patient))


class FollowUpModel(RowTableModel[FollowUp]):
    KIND_COLUMN = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column("Att göra", lambda r: r.kind),
                Column("Datum", lambda r: r.date),
                Column("Patient", lambda r: r.patient),
                Column("Enhet", lambda r: r.unit),
                Column("Läkare", lambda r: r.doctor),
                Column("Varför", lambda r: r.detail, lambda r: r.detail),
            ],
            parent,
        )
