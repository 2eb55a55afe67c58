"""The demo clock on the web side (VARDFLODE_DEMO_CLOCK, the demo only; production refuses the
setting). Every request first loads the shared offset from the database into the engine clock, so
a clock moved in one process is the time in all; and every page carries a banner while the clock
is ahead, so nobody takes the demo's time for the real one. Without the setting this does nothing:
the offset is never read, whatever the table holds."""
from __future__ import annotations

from flask import Flask, current_app

import engine


def enabled() -> bool:
    return bool(current_app.extensions["vardflode_settings"].demo_clock)


def install(app: Flask) -> None:
    app.before_request(_sync)
    app.context_processor(_banner)


def _sync() -> None:
    if enabled():
        engine.democlock.sync()


def _banner() -> dict:
    if not enabled():
        return {}
    ahead = engine.clock.demo_offset()
    return {"demo_clock_days": ahead.days if ahead.total_seconds() > 0 else None}
