"""The printed round schedule and preparation list (issue 6): built from a hand-made plan
document, written as PDF, read back with pypdf: dates, patients, cancellations, substitutes,
masked personnummer, page numbers and embedded fonts."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import copy
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from io_fixtures import as_document
from pypdf import PdfReader

from lakarrond import pnr
from lakarrond.document import PlanDocument
from lakarrond.io import pdf
from lakarrond.io.print_html import CHECKBOX
from lakarrond.printouts import SKIPPED, preparation_list, round_schedule
from lakarrond.steps import DEFAULT_STEPS, role_short


def pdf_pages(path: Path) -> list[str]:
    """Each page's text with whitespace runs made single spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


def pdf_text(path: Path) -> str:
    return " ".join(pdf_pages(path))


def font_files(path: Path) -> dict[str, bool]:
    """Every font used on any page → whether its font program is embedded in the PDF."""
    found: dict[str, bool] = {}
    for page in PdfReader(str(path)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            target = font
            if font.get("/Subtype") == "/Type0":
                target = font["/DescendantFonts"][0].get_object()
            descriptor = target.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[str(font.get("/BaseFont"))] = embedded
    return found


def D(text: str) -> date:
    return date.fromisoformat(text)


def schedule(doc, doctor, date_from=None, date_to=None):  # type: ignore[no-untyped-def]
    return pdf.text_document(round_schedule(doc, doctor, date_from, date_to))


def prep_list(doc, unit, date_from=None, date_to=None):  # type: ignore[no-untyped-def]
    return pdf.text_document(preparation_list(doc, unit, date_from, date_to))


def write(document, tmp_path: Path, name: str = "ut.pdf") -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / name
    pdf.write_pdf(document, out)
    return out


# --- round schedule ----------------------------------------------------------------------


def test_round_schedule_lists_rounds_patients_cancellations_and_substitutes(
    qapp, plan_doc, tmp_path
):
    doc = schedule(plan_doc, "Anna Berg", date(2027, 1, 1),
                                      date(2027, 12, 31))
    text = pdf_text(write(doc, tmp_path))
    assert "Rondschema" in text and "Anna Berg" in text
    for rnd in plan_doc.rounds:
        assert rnd.date.isoformat() in text
    for appt in plan_doc.reviews:
        if appt.doctor == "Anna Berg":
            assert appt.patient in text
    # the other doctor's patients are not on Anna's paper
    assert "Lisa Berg" not in text and "Erik Sund" not in text
    assert re.search(r"INSTÄLLD – Midsommarafton", text)
    assert re.search(r"tis 2027-07-13 .*?Vikarie: Per Holm", text)
    assert "09:00–11:00" in text and "120 min" in text and "13:30–14:30" in text


def test_personnummer_are_masked(qapp, plan_doc, tmp_path):
    doc = schedule(plan_doc, "Anna Berg")
    text = pdf_text(write(doc, tmp_path))
    assert "19121212-****" in text and "19701063-****" in text
    assert "19121212-1212" not in text and "1212-1212" not in text
    assert "2391" not in text


def test_period_limits_the_schedule(qapp, plan_doc, tmp_path):
    doc = schedule(plan_doc, "Anna Berg", D("2027-02-01"), D("2027-02-28"))
    text = pdf_text(write(doc, tmp_path))
    assert "2027-02-02" in text and "2027-02-16" in text
    assert "2027-01-19" not in text and "Nils Holm" not in text
    assert "2027-06-25" not in text
    assert "Karl Nilsson" in text and "Astrid Lind" in text
    assert "2027-02-01 – 2027-02-28" in text


def test_separate_review_times_are_listed_with_their_patients(qapp, plan_doc, tmp_path):
    doc = schedule(plan_doc, "Olle Ek", date(2027, 3, 1),
                                      date(2027, 3, 31))
    text = pdf_text(write(doc, tmp_path))
    assert "ons 2027-03-10" in text and "ÅMV-tid" in text
    assert "2 ÅMV på separat tid" in text
    assert "Lisa Berg" in text and "Erik Sund" in text
    assert "Gruppbostaden" in text and "Solbacken LSS" in text


def test_phone_round_reviews_are_on_separate_times(qapp, plan_data, tmp_path):
    for rnd in plan_data["rounds"]:
        if rnd["unit"] == "Lugnet":
            rnd["form"] = "Telefon"
    text = pdf_text(write(schedule(as_document(plan_data), "Anna Berg"), tmp_path))
    assert re.search(r"mån 2027-06-14 24 13:30–14:30 60 min Lugnet Telefon", text)
    assert "1 ÅMV på separat tid" in text and "Greta Ek" in text


def test_absence_without_substitute_is_marked(qapp, plan_data, tmp_path):
    plan_data["absences"] = [{"doctor": "Anna Berg", "start": "2027-02-15",
                              "end": "2027-02-19", "reason": "Kurs", "substitute": ""}]
    text = pdf_text(write(schedule(as_document(plan_data), "Anna Berg"), tmp_path))
    assert re.search(r"2027-02-16 .*?Läkaren frånvarande: Kurs – vikarie saknas", text)


def test_rounds_the_doctor_stands_in_for_are_listed(qapp, plan_doc, tmp_path):
    text = pdf_text(write(schedule(plan_doc, "Per Holm"), tmp_path))
    assert "2027-07-13" in text and "Som vikarie för Anna Berg" in text


def test_empty_period(qapp, plan_doc, tmp_path):
    doc = schedule(plan_doc, "Anna Berg", D("2027-10-01"), D("2027-10-31"))
    text = pdf_text(write(doc, tmp_path))
    assert "Inga ronder eller ÅMV under perioden" in text and "Sida 1 av 1" in text


# --- preparation list --------------------------------------------------------------------


def test_preparation_list_has_dates_patients_and_checklist(qapp, plan_data, tmp_path):
    plan_data["units"] = {"Bäckliden": {"type": "SÄBO", "nurse": "Eva Syster",
                                        "doctor": "Anna Berg", "reviews_in_round": True}}
    doc = as_document(plan_data)
    out = write(prep_list(doc, "Bäckliden", date(2027, 1, 1),
                                         date(2027, 1, 31)), tmp_path)
    text = pdf_text(out)
    assert "Förberedelselista ÅMV" in text and "Bäckliden" in text and "Eva Syster" in text
    # the period is on the preparation dates: 2027-01-05 and 2027-01-19
    for name, prep, visit in (("Nils Holm", "2027-01-05", "2027-01-19"),
                              ("Karl Nilsson", "2027-01-19", "2027-02-02"),
                              ("Astrid Lind", "2027-01-19", "2027-02-02")):
        assert name in text and prep in text and visit in text
    assert "Greta Ek" not in text  # another unit
    assert text.index("Nils Holm") < text.index("Karl Nilsson")  # preparation order
    for item in DEFAULT_STEPS:  # each with who does it
        assert f"{item.name} ({role_short(item.role)})" in " ".join(text.split())
    assert text.count(CHECKBOX) == 3 * len(DEFAULT_STEPS)
    assert "19121212-****" in text and "19121212-1212" not in text
    assert "rond 09:00" in text
    assert "Ssk = sjuksköterska" in text and "AT = arbetsterapeut" in text


def test_preparation_list_leaves_out_the_relatives_step_of_that_patient_only(
        qapp, plan_data, tmp_path):
    doc = as_document(plan_data)
    relatives = next(i for i, s in enumerate(DEFAULT_STEPS) if s.relatives)
    kept = preparation_list(doc, "Bäckliden", date(2027, 1, 1), date(2027, 1, 31))
    assert [e.ticks[relatives] for e in kept.content.entries] == ["", "", ""]
    left = preparation_list(doc, "Bäckliden", date(2027, 1, 1), date(2027, 1, 31),
                            no_relatives={3})  # Nils Holm: "Bjud inte in närstående"
    ticks = {e.patient.name: e.ticks[relatives] for e in left.content.entries}
    assert ticks == {"Nils Holm": SKIPPED, "Karl Nilsson": "", "Astrid Lind": ""}
    text = pdf_text(write(pdf.text_document(left), tmp_path))
    assert text.count(CHECKBOX) == 3 * len(DEFAULT_STEPS) - 1


def test_preparation_list_without_reviews(qapp, plan_doc, tmp_path):
    doc = prep_list(plan_doc, "Bäckliden", D("2027-09-01"), D("2027-09-30"))
    assert "Inga ÅMV att förbereda under perioden" in pdf_text(write(doc, tmp_path))


# --- pages, fonts, printers, images ------------------------------------------------------


def long_plan(plan_data: dict) -> PlanDocument:
    """A year of weekly rounds at three homes, two ÅMV in each: several pages."""
    doc = copy.deepcopy(plan_data)
    doc["rounds"], doc["appointments"] = [], []
    day, n = date(2027, 1, 4), 0
    while day.year == 2027:
        for offset, unit in enumerate(("Bäckliden", "Lugnet", "Solgården")):
            when = day + timedelta(days=offset)
            doc["rounds"].append({
                "date": when.isoformat(), "week": when.isocalendar().week, "unit": unit,
                "doctor": "Anna Berg", "start": "09:00", "length_min": 120, "form": "Fysisk",
                "cancelled": False, "cancel_reason": "", "substitute": ""})
            for _ in range(2):
                n += 1
                doc["appointments"].append({
                    "date": when.isoformat(), "week": when.isocalendar().week,
                    "doctor": "Anna Berg", "unit": unit, "patient": f"Patient Nummer{n}",
                    "personnummer": "19121212-1212", "preparation": when.isoformat(),
                    "status": "Planerad", "room": f"Rum {n}", "patient_id": n,
                    "unit_type": "SÄBO"})
        day += timedelta(days=7)
    return as_document(doc)


def test_page_numbers_on_every_page(qapp, plan_data, tmp_path):
    doc = schedule(long_plan(plan_data), "Anna Berg")
    out = write(doc, tmp_path)
    pages = pdf_pages(out)
    assert len(pages) > 3
    assert len(pages) == pdf.page_count(doc)
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page
        assert "Rondschema – Anna Berg" in page  # the running header
        assert re.search(r"Utskriven \d{4}-\d\d-\d\d \d\d:\d\d", page)
    # a round stays with its patients and a week heading with its first round: every
    # following page starts, after the repeated table head, with a week or a round
    for page in pages[1:]:
        body = page.split("Form Anmärkning", 1)[1].strip()
        assert re.match(r"(Vecka \d+|(mån|tis|ons|tor|fre) 2027-\d\d-\d\d)", body), body[:80]
    text = " ".join(pages)
    for n in range(1, 313):
        assert f"Patient Nummer{n} " in text + " "
    # A4 portrait
    box = PdfReader(str(out)).pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 210
    assert round(float(box.height) / 72 * 25.4) == 297


def test_fonts_are_embedded(qapp, plan_doc, tmp_path):
    for document in (schedule(plan_doc, "Anna Berg"),
                     prep_list(plan_doc, "Bäckliden")):
        fonts = font_files(write(document, tmp_path))
        assert fonts, "the PDF uses no fonts: its text would not be text"
        assert all(fonts.values()), fonts


def test_print_document_paints_on_a_printer(qapp, plan_data, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    printer = pdf.make_printer()
    assert printer.pageLayout().pageSize().id() == pdf.page_layout().pageSize().id()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "skrivare.pdf"
    printer.setOutputFileName(str(out))
    document = schedule(long_plan(plan_data), "Anna Berg")
    pages = pdf.print_document(document, printer)
    assert pages > 1
    texts = pdf_pages(out)
    assert len(texts) == pages
    assert f"Sida {pages} av {pages}" in texts[-1]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_printing_to_a_file_writes_a_private_file(qapp, plan_doc, tmp_path):
    """The print dialog's "print to file" (issue 22, defects 11): 0600, not 0644."""
    from PySide6.QtPrintSupport import QPrinter

    old_umask = os.umask(0o022)
    try:
        for name in ("ny.pdf", "fanns.pdf"):
            out = tmp_path / name
            if name == "fanns.pdf":
                out.write_bytes(b"")
                out.chmod(0o644)
            printer = pdf.make_printer()
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))
            assert pdf.print_document(schedule(plan_doc, "Anna Berg"), printer) >= 1
            assert out.stat().st_mode & 0o777 == 0o600, name
            assert "Anna Berg" in pdf_text(out)
    finally:
        os.umask(old_umask)


def test_print_preview_widget(qtbot, plan_data):
    """What the desktop's Arkiv → Skriv ut does: a preview fed by print_document."""
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    document = schedule(long_plan(plan_data), "Anna Berg")
    printer = pdf.make_printer()
    preview = QPrintPreviewWidget(printer)
    preview.printer_ref = printer  # the widget does not own its printer: keep it alive
    qtbot.addWidget(preview)
    painted: list[int] = []
    preview.paintRequested.connect(lambda printer: painted.append(
        pdf.print_document(document, printer)))
    preview.updatePreview()
    assert painted and preview.pageCount() == painted[-1] > 1


def test_render_page_image(qapp, plan_doc):
    document = prep_list(plan_doc, "Bäckliden")
    image = pdf.render_page_image(document, 0, dpi=50)
    assert abs(image.width() - 413) <= 1 and abs(image.height() - 585) <= 1  # A4, 50 dpi
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 2  # not a blank page


@pytest.mark.parametrize(("value", "masked"), [
    ("19380412-1234", "19380412-****"),
    ("193804121234", "19380412-****"),
    ("380412-1234", "380412-****"),
    ("380412+1234", "380412-****"),
    (None, ""),
    ("", ""),
])
def test_mask_personnummer(value, masked):
    assert pnr.mask(value) == masked
