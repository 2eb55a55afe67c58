"""What the support screens share: the configuration, the labels of categories, stages and steps,
and the refusal messages of the domain's codes (the place fields' messages are the incident form's)."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from support.config import SupportConfig, from_settings
from web.incidents.common import MESSAGES as PLACE_MESSAGES, PRODUCTS

CATEGORIES = {"error": _l("Something does not work (an error)"), "login": _l("Signing in"),
              "content": _l("The content of a program"), "other": _l("Something else")}
STAGES = {"with_local": _l("With your region's local support"),
          "with_publisher": _l("With the publisher unit responsible for the program"),
          "with_national": _l("With national support"), "answered": _l("Answered"),
          "referred": _l("Referred to the sign-in support")}
MESSAGES = PLACE_MESSAGES | {
    "category": _l("Choose what the case is about."),
    "question": _l("Write your question or describe the problem (at most 4000 characters)."),
    "program_key": _l("Choose the program the question is about."),
    "evidence_type": _l("A screenshot may be a picture (png, jpeg, webp), a pdf or a text file."),
    "decision": _l("Choose to answer or to pass the case on."),
    "answer": _l("Write the answer (at most 4000 characters)."),
    "not_waiting": _l("The case is not waiting for an answer."),
}


def config() -> SupportConfig:
    return from_settings(current_app.extensions["vardflode_settings"])


def message(err) -> str:
    return str(MESSAGES.get(err.code, _l("Fill in the field.")))


def install_labels(bp) -> None:
    @bp.app_template_global()
    def support_label(kind: str, code: str | None) -> str:
        table = {"product": PRODUCTS, "category": CATEGORIES, "stage": STAGES}[kind]
        return str(table.get(code, code or ""))
