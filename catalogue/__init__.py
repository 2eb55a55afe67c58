"""Programs in use: the content catalogue of published versions and their activation on care
units (R24–R26, R46, R16). Imports engine and access, never web; functions flush, the caller
commits once."""
from catalogue.activation import activate, active, deactivate, newest, upgrade, version_for_new_start, versions
from catalogue import approvals, audit
from catalogue.errors import CatalogueError
from catalogue.publishing import publish
from catalogue.queries import (Offer, activations_on, entries, open_offers, running_instance,
                               start_open_program)

__all__ = [
    "activate", "active", "deactivate", "newest", "upgrade", "version_for_new_start", "versions",
    "approvals", "audit", "CatalogueError", "publish", "Offer", "activations_on", "entries", "open_offers", "running_instance",
    "start_open_program",
]
