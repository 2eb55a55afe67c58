"""What the community screens share: labels of the stored codes and the messages of the domain's
refusal codes, in the page's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

NEWS_KINDS = {"release_notes": _l("Release notes"), "announcement": _l("Announcement")}
REQUEST_KINDS = {"training": _l("Interest in designer training"), "implementation": _l("Implementation support")}
STATES = {"registered": _l("Waiting"), "booked": _l("Booked on a training"), "answered": _l("Replied to"),
          "closed": _l("Closed")}
TERMS = {"autumn": _l("Autumn term"), "spring": _l("Spring term")}
MESSAGES = {
    "kind": _l("Choose what kind of item or request it is."),
    "title": _l("Write a title (at most 200 characters)."),
    "body": _l("Write the text."),
    "version_label": _l("Release notes name their version, for example 2.4 or 2.4.1."),
    "scope": _l("Ask nationally or on one of your publishing units."),
    "answer": _l("Write the answer."),
    "q": _l("Search for at most 100 characters."),
    "message": _l("Write your message (at most 4000 characters)."),
    "participants": _l("Give the number of participants (1–200)."),
    "preferred_term": _l("Choose the autumn or the spring term."),
    "outcome": _l("Choose the outcome."),
    "outcome_note": _l("Write the reply (at most 4000 characters)."),
    "not_waiting": _l("The request is already handled."),
}


def message(err) -> str:
    return str(MESSAGES.get(err.code, _l("Fill in the field.")))


def install_labels(bp) -> None:
    @bp.app_template_global()
    def community_label(kind: str, code: str | None) -> str:
        table = {"news": NEWS_KINDS, "request": REQUEST_KINDS, "state": STATES, "term": TERMS}[kind]
        return str(table.get(code, code or ""))
