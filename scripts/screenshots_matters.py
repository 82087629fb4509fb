"""The matters (ärenden) part of the screenshots' story (issue 21), called by
``screenshots.py`` once Veckan shows the re-planned week: the nurse books two matters in a
round of this week (a home visit, a check-in with the physiotherapist) and one in last week's
round that nobody has recorded yet; Veckan is grabbed with the matters under the round
(``veckan-arenden``), the booking dialog filled in (``boka-arende``), and the round's
planning basis saved as a PDF whose first page is rendered (``planeringsunderlag``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any  # Any: the window and dialogs of the story, as in screenshots.py

HOME_VISIT_NOTE = "Sämre aptit och gått ner 3 kg sedan förra månaden; anhöriga oroliga"


def matter_story(window: Any, db: Any, today: date, out: Path,
                 save: Callable[[Any, str], None],
                 expect: Callable[..., None]) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtPdf import QPdfDocument
    from screenshots import save_png  # scripts/ is on sys.path (run as a script)

    from lakarrond.services.basis import make_basis, write_basis
    from lakarrond.services.matters import book
    from lakarrond.services.week_data import MATTER_TO_RECORD

    week = window.week
    wv = window.week_view
    doc = window.ctx.document
    rounds = [r for d in week.week.doctors for day in d.days for r in day.rounds
              if not r.separate and not r.cancelled and r.reviews and day.date >= today]
    rnd = rounds[0]
    unit, day, doctor = rnd.unit, rnd.entry.date, rnd.entry.doctor
    shown = {w.patient for w in rnd.reviews}
    other = sorted({a.patient for a in doc.reviews if a.unit == unit} - shown)
    visit = book(db, unit, day, "Hembesök", patient=other[0], minutes=30,
                 by_role="Sjuksköterska", by_name="Sara Lind", note=HOME_VISIT_NOTE, force=True)
    book(db, unit, day, "Avstämning", minutes=15, by_role="Fysioterapeut", by_name="Per Ek",
         force=True)
    before = sorted(r.date for r in doc.rounds if r.unit == unit and not r.cancelled
                    and today - timedelta(days=28) <= r.date < today)
    if before:
        book(db, unit, before[-1], "Vårdplanering vid försämring", patient=other[1],
             minutes=30, by_role="Sjuksköterska", by_name="Sara Lind", force=True)
    wv.doctor_combo.setCurrentText(doctor)
    week.reload()
    wv.tree.expandAll()
    week.matters.select(visit.id)
    wv.tree.scrollTo(wv.tree.currentIndex())
    kinds = wv.todo.filters[wv.todo_model.KIND_COLUMN]  # Att göra nu: the matters to record
    kinds.setCurrentIndex(max(kinds.findText(MATTER_TO_RECORD), 0))
    save(window, "veckan-arenden")
    kinds.setCurrentIndex(0)

    def fill(dialog: Any) -> None:
        dialog.kind.setCurrentText("Vårdplanering vid försämring")
        dialog.patient.setCurrentIndex(1)
        dialog.name.setText("Sara Lind")
        dialog.note.setPlainText("Feber sedan i lördags, äter dåligt")

    expect("boka-arende", False, fill)
    week.matters.book(unit, day)

    pdf = out / "planeringsunderlag.pdf"
    write_basis(db, make_basis(db, unit=unit, day=day, today=today), pdf)
    document = QPdfDocument(None)
    document.load(str(pdf))
    size = document.pagePointSize(0)
    width = 900
    page = document.render(0, QSize(width, int(width * size.height() / size.width())))
    page = page.copy(0, 0, page.width(), int(page.height() * 0.36))  # the round, not the blank
    image = QImage(page.size(), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, page)
    painter.end()
    save_png(image, out / "planeringsunderlag.png")
    document.close()
    pdf.unlink()
    wv.doctor_combo.setCurrentIndex(0)
