"""Dialogs: patient, unit (rhythm editor with preview), absence, discharge, ÅMV move,
planning progress."""
