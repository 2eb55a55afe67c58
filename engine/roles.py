"""Role ids are fixed and used everywhere: code, BPMN lanes and grants (DESIGN.md)."""
from __future__ import annotations

ROLES = {
    "invanare": "Invånare",
    "behandlare": "Behandlare",
    "invanaradmin": "Invånaradministratör",
    "behorighetsadmin": "Behörighetsadministratör",
    "loggranskare": "Loggranskare",
    "vardgivaradmin": "Vårdgivaradministratör",
    "designer": "Designer",
    "utgivare": "Utgivare",
    "nationell_forvaltning": "Nationell förvaltning",
    "forvaltningsledare": "Förvaltningsledare",  # leads national management: escalations reach them
}

_BY_NAME = {k: k for k in ROLES} | {v.casefold(): k for k, v in ROLES.items()}


def role_for_lane(lane_name: str | None) -> str | None:
    """A lane is bound to a role by its name: the role id or the Swedish display name."""
    if not lane_name:
        return None
    return _BY_NAME.get(" ".join(lane_name.split()).casefold())
