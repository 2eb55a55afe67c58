"""Which vendor this process talks to, bound once at start-up from the settings (create_app)."""
from __future__ import annotations

from video.adapter import HttpAdapter, VideoAdapter

_adapter: VideoAdapter | None = None
_secret: str | None = None


def configure(vendor_url: str | None, secret: str | None) -> None:
    """Bind the reference adapter to ``vendor_url``; none means no vendor: meetings wait, saying so."""
    global _adapter, _secret
    _secret = secret
    _adapter = HttpAdapter(vendor_url, secret or "") if vendor_url else None


def use(adapter: VideoAdapter | None, secret: str | None = None) -> None:
    """Bind another adapter (a vendor's own, or the tests')."""
    global _adapter, _secret
    _adapter = adapter
    if secret is not None:
        _secret = secret


def adapter() -> VideoAdapter | None:
    return _adapter


def secret() -> str | None:
    return _secret
