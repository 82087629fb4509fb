"""The planning basis, "Planeringsunderlag fast planerad läkartid" (issue 21.4): gather the
saved plan, the matters, the preparation ticks and the units' "Övrig tid" for one round
date of a unit or every round of a doctor in a period, build it (:mod:`lakarrond.basis`)
and write it as JSON or PDF (audited; personnummer only when asked for)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from lakarrond.basis import BasisMatter, RoundBasis, basis_json, round_basis, rounds_of
from lakarrond.errors import BadInput
from lakarrond.io.files import atomic_write
from lakarrond.services.document import load_document
from lakarrond.services.matters import list_matters
from lakarrond.services.preparation import checklist
from lakarrond.store import Database, audit
from lakarrond.store import models as m
from lakarrond.timetable import timetable
from lakarrond.today import today as todays_date

FORMATS = (".json", ".pdf")


def _check_choice(unit: str | None, day: date | None, doctor: str | None,
                  date_from: date | None, date_to: date | None) -> None:
    if unit and day and not doctor:
        return
    if doctor and date_from and date_to and not unit and not day:
        if date_to < date_from:
            raise BadInput("Slutdatum (--to) ligger före startdatum (--from).")
        return
    raise BadInput("Ange en rond (--unit ENHET --date DATUM) eller en läkares ronder under "
                   "en period (--doctor NAMN --from DATUM --to DATUM).")


def make_basis(
    db: Database, *, unit: str | None = None, day: date | None = None,
    doctor: str | None = None, date_from: date | None = None, date_to: date | None = None,
    with_personnummer: bool = False, today: date | None = None,
) -> list[RoundBasis]:
    """The basis of ``unit``'s round on ``day``, or of every held round of ``doctor`` from
    ``date_from`` to ``date_to``, from the saved plan of each year concerned."""
    _check_choice(unit, day, doctor, date_from, date_to)
    first = day or date_from
    last = day or date_to
    assert first is not None and last is not None
    today = today or todays_date()
    out: list[RoundBasis] = []
    with db.read() as s:
        if unit and s.scalars(select(m.Unit).where(m.Unit.name == unit)).first() is None:
            raise BadInput(f"Enheten \"{unit}\" finns inte.")
        if doctor and s.scalars(select(m.Doctor).where(m.Doctor.name == doctor)).first() \
                is None:
            raise BadInput(f"Läkaren \"{doctor}\" finns inte.")
        other = {u.name: u.other_minutes or 0 for u in s.scalars(select(m.Unit))}
        matters = [BasisMatter(x.id, x.kind, x.unit, x.date, x.patient, x.personnummer,
                               x.minutes, x.by, x.note, x.status)
                   for x in list_matters(s, unit=unit, doctor=doctor, date_from=first,
                                         date_to=last)]
        for year in range(first.year, last.year + 1):
            doc = load_document(s, year, today=today)
            rounds = rounds_of(doc, unit=unit, doctor=doctor, date_from=first, date_to=last)
            if day is not None and not rounds:
                raise BadInput(f"{unit} har ingen rond {day.isoformat()}.")
            tt = timetable(doc)
            keys = [(a.patient_id, a.date) for r in rounds
                    for a in doc.reviews if (a.unit, a.date) == (r.unit, r.date)]
            steps = {key: [(st.step, st.done) for st in states]
                     for key, states in checklist(s, year, keys, today).items()}
            out += [round_basis(doc, r, matters, steps, other.get(r.unit, 0),
                                with_personnummer, tt) for r in rounds]
    return out


def write_basis(db: Database, rounds: list[RoundBasis], out: Path,
                with_personnummer: bool = False) -> Path:
    """Write the basis as ``.json`` or ``.pdf`` (by the file's suffix, atomically, mode
    0600) and audit it (what, how many rounds, where; never a note)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise BadInput(f"Underlaget skrivs som .pdf eller .json, inte \"{out.name}\".")
    if suffix == ".json":
        text = json.dumps(basis_json(rounds), ensure_ascii=False, indent=2) + "\n"
        atomic_write(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    else:
        from lakarrond.io.basis_pdf import write_basis_pdf  # Qt only for a PDF

        atomic_write(out, lambda tmp: write_basis_pdf(rounds, tmp))
    with db.begin() as s:
        audit(s, "print" if suffix == ".pdf" else "export", "basis", None, after={
            "what": "planeringsunderlag", "rounds": len(rounds),
            "units": sorted({r.unit for r in rounds}),
            "from": min(r.date for r in rounds).isoformat() if rounds else None,
            "to": max(r.date for r in rounds).isoformat() if rounds else None,
            "path": str(out.resolve()), "numbers": "full" if with_personnummer else "none"})
    return out
