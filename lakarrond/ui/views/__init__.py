"""The main window's views: Enheter, Patienter, Läkare, Årsplan, Rondschema."""
