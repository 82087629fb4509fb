"""The one date field of the window: a QDateEdit (yyyy-MM-dd, calendar popup) that takes a
whole typed date.

A plain QDateEdit edits one section at a time: with the whole text selected (Ctrl+A, or a
click-and-drag) every typed digit is refused, so typing "2027-03-08" only changes the day.
Here a key typed over a selection that spans more than one section starts again in the
first selected section, and a separator typed just after the field moved on to the next
section by itself is not taken as a second move, so the year, the month and the day are all
taken."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QWidget

DATE_FORMAT = "yyyy-MM-dd"
_COMMANDS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
             | Qt.KeyboardModifier.MetaModifier)


class DateEdit(QDateEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(DATE_FORMAT)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        line = self.lineEdit()
        typed = "" if event.modifiers() & _COMMANDS else event.text()
        if (typed and typed.isprintable() and not typed.isdigit() and line.hasSelectedText()
                and line.selectedText() == self.sectionText(self.currentSection())):
            event.accept()  # the field moved on by itself: the typed "-" is already done
            return
        if typed and typed.isprintable() and line.hasSelectedText():
            start = line.selectionStart()
            end = start + len(line.selectedText())
            first = self.sectionAt(0)
            section = next((self.sectionAt(i) for i in range(self.sectionCount())
                            if self._section_start(i) >= start), first)
            if end - start > len(self.sectionText(section)):  # more than one section
                self.setSelectedSection(section)
        super().keyPressEvent(event)

    def _section_start(self, index: int) -> int:
        """Where section ``index`` begins in the text (sections are separated by one
        character in yyyy-MM-dd)."""
        return sum(len(self.sectionText(self.sectionAt(i))) + 1 for i in range(index))


__all__ = ["DATE_FORMAT", "DateEdit"]
