"""The incident screens through the Flask test client (R57–R62, R84): the shell's link carries the
page, product, version and time into the form, which warns against patient data; a clinician's
serious report with a screenshot shows on their own page and its report to Läkemedelsverket has the
authority form's fields and the guidance link; national management works the case to closure and
the reporter's page follows; evidence that lies about its type is refused with a message; only
national management opens the case and its evidence."""
from __future__ import annotations

import io
import re
from html import unescape

from sqlalchemy import select

from engine.db import db
from incidents.models import Incident, IncidentEvidence
from tests.incidents.support import JPEG, PNG
from tests.web.signin import csrf_token, demo, security_events  # noqa: F401


def _report(client, consequence="serious_deterioration", files=(("skarmbild.png", PNG),), **changes):
    data = {"product": "stod_och_behandling", "page_url": "/invanare", "platform_version": "0.1.0",
            "observed_at": "2026-11-24T09:30", "consequence": consequence,
            "what_happened": "Listan visade fel enhet efter byte av uppdrag.",
            "csrf_token": csrf_token(client, "/avvikelse/ny")}
    data.update(changes)
    data["evidence"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post("/avvikelse/ny", data=data, content_type="multipart/form-data")


def _only_case() -> Incident:
    db.session.expire_all()
    return db.session.scalars(select(Incident)).one()


def test_the_shell_link_carries_the_page_and_the_form_warns_against_patient_data(demo):
    clinician = demo.staff("behandlare")
    page = clinician.get("/invanare").text
    link = unescape(re.search(r'id="report-incident" href="([^"]+)"', page).group(1))
    assert link.startswith("/avvikelse/ny?") and "sida=/invanare" in link.replace("%2F", "/")
    assert "produkt=stod_och_behandling" in link and "tid=2026-11-24T10:00" in link
    form = clinician.get(link).text
    assert 'value="/invanare"' in form and 'id="product-stod_och_behandling" name="product" value="stod_och_behandling" required checked' in form
    assert 'id="no-patient-data"' in form and 'aria-describedby="what-happened-hint no-patient-data"' in form
    assert '<textarea id="what-happened" name="what_happened" rows="6" maxlength="4000" required aria-describedby="what-happened-hint no-patient-data"></textarea>' in form
    designer = demo.staff("designer")
    design_link = unescape(re.search(r'id="report-incident" href="([^"]+)"', designer.get("/design").text).group(1))
    assert "produkt=designverktyget" in design_link


def test_a_serious_report_is_followed_from_both_sides_to_closure(demo):
    clinician, national = demo.staff("behandlare"), demo.staff("nationell")
    response = _report(clinician)
    assert response.status_code == 303 and "/avvikelse/mina" in response.headers["Location"]
    case = _only_case()
    mine = clinician.get("/avvikelse/mina").text
    assert f'id="case-{case.id}"' in mine and 'data-stage="reported"' in mine

    document = clinician.get(f"/avvikelse/{case.id}/lakemedelsverket").text
    fields = dict(re.findall(r'<dd data-field="([a-z_]+)">([^<]*)</dd>', document))
    assert fields["reporter_hsa_id"] == "SE2321000016-B001" and fields["page_url"] == "/invanare"
    assert fields["platform_version"] == "0.1.0" and fields["case_reference"] == case.id[:12].upper()
    assert fields["manufacturer_informed_at"] == fields["reported_at"]
    assert 'id="guidance-link" href="https://www.lakemedelsverket.se/"' in document
    token = csrf_token(clinician, f"/avvikelse/{case.id}/lakemedelsverket")
    sent = clinician.post(f"/avvikelse/{case.id}/lakemedelsverket/skickad", data={"sent_on": "2026-11-24", "csrf_token": token})
    assert sent.status_code == 303 and 'id="agency-sent"' in clinician.get(f"/avvikelse/{case.id}/lakemedelsverket").text

    assert case.id in national.get("/avvikelser").text
    steps = [("triage", {"triage_severity": "serious", "triage_note": "Tillverkarens ansvar."}, "triaged"),
             ("investigate", {"investigation_findings": "Uppdraget lästes från sessionen."}, "investigated"),
             ("corrective_action", {"corrective_action": "Läses om vid varje begäran."}, "corrected"),
             ("close_case", {"closing_summary": "Rättat i nästa version."}, "closed")]
    for step, data, stage in steps:
        path = f"/avvikelser/{case.id}"
        assert f'/steg/{step}"' in national.get(path).text
        done = national.post(f"{path}/steg/{step}", data={**data, "csrf_token": csrf_token(national, path)})
        assert done.status_code == 303
        assert f'data-stage="{stage}"' in clinician.get("/avvikelse/mina").text
    assert "Rättat i nästa version." in national.get(f"/avvikelser/{case.id}").text


def test_a_step_without_its_text_gets_a_message_not_a_500(demo):
    clinician, national = demo.staff("behandlare"), demo.staff("nationell")
    _report(clinician)
    path = f"/avvikelser/{_only_case().id}"
    refused = national.post(f"{path}/steg/triage", data={"triage_severity": "serious", "csrf_token": csrf_token(national, path)})
    assert refused.status_code == 400 and 'role="alert"' in refused.text


def test_evidence_that_lies_about_its_type_is_refused_with_a_message_and_nothing_is_saved(demo):
    clinician = demo.staff("behandlare")
    response = _report(clinician, files=(("skarmbild.png", JPEG),))
    assert response.status_code == 400 and 'id="error-summary"' in response.text
    assert "Listan visade fel enhet" in response.text  # what they wrote is kept for the next try
    assert db.session.scalars(select(Incident)).all() == []


def test_only_national_management_opens_the_case_and_its_evidence(demo):
    clinician, national = demo.staff("behandlare"), demo.staff("nationell")
    _report(clinician)
    case = _only_case()
    item = db.session.scalars(select(IncidentEvidence)).one()
    evidence_path = f"/avvikelser/{case.id}/bevis/{item.id}"
    opened = national.get(evidence_path)
    assert opened.status_code == 200 and opened.data == PNG and opened.mimetype == "image/png"
    assert opened.headers["Content-Disposition"].startswith("attachment") and "sandbox" in opened.headers["Content-Security-Policy"]
    for outsider in (clinician, demo.staff("vardgivaradmin"), demo.staff("designer")):
        assert outsider.get(evidence_path).status_code == 403
        assert outsider.get(f"/avvikelser/{case.id}").status_code == 403
    assert demo.staff("syd").get(f"/avvikelse/{case.id}/lakemedelsverket").status_code == 404
    assert demo.staff("vardgivaradmin").get(f"/avvikelse/{case.id}/lakemedelsverket").status_code == 200


def test_a_report_without_harm_has_no_report_to_the_agency(demo):
    clinician = demo.staff("behandlare")
    _report(clinician, consequence="no_harm", files=())
    case = _only_case()
    assert clinician.get(f"/avvikelse/{case.id}/lakemedelsverket").status_code == 404


def test_the_dashboard_lists_every_case_with_its_deadline_and_exports_csv(demo):
    clinician, national = demo.staff("behandlare"), demo.staff("nationell")
    _report(clinician, consequence="death")
    case = _only_case()
    page = national.get("/avvikelser").text
    assert f'id="row-{case.id}"' in page and 'data-deadline="triage"' in page and 'id="incident-counts"' in page
    exported = national.get("/avvikelser.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    text = exported.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("case_reference,reported_at,product,consequence,stage")
    assert case.id[:12].upper() in text and "Listan visade" not in text
    assert clinician.get("/avvikelser.csv").status_code == 403
    assert 'class="progress-diagram"' in national.get(f"/avvikelser/{case.id}").text
