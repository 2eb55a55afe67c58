"""Pictures of a program package (``media/*.png|jpg|webp``), shown on module pages.

Program content is the same for everyone in the program and holds no personal data, but it is
shown only to people signed in to the platform. A version never changes, so its address (the
content hash) names the picture for good; the type was checked by its first bytes when the
package was stored, and again here.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, g, url_for

import engine

# The blueprint also carries web/programs/templates: the task and message pages both audiences see.
bp = Blueprint("program_media", __name__, template_folder="templates")


@bp.get("/programinnehall/<version_hash>/media/<name>")
def picture(version_hash: str, name: str):
    if g.principal is None:
        abort(404)
    found = engine.media_file(version_hash, f"media/{name}")
    if found is None:
        abort(404)
    data, kind = found
    return Response(data, mimetype=kind, headers={"Content-Disposition": "inline"})


def media_url(version_hash: str):
    """How module pages of this version address their pictures (``media/x.png``)."""
    return lambda path: url_for("program_media.picture", version_hash=version_hash, name=path.split("/", 1)[1])
