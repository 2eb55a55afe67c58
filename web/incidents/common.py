"""What the incident screens share: the configuration, the labels of products, consequences and
stages, and the refusal messages of the domain's codes."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from incidents.config import IncidentConfig, from_settings

PRODUCTS = {"stod_och_behandling": _l("Stöd och behandling"), "designverktyget": _l("Designverktyget")}
CONSEQUENCES = {"death": _l("Death"), "serious_deterioration": _l("Serious deterioration of health"),
                "could_have_led_to": _l("Could have led to death or serious deterioration of health"),
                "no_harm": _l("No harm")}
STAGES = {"reported": _l("Reported"), "triaged": _l("Triaged"), "investigated": _l("Investigated"),
          "corrected": _l("Corrective action taken"), "closed": _l("Closed")}
STEPS = {"triage": _l("Triage"), "investigate": _l("Investigation"), "corrective_action": _l("Corrective action"),
         "close_case": _l("Closure with a summary"), "record_lmv_sent": _l("Report to Läkemedelsverket sent")}
MESSAGES = {
    "product": _l("Choose the product: Stöd och behandling or Designverktyget."),
    "consequence": _l("Choose the consequence."),
    "what_happened": _l("Describe what happened (at most 4000 characters)."),
    "page_url": _l("The page address must be a path on the site or an http(s) address."),
    "platform_version": _l("The platform version is missing or malformed."),
    "observed_at": _l("Give the time it happened; it cannot be in the future."),
    "evidence_count": _l("Attach at most 5 files."),
    "evidence_empty": _l("An attached file is empty."),
    "evidence_too_big": _l("An attached file is too big."),
    "evidence_type": _l("Evidence may be a picture (png, jpeg, webp), a pdf or a text file."),
    "evidence_mismatch": _l("An attached file is not the kind of file its name says."),
    "lmv_sent_on": _l("The date must be between the day of the report and today."),
    "not_waiting": _l("The case is not waiting for this step."),
    "triage_severity": _l("Choose the assessed severity."),
}


AGENCY_SECTIONS = {"reporter": _l("Reporter"), "product": _l("Product"), "event": _l("The incident"),
                   "reporting": _l("Reporting")}
AGENCY_FIELDS = {
    "reporter_name": _l("Name"), "reporter_hsa_id": _l("HSA-id"), "reporter_email": _l("E-mail"),
    "care_provider": _l("Care provider"), "product_name": _l("Product name"), "manufacturer": _l("Manufacturer"),
    "system_kind": _l("Kind of product"), "platform_version": _l("Version"), "observed_at": _l("Date and time of the incident"),
    "page_url": _l("Where in the product"), "what_happened": _l("Description of the incident"),
    "consequence": _l("Consequence"), "reported_at": _l("Reported"),
    "manufacturer_informed_at": _l("Manufacturer informed"), "case_reference": _l("The manufacturer's case reference"),
}
DEADLINES = {"triage": _l("Triage by"), "agency": _l("Report to Läkemedelsverket by")}
STEP_FIELDS = {"triage_note": _l("Assessment"), "investigation_findings": _l("Findings of the investigation"),
               "corrective_action": _l("Corrective action"), "closing_summary": _l("Summary")}


def config() -> IncidentConfig:
    return from_settings(current_app.extensions["vardflode_settings"])


def message(err) -> str:
    return str(MESSAGES.get(err.code, _l("Fill in the field.")))


def install_labels(bp) -> None:
    @bp.app_template_global()
    def incident_label(kind: str, code: str | None) -> str:
        table = {"product": PRODUCTS, "consequence": CONSEQUENCES, "stage": STAGES, "step": STEPS}[kind]
        return str(table.get(code, code or ""))

    @bp.app_template_global()
    def agency_section(code: str) -> str:
        return str(AGENCY_SECTIONS.get(code, code))

    @bp.app_template_global()
    def agency_field(code: str) -> str:
        return str(AGENCY_FIELDS.get(code, code))

    @bp.app_template_global()
    def deadline_label(code: str | None) -> str:
        return str(DEADLINES.get(code, code or ""))

    @bp.app_template_global()
    def step_field_label(code: str) -> str:
        return str(STEP_FIELDS.get(code, code))
