"""What the support domain needs from the platform's settings, passed in by the caller, so the
domain reads no environment itself. Screenshots go where incident evidence goes, in a folder of
their own, under the same size limit."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from incidents import evidence

# How long a case may wait at one level before whoever has it is reminded (ISO 8601).
DEFAULT_PICKUP = "P2D"


@dataclass(frozen=True)
class SupportConfig:
    evidence_dir: Path
    login_support_url: str
    max_evidence_bytes: int = evidence.DEFAULT_MAX_BYTES
    remind_after: str = DEFAULT_PICKUP


def from_settings(settings) -> SupportConfig:
    """The support part of the platform's settings (``settings.Settings``)."""
    return SupportConfig(evidence_dir=settings.incident_evidence_dir / "support",
                         login_support_url=settings.support_login_url,
                         max_evidence_bytes=settings.incident_evidence_max_bytes)
