"""Use cases over the store: plan (store ↔ solver), visits, demo data, export, import."""

from lakarrond.services.errors import BadInput, ServiceError

__all__ = ["BadInput", "ServiceError"]
