"""What the incident domain needs from the platform's settings, passed in by the caller (the web app
builds it once from ``settings``), so the domain reads no environment itself."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from incidents import evidence

# R58, "as soon as possible": how long each step may wait before national management, or the
# reporter for the agency's copy, is reminded; per consequence, tightest for the gravest.
DEFAULT_DEADLINES = {
    "death": ("PT4H", "P1D"), "serious_deterioration": ("PT8H", "P1D"),
    "could_have_led_to": ("P1D", "P2D"), "no_harm": ("P5D", "P5D"),
}


@dataclass(frozen=True)
class IncidentConfig:
    evidence_dir: Path
    guidance_url: str | None = None
    max_evidence_bytes: int = evidence.DEFAULT_MAX_BYTES
    # consequence -> (triage deadline, agency report deadline), ISO 8601 durations
    deadlines: dict = field(default_factory=lambda: dict(DEFAULT_DEADLINES))


def from_settings(settings) -> IncidentConfig:
    """The incident part of the platform's settings (``settings.Settings``)."""
    return IncidentConfig(evidence_dir=settings.incident_evidence_dir, guidance_url=settings.incident_guidance_url,
                          max_evidence_bytes=settings.incident_evidence_max_bytes,
                          deadlines=dict(settings.incident_deadlines))
