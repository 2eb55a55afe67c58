"""Reporting an incident on the real database (R57–R62, R84): a clinician reports a serious incident
with a screenshot; the manufacturer's case and the report to Läkemedelsverket exist at once; national
management works it to closure and the reporter is told of each stage without health data. Evidence
that lies about its type or is too big is refused before anything is stored, and only the case's
handlers open it."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

import engine
from access.models import Staff
from access.records import SecurityEvent
from engine.db import db
from incidents import agency_report, evidence, reports
from incidents.config import IncidentConfig
from incidents.errors import IncidentError, IncidentForbidden
from incidents.models import Incident, IncidentEvidence
from notify.outbox import TABLE as OUTBOX
from tests.incidents.support import EXE, JPEG, PNG, draft, people

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)


@pytest.fixture()
def setup(ctx, tmp_path):
    engine.clock.freeze(NOW)
    found = people()
    db.session.commit()
    return found, IncidentConfig(evidence_dir=tmp_path / "evidence", guidance_url="https://www.lakemedelsverket.se/nmi")


def _tasks(incident):
    return {(t.element_id, t.role) for t in engine.ready_tasks(incident.instance_id)}


def _outbox(kind):
    return list(db.session.execute(select(OUTBOX).where(OUTBOX.c.kind == kind)).mappings())


def test_a_serious_report_with_a_screenshot_reaches_both_at_once_and_is_followed_to_closure(setup):
    who, config = setup
    incident = reports.report(who.clinician, draft("serious_deterioration"),
                              [evidence.Upload("skarmbild.png", PNG)], config)
    db.session.commit()
    assert _tasks(incident) == {("triage", "nationell_forvaltning"), ("record_lmv_sent", "vardgivaradmin")}
    stored = db.session.scalars(select(IncidentEvidence)).one()
    assert (stored.media_type, stored.size) == ("image/png", len(PNG))
    assert (config.evidence_dir / stored.stored_name).read_bytes() == PNG
    assert "skarmbild" not in stored.stored_name  # the uploaded name is not kept
    assert [r["recipient"] for r in _outbox("incident_reported")] == ["nina@example.org"]

    reporter = db.session.get(Staff, who.clinician.id)
    document = agency_report.for_incident(incident, reporter, "Region Nord", config.guidance_url)
    fields = dict(field for _, rows in document.sections() for field in rows)
    assert fields["reporter_hsa_id"] == "SE2321000016-C001" and fields["care_provider"] == "Region Nord"
    assert fields["product_name"] == "Stöd och behandling" and fields["platform_version"] == "0.16.0"
    assert fields["consequence"] == "serious_deterioration" and fields["page_url"] == "/klinik/uppgifter?sida=2"
    assert fields["manufacturer_informed_at"] == fields["reported_at"]  # R59: the same moment
    assert document.guidance_url == "https://www.lakemedelsverket.se/nmi"

    reports.record_agency_report_sent(who.clinician, incident.id, date(2026, 1, 5))
    steps = [("triage", {"triage_severity": "serious", "triage_note": "Tillverkarens ansvar."}, "triaged"),
             ("investigate", {"investigation_findings": "Tidszonen räknades fel."}, "investigated"),
             ("corrective_action", {"corrective_action": "Rättat i 0.16.1."}, "corrected"),
             ("close_case", {"closing_summary": "Rättat och rapporterat."}, "closed")]
    for step, data, stage in steps:
        reports.advance(who.national, incident.id, step, data)
        db.session.commit()
        assert reports.own_cases(who.clinician)[0].stage == stage
    assert engine.instance(incident.instance_id).status == "completed"
    told = _outbox("incident_update")
    assert sorted(r["dedupe_key"].rsplit(":", 1)[1] for r in told) == ["closed", "corrected", "investigated", "triaged"]
    bodies = " ".join(r["body"] + r["subject"] for r in told)
    assert "Tidszonen" not in bodies and "klockan" not in bodies and "försämring" not in bodies
    assert incident.lmv_sent_on == date(2026, 1, 5) and incident.closing_summary == "Rättat och rapporterat."


def test_a_report_without_harm_goes_to_the_manufacturer_only(setup):
    who, config = setup
    incident = reports.report(who.designer, draft("no_harm", product="designverktyget"), [], config)
    assert _tasks(incident) == {("triage", "nationell_forvaltning")}
    with pytest.raises(IncidentError):
        reports.record_agency_report_sent(who.designer, incident.id, date(2026, 1, 5))


def test_the_deadline_follows_the_consequence(setup):
    who, config = setup
    reports.report(who.clinician, draft("death"), [], config)
    assert engine.next_timer_due() == datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)  # PT4H for a death


@pytest.mark.parametrize("upload, code", [
    (evidence.Upload("skarmbild.png", JPEG), "evidence_mismatch"),
    (evidence.Upload("skarmbild.png", EXE), "evidence_mismatch"),
    (evidence.Upload("program.exe", EXE), "evidence_type"),
    (evidence.Upload("skarmbild.png", b""), "evidence_empty"),
    (evidence.Upload("logg.txt", b"\xff\xfe\x00bin"), "evidence_mismatch"),
])
def test_evidence_that_lies_about_its_type_is_refused_and_nothing_is_stored(setup, upload, code):
    who, config = setup
    with pytest.raises(IncidentError) as refused:
        reports.report(who.clinician, draft(), [evidence.Upload("ok.png", PNG), upload], config)
    assert refused.value.code == code
    assert db.session.scalars(select(Incident)).all() == []
    assert not config.evidence_dir.exists() or list(config.evidence_dir.iterdir()) == []


def test_evidence_that_is_too_big_is_refused(setup):
    who, config = setup
    small = IncidentConfig(evidence_dir=config.evidence_dir, max_evidence_bytes=1024)
    with pytest.raises(IncidentError) as refused:
        reports.report(who.clinician, draft(), [evidence.Upload("stor.png", PNG + b"\x00" * 2000)], small)
    assert refused.value.code == "evidence_too_big"
    assert db.session.scalars(select(Incident)).all() == []


@pytest.mark.parametrize("changes, code", [
    ({"consequence": "maybe"}, "consequence"), ({"product": "other"}, "product"),
    ({"what_happened": "   "}, "what_happened"), ({"page_url": "javascript:alert(1)"}, "page_url"),
    ({"platform_version": "1.0 <b>"}, "platform_version"),
    ({"observed_at": datetime(2026, 2, 1, tzinfo=timezone.utc)}, "observed_at"),
])
def test_a_report_with_bad_fields_is_refused_with_the_field_named(setup, changes, code):
    who, config = setup
    with pytest.raises(IncidentError) as refused:
        reports.report(who.clinician, draft(**changes), [], config)
    assert refused.value.code == code


def test_only_handlers_open_evidence_and_refusals_are_security_events(setup):
    who, config = setup
    incident = reports.report(who.clinician, draft(), [evidence.Upload("skarmbild.png", PNG)], config)
    item = db.session.scalars(select(IncidentEvidence)).one()
    assert reports.read_evidence(who.national, incident.id, item.id, config) == (PNG, "image/png")
    for outsider in (who.clinician, who.admin, who.designer):
        with pytest.raises(IncidentForbidden):
            reports.read_evidence(outsider, incident.id, item.id, config)
    denied = db.session.scalars(select(SecurityEvent).where(SecurityEvent.outcome == "denied")).all()
    assert len(denied) == 3 and all(e.subject == incident.id for e in denied)


def test_the_reporters_administrator_may_record_the_agency_report_and_no_other_region(setup):
    who, config = setup
    incident = reports.report(who.clinician, draft("could_have_led_to"), [], config)
    with pytest.raises(IncidentForbidden):
        reports.record_agency_report_sent(who.other_admin, incident.id, date(2026, 1, 5))
    with pytest.raises(IncidentForbidden):
        reports.advance(who.clinician, incident.id, "triage", {"triage_severity": "serious", "triage_note": "x"})
    reports.record_agency_report_sent(who.admin, incident.id, date(2026, 1, 5))
    assert incident.lmv_recorded_by == who.admin.id
    assert _tasks(incident) == {("triage", "nationell_forvaltning")}


def test_an_agency_report_date_before_the_report_or_in_the_future_is_refused(setup):
    who, config = setup
    incident = reports.report(who.clinician, draft("death"), [], config)
    for day in (date(2026, 1, 4), date(2026, 1, 6)):
        with pytest.raises(IncidentError):
            reports.record_agency_report_sent(who.clinician, incident.id, day)


def test_a_step_without_its_text_is_refused_and_the_case_stays(setup):
    who, config = setup
    incident = reports.report(who.clinician, draft(), [], config)
    with pytest.raises(IncidentError):
        reports.advance(who.national, incident.id, "triage", {"triage_severity": "serious"})
    with pytest.raises(IncidentError):
        reports.advance(who.national, incident.id, "close_case", {"closing_summary": "För tidigt."})
    assert incident.stage == "reported"


def test_the_configuration_comes_from_the_platform_settings(tmp_path):
    from incidents.config import from_settings
    from settings import from_environment
    config = from_settings(from_environment(environ={"VARDFLODE_INCIDENT_EVIDENCE_MAX_MB": "2"}, DATA_DIR=str(tmp_path)))
    assert (config.evidence_dir, config.max_evidence_bytes) == (tmp_path / "incident-evidence", 2 * 1024 * 1024)
    assert config.deadlines["no_harm"] == ("P5D", "P5D") and config.guidance_url.startswith("https://")
