"""Upload limits per view: MAX_CONTENT_LENGTH (web/config.py) for every request, and a larger
limit for the few views that take a bigger file, such as a design package zip of up to
``engine.MAX_PACKAGE_BYTES``. The limit is chosen from the matched route before the body is read,
so an oversized upload anywhere else is still refused at the global limit."""
from __future__ import annotations

from flask import Request, Response, current_app, request

# Room for the form around the file: multipart boundaries and headers, the CSRF token, the unit.
FORM_OVERHEAD = 64 * 1024
_FILE_LIMITS: dict[str, int] = {}


def allow_upload(endpoint: str, file_bytes: int) -> None:
    """Let ``endpoint`` take a file of up to ``file_bytes`` (plus the form around it)."""
    _FILE_LIMITS[endpoint] = file_bytes


def named_limit() -> int:
    """The size to tell a person whose upload was too large: the file limit of this view."""
    return _FILE_LIMITS.get(request.endpoint or "") or current_app.config.get("MAX_CONTENT_LENGTH") or 0


class LimitedRequest(Request):
    """A request whose body limit is its view's own when the view declared one."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is not None:
            return self._max_content_length
        file_limit = _FILE_LIMITS.get(self.endpoint or "")
        return file_limit + FORM_OVERHEAD if file_limit else super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


def install(app) -> None:
    """Choose each request's body limit by its route."""
    app.request_class = LimitedRequest


def evidence_download(data: bytes, media_type: str, filename: str) -> Response:
    """An uploaded file (incident evidence, a support case's screenshot) handed back to its handler:
    downloaded, never rendered here, so a file someone uploaded runs nothing in our origin."""
    return Response(data, mimetype=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Content-Security-Policy": "sandbox", "Cache-Control": "no-store"})
