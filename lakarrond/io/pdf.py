"""Printouts on A4 pages: a :class:`~lakarrond.printouts.Printout` laid out as a
:class:`QTextDocument` (HTML from :mod:`lakarrond.io.print_html`), real (embedded) fonts.

The same painter routine renders to a :class:`QPdfWriter` (:func:`write_pdf`), to a
:class:`QPrinter` (:func:`print_document`, e.g. from a ``QPrintPreviewDialog``) and to a
:class:`QImage` (:func:`render_page_image`): each page gets a running header (title and
printed time) and a footer with "Sida 1 av 3".
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
    QTextDocument,
    QTextFormat,
    QTextTable,
)
from PySide6.QtPrintSupport import QPrinter

from lakarrond.io.files import create_private_file, make_private
from lakarrond.io.print_html import printout_html
from lakarrond.printouts import Printout

PDF_DPI = 300
MARGINS_MM = QMarginsF(15, 12, 15, 12)  # left, top, right, bottom
BODY_POINT_SIZE = 9.5
HEADER_POINT_SIZE = 8
FONT_FAMILIES = ("DejaVu Sans", "Arial", "Segoe UI", "Liberation Sans", "Helvetica")
PROGRAM = "Läkarrond"
_TITLE_KEY = QTextDocument.MetaInformation.DocumentTitle
_KEEP_KEY = "lakarrond_keep_together"

_apps: list[QCoreApplication] = []  # keeps an application created here alive


# --- application, fonts, small formatting helpers ----------------------------------------


def ensure_gui_app() -> QGuiApplication:
    """The running Qt GUI application, or a new one (offscreen when there is no display)."""
    app = QCoreApplication.instance()
    if app is None:
        if (
            sys.platform.startswith("linux")
            and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY")
        ):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([sys.argv[0] if sys.argv else PROGRAM])
        _apps.append(app)
    if not isinstance(app, QGuiApplication):
        raise RuntimeError("Utskrift kräver ett grafiskt Qt-program (QGuiApplication).")
    return app


def document_font(point_size: float = BODY_POINT_SIZE) -> QFont:
    """A font with Swedish letters that embeds in a PDF (first family that is installed)."""
    families = set(QFontDatabase.families())
    family = next((f for f in FONT_FAMILIES if f in families), "")
    font = QFont(family) if family else QFont()
    font.setPointSizeF(point_size)
    return font


def text_document(printout: Printout) -> QTextDocument:
    """The printout as a document to paint (build it in the GUI thread)."""
    text, groups = printout_html(printout)
    document = new_document(printout.title)
    set_html(document, text)
    _set_keep_together(document, groups)
    return document


def new_document(title: str) -> QTextDocument:
    ensure_gui_app()
    document = QTextDocument()
    document.setDefaultFont(document_font())
    document.setDocumentMargin(0)
    document.setMetaInformation(_TITLE_KEY, title)
    return document


def set_html(document: QTextDocument, text: str) -> None:
    title = document.metaInformation(_TITLE_KEY)
    document.setHtml(text)
    document.setMetaInformation(_TITLE_KEY, title)  # setHtml clears it


def _set_keep_together(document: QTextDocument, groups: list[tuple[int, ...]]) -> None:
    """Remember which rows of the document's tables belong together (a week heading, a
    round and its patients): the pagination starts a new page rather than split them. A
    group is (first, last) rows of the first table, or (table, first, last)."""
    document.setProperty(_KEEP_KEY, json.dumps(groups))


def _keep_together(layout_doc: QTextDocument, groups: list[list[int]], page_height: float
                   ) -> None:
    """Move each group of rows that would straddle a page break to the next page, unless
    the group is too tall for a page anyway. The break goes after the row before the group:
    Qt moves the whole row then (a break before a cell's block moves only that cell)."""
    tables = [f for f in layout_doc.rootFrame().childFrames() if isinstance(f, QTextTable)]
    if not tables or not groups:
        return
    layout = layout_doc.documentLayout()
    for group in groups:
        number, first, last = group if len(group) == 3 else (0, *group)
        if number >= len(tables):
            continue
        table = tables[number]
        if last >= table.rows() or first > last:
            continue
        top = layout.blockBoundingRect(table.cellAt(first, 0).firstCursorPosition().block())
        bottom = max(
            layout.blockBoundingRect(table.cellAt(last, c).lastCursorPosition().block()).bottom()
            for c in range(table.columns())
        )
        if (first > 1 and int(top.top() // page_height) != int(bottom // page_height)
                and bottom - top.top() < page_height * 0.6):
            cursor = table.cellAt(first - 1, 0).lastCursorPosition()
            block_format = cursor.blockFormat()
            block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysAfter)
            cursor.setBlockFormat(block_format)


# --- painting: pages with header and footer ----------------------------------------------


def _layout(document: QTextDocument, device: QPaintDevice, size: QSizeF
            ) -> tuple[QTextDocument, float, float, int]:
    """A copy of ``document`` laid out for ``device`` in pages of the body height: (copy,
    height of the header/footer band, body height, page count)."""
    metrics = QFontMetricsF(document_font(HEADER_POINT_SIZE), device)
    band = metrics.height() * 1.9
    body_height = size.height() - 2 * band
    layout_doc = document.clone()
    layout_doc.setDocumentMargin(0)
    layout_doc.documentLayout().setPaintDevice(device)
    layout_doc.setPageSize(QSizeF(size.width(), body_height))
    groups = json.loads(str(document.property(_KEEP_KEY) or "[]"))
    _keep_together(layout_doc, groups, body_height)
    return layout_doc, band, body_height, max(1, layout_doc.pageCount())


def _paint_pages(
    document: QTextDocument,
    painter: QPainter,
    size: QSizeF,
    new_page: Callable[[], bool] | None,
    only_page: int | None = None,
    printed: datetime | None = None,
) -> int:
    """Paint ``document`` page by page into the rectangle (0, 0, size) of the painter's
    device (in device pixels), with a running header and a footer "Sida i av n". Returns
    the page count."""
    device: QPaintDevice = painter.device()
    layout_doc, band, body_height, pages = _layout(document, device, size)
    layout: QAbstractTextDocumentLayout = layout_doc.documentLayout()
    head_font = document_font(HEADER_POINT_SIZE)
    metrics = QFontMetricsF(head_font, device)

    title = document.metaInformation(_TITLE_KEY) or PROGRAM
    stamp = (printed or datetime.now()).strftime("Utskriven %Y-%m-%d %H:%M")
    context = QAbstractTextDocumentLayout.PaintContext()
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Text, QColor(Qt.GlobalColor.black))
    context.palette = palette
    line = QPen(QColor("#555555"))
    line.setWidthF(max(1.0, device.logicalDpiY() / 150))
    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

    indices = range(pages) if only_page is None else [min(max(only_page, 0), pages - 1)]
    for n, index in enumerate(indices):
        if n and new_page is not None and not new_page():
            raise OSError("Kunde inte börja en ny sida i utskriften.")
        painter.save()
        painter.setFont(head_font)
        painter.setPen(QColor(Qt.GlobalColor.black))
        head = QRectF(0, 0, size.width(), metrics.height())
        painter.drawText(head, left, metrics.elidedText(title, Qt.TextElideMode.ElideRight,
                                                        size.width() * 0.72))
        painter.drawText(head, right, stamp)
        painter.setPen(line)
        y = metrics.height() * 1.3
        painter.drawLine(QPointF(0, y), QPointF(size.width(), y))
        y = size.height() - metrics.height() * 1.3
        painter.drawLine(QPointF(0, y), QPointF(size.width(), y))
        painter.setPen(QColor(Qt.GlobalColor.black))
        foot = QRectF(0, size.height() - metrics.height(), size.width(), metrics.height())
        painter.drawText(foot, left, PROGRAM)
        painter.drawText(foot, right, f"Sida {index + 1} av {pages}")
        painter.restore()

        painter.save()
        clip = QRectF(0, index * body_height, size.width(), body_height)
        painter.translate(0, band - index * body_height)
        painter.setClipRect(clip)
        context.clip = clip
        layout.draw(painter, context)
        painter.restore()
    return pages


def page_layout() -> QPageLayout:
    """A4 portrait with the printout margins."""
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                       MARGINS_MM, QPageLayout.Unit.Millimeter)


def _dpi_image(dpi: int, width: int = 1, height: int = 1) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


def page_count(text_document: QTextDocument, dpi: int = PDF_DPI) -> int:
    """How many A4 pages the document takes when printed (as :func:`write_pdf` does)."""
    ensure_gui_app()
    paint = page_layout().paintRectPixels(dpi)
    return _layout(text_document, _dpi_image(dpi), QSizeF(paint.size()))[3]


def make_printer() -> QPrinter:
    """A high-resolution ``QPrinter`` set to A4 with the printout margins (for
    ``QPrintPreviewDialog`` / ``QPrintDialog``)."""
    ensure_gui_app()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout())
    printer.setDocName(PROGRAM)
    return printer


def write_pdf(text_document: QTextDocument, path: Path | str) -> int:
    """Write the document as an A4 PDF at ``path`` (fonts embedded); returns the page count."""
    ensure_gui_app()
    writer = QPdfWriter(str(path))
    writer.setPageLayout(page_layout())
    writer.setResolution(PDF_DPI)
    writer.setTitle(text_document.metaInformation(_TITLE_KEY))
    writer.setCreator(PROGRAM)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"Kunde inte skriva PDF-filen {path}.")
    try:
        size = QSizeF(writer.width(), writer.height())
        pages = _paint_pages(text_document, painter, size, writer.newPage)
    finally:
        ok = painter.end()
    if not ok:
        raise OSError(f"Kunde inte skriva PDF-filen {path}.")
    return pages


def print_document(text_document: QTextDocument, printer: QPagedPaintDevice) -> int:
    """Paint the document on ``printer`` (a ``QPrinter``, e.g. the one a
    ``QPrintPreviewDialog`` hands to ``paintRequested``) with header, footer and page
    numbers. Returns the page count. Printed to a file (the print dialog's "Skriv till
    fil"), the file is private to the user (0600), like every file the program writes."""
    ensure_gui_app()
    out = _output_file(printer)
    if out is not None:
        create_private_file(out)  # Qt keeps the mode of a file that exists
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("Skrivaren kunde inte startas.")
    try:
        size = QSizeF(printer.width(), printer.height())
        return _paint_pages(text_document, painter, size, printer.newPage)
    finally:
        painter.end()
        if out is not None:
            make_private(out)


def _output_file(printer: QPagedPaintDevice) -> Path | None:
    """The file a printer prints to, if it prints to a file."""
    if not isinstance(printer, QPrinter) or not printer.outputFileName():
        return None
    return Path(printer.outputFileName())


def render_page_image(text_document: QTextDocument, page: int = 0, dpi: int = 100) -> QImage:
    """One A4 page (0-based index) as a white image, for previews and documentation."""
    ensure_gui_app()
    full = page_layout().fullRectPixels(dpi)
    image = _dpi_image(dpi, full.width(), full.height())
    image.fill(QColor(Qt.GlobalColor.white))
    paint = page_layout().paintRectPixels(dpi)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.translate(QPointF(paint.topLeft()))
        _paint_pages(text_document, painter, QSizeF(paint.size()), None, only_page=page)
    finally:
        painter.end()
    return image
