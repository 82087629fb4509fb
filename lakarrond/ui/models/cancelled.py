"""The cancelled (Inställd) ÅMV of a plan as rows the views show greyed beside the others.

The plan document keeps a cancelled ÅMV only among the patients who need a new date
(``PlanDocument.due_again``, with ``DueAgain.cancelled`` its recorded reason); Årsplan's
ÅMV list and Veckan show it on its old date with the status Inställd and its reason, so it
never simply vanishes."""

from __future__ import annotations

from datetime import date

from lakarrond.document import AnnualReview, PlanDocument
from solver.problem import VisitStatus

CANCELLED = VisitStatus.CANCELLED
DECLINED = VisitStatus.DECLINED
WITHDRAWN = (CANCELLED, DECLINED)  # shown greyed, with their reason


def cancelled_reviews(doc: PlanDocument | None, first: date | None = None,
                      last: date | None = None) -> list[AnnualReview]:
    """The plan's cancelled ÅMV (dated ``first``–``last`` when given), with their reason."""
    if doc is None:
        return []
    rows = []
    for d in doc.due_again:
        if d.cancelled is None:  # moved to another unit, not cancelled
            continue
        if (first is not None and d.date < first) or (last is not None and d.date > last):
            continue
        reason = d.cancelled
        rows.append(AnnualReview(date=d.date, doctor=d.doctor, unit=d.unit, patient=d.patient,
                                 personnummer=None, preparation=d.date, status=CANCELLED,
                                 patient_id=d.patient_id, visit_id=d.visit_id, reason=reason))
    return rows


def outcome_remark(review: AnnualReview) -> str:
    """``Avböjd: vill inte`` – the recorded reason of an Avböjd or Inställd ÅMV, or ""."""
    if review.status in WITHDRAWN:
        return f"{review.status}: {review.reason}" if review.reason else review.status
    return ""


__all__ = ["CANCELLED", "WITHDRAWN", "cancelled_reviews", "outcome_remark"]
