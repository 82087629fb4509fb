"""Files in and out: the Excel import template, the import reader, the Excel plan and the
calendar (.ics) export."""
