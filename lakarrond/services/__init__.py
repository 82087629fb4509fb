"""Use cases over the store: plan (store ↔ solver), visits, demo data, export, import."""
