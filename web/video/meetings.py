"""Joining a video meeting, and the vendor's status callbacks.

``/videomote/<id>/anslut`` hands out a personal join link only in the window around the start
(15 minutes before to the end) and only to the meeting's resident or a clinician on the program's
unit; every join, allowed or refused, writes a PDL row. The vendor gets ids and times only. The
link is fetched from the vendor at the moment of joining, so no link lies in a page or a log.

``/video/status`` takes the vendor's callbacks: no session and no CSRF token (the vendor is not a
browser), but an HMAC signature with the shared secret over the timestamp and body, at most five
minutes old; anything else is refused with 403 and a security event, and changes nothing.
"""
from __future__ import annotations

import time

from flask import Blueprint, Response, g, redirect, render_template, request

from access import pdl, policy, security_log
from video import adapter as contract, booking, config
from web.shell.csrf import csrf
from web.shell.screens import not_found, refuse

bp = Blueprint("video", __name__, template_folder="templates")
MAX_CALLBACK_BYTES = 16 * 1024


@bp.app_context_processor
def _helpers():
    """``video_state(meeting)`` for the meeting boxes on the task list, task page and the resident's page."""
    return {"video_state": booking.state}


@bp.get("/videomote/<meeting_id>/anslut")
def join(meeting_id):
    principal = g.principal
    if principal is None:
        return redirect("/")
    meeting = booking.get(meeting_id)
    if principal.kind == "staff":
        role = "clinician"
        if not principal.has("behandlare") or principal.unit_id is None:
            refuse(principal, "needs behandlare")
        if meeting is None or booking.unit_now(meeting) != principal.unit_id:
            policy.record_denied(principal, meeting.subject_id if meeting else None, resource_type="video_join",
                                 resource_id=meeting_id[:64], reason="needs the clinician role on the program's unit",
                                 role="behandlare", request_id=g.request_id)
            not_found(principal, f"video meeting {meeting_id[:64]}")
        resident = policy.read_resident(principal, meeting.subject_id, resource_type="video_join",
                                        resource_id=meeting.id, request_id=g.request_id)
        if resident is None:
            not_found(principal, f"video meeting {meeting_id[:64]}")
    elif principal.kind in ("resident", "child"):
        role = "resident"
        scoped_out = principal.scoped and meeting is not None and meeting.instance_id != principal.scope_instance_id
        if meeting is None or meeting.subject_id != principal.id or scoped_out:
            pdl.record(principal.access_context("invanare", g.request_id), action="read", resource_type="video_join",
                       resource_id=meeting_id[:64], resident_id=principal.id, outcome="denied",
                       reason="a step for someone else", access_basis="self")
            not_found(principal, f"video meeting {meeting_id[:64]}")
        pdl.record(principal.access_context("invanare", g.request_id), action="read", resource_type="video_join",
                   resource_id=meeting.id, resident_id=principal.id, access_basis="self")
    else:
        refuse(principal, "video meetings are for residents and clinicians")
    try:
        url = booking.join_link(meeting, role, principal.id)
    except booking.NotJoinable as why:
        return render_template("video/not_now.html", meeting=meeting, reason=why.reason,
                               window=booking.window(meeting)), 409
    return redirect(url, 303)


@bp.post("/video/status")
@csrf.exempt
def status():
    body = request.get_data(cache=False)[:MAX_CALLBACK_BYTES + 1]
    if len(body) > MAX_CALLBACK_BYTES:
        return Response(status=413)
    try:
        event = contract.parse_callback(config.secret(), request.headers, body, time.time())
    except contract.BadCallback as err:
        security_log.event("video_callback", "denied", actor_type="vendor", detail=str(err)[:200],
                           request_id=getattr(g, "request_id", None))
        return Response("refused\n", status=403, mimetype="text/plain")
    known = booking.apply_status(event)
    return Response(status=204 if known else 404)
