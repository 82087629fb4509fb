"""Läkarrond – årsplan för årlig medicinsk vårdplanering (ÅMV)."""

__version__ = "0.1.0"
