"""The support screens through the Flask test client (R63–R69, R84): the shell's "Contact support"
link carries the page, product, version and time into the form; choosing "signing in" points to the
identity service's support, and a login case sent anyway shows the same link and is referred; an
error with a screenshot goes to national support, which opens the screenshot and answers; a content
question goes to the publisher unit that owns the program, whose publisher answers, and the
requester's page shows the answer; local support passes a case on; a care provider's staff never
open another provider's case."""
from __future__ import annotations

import io
import re
from html import unescape

from sqlalchemy import select

from catalogue.models import CatalogueEntry
from engine.db import db
from support.models import SupportCase, SupportEvidence
from tests.incidents.support import PNG
from tests.web.signin import csrf_token, demo  # noqa: F401


def _raise(client, category="other", files=(), **changes):
    data = {"product": "stod_och_behandling", "page_url": "/invanare", "platform_version": "0.1.0",
            "observed_at": "2026-11-24T09:30", "category": category, "program_key": "",
            "question": "Hur flyttar jag en invånare till en annan enhet?",
            "csrf_token": csrf_token(client, "/support/nytt")}
    data.update(changes)
    data["evidence"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post("/support/nytt", data=data, content_type="multipart/form-data")


def _newest() -> SupportCase:
    db.session.expire_all()
    return db.session.scalars(select(SupportCase).order_by(SupportCase.created_at.desc())).first()


def _answer(client, case_id, decision="answer", answer=""):
    path = f"/supportarenden/{case_id}"
    return client.post(path, data={"decision": decision, "answer": answer, "csrf_token": csrf_token(client, path)})


def _catalogue(demo):
    db.session.add(CatalogueEntry(version_hash=demo.version, program_key="simple", version_label="1.0", major=1,
                                  minor=0, name="Enkelt program", kind="treatment", languages=["sv"],
                                  publisher_unit_id=demo.org.publishers["national"].id,
                                  published_by=demo.org.staff["utgivare"].id))
    db.session.commit()


def test_the_shell_link_carries_the_page_and_login_points_to_the_identity_service(demo):
    clinician = demo.staff("behandlare")
    link = unescape(re.search(r'id="contact-support" href="([^"]+)"', clinician.get("/invanare").text).group(1))
    assert link.startswith("/support/nytt?") and "sida=/invanare" in link.replace("%2F", "/")
    form = clinician.get(link).text
    assert 'value="/invanare"' in form and 'value="stod_och_behandling" required checked' in form
    assert 'id="no-patient-data"' in form
    # R68: the pointer shows once "signing in" is chosen (site.css), with the configured link.
    assert 'id="category-login"' in form
    assert 'id="login-support-link" href="https://www.inera.se/kundservice/"' in form
    response = _raise(clinician, "login")
    assert response.status_code == 303
    page = clinician.get(response.headers["Location"]).text
    assert 'id="login-referral"' in page and 'href="https://www.inera.se/kundservice/"' in page
    assert 'data-stage="referred"' in clinician.get("/support/mina").text


def test_an_error_with_a_screenshot_reaches_national_support_which_answers(demo):
    clinician, national, admin = demo.staff("behandlare"), demo.staff("nationell"), demo.staff("vardgivaradmin")
    assert _raise(clinician, "error", files=(("skarmbild.png", PNG),)).status_code == 303
    case = _newest()
    assert case.stage == "with_national"
    assert f'id="row-{case.id}"' in national.get("/supportarenden").text
    handling = national.get(f"/supportarenden/{case.id}").text
    assert 'id="answer-form"' in handling and 'id="pass-on"' not in handling
    item = db.session.scalars(select(SupportEvidence)).one()
    download = national.get(f"/supportarenden/{case.id}/skarmbild/{item.id}")
    assert download.status_code == 200 and download.data == PNG and download.headers["Content-Security-Policy"] == "sandbox"
    # The region's local support sees the error, without the form: it is national support's.
    assert 'id="answer-form"' not in admin.get(f"/supportarenden/{case.id}").text
    assert _answer(national, case.id, answer="Rättas i nästa version.").status_code == 303
    page = clinician.get(f"/support/{case.id}").text
    assert 'data-stage="answered"' in page and "Rättas i nästa version." in page


def test_a_content_question_is_answered_by_the_programs_publisher(demo):
    _catalogue(demo)
    clinician, publisher = demo.staff("behandlare"), demo.staff("utgivare")
    assert 'value="simple"' in clinician.get("/support/nytt").text
    missing = _raise(clinician, "content")
    assert missing.status_code == 400 and 'id="error-summary"' in missing.text
    assert _raise(clinician, "content", program_key="simple", question="Varför kommer övning 3 före 2?").status_code == 303
    case = _newest()
    assert case.stage == "with_publisher" and case.publisher_unit_id == demo.org.publishers["national"].id
    assert f'id="row-{case.id}"' in publisher.get("/supportarenden").text
    empty = _answer(publisher, case.id)
    assert empty.status_code == 400 and 'id="error-summary"' in empty.text
    assert _answer(publisher, case.id, answer="Ordningen är avsiktlig.").status_code == 303
    page = clinician.get(f"/support/{case.id}").text
    assert 'id="support-answer"' in page and "Ordningen är avsiktlig." in page and "Enkelt program" in page


def test_local_support_passes_a_case_on_and_other_providers_never_open_it(demo):
    clinician, admin, national = demo.staff("behandlare"), demo.staff("vardgivaradmin"), demo.staff("nationell")
    _raise(clinician, "other")
    case = _newest()
    assert case.stage == "with_local" and f'id="row-{case.id}"' in admin.get("/supportarenden").text
    assert 'id="pass-on"' in admin.get(f"/supportarenden/{case.id}").text
    assert _answer(admin, case.id, decision="pass").status_code == 303
    assert 'data-stage="with_national"' in clinician.get("/support/mina").text
    assert 'id="answer-form"' in national.get(f"/supportarenden/{case.id}").text
    private = demo.staff("privat")  # a clinician of another care provider
    assert private.get(f"/support/{case.id}").status_code == 404
    assert private.get("/supportarenden").status_code == 403
    colleague = demo.staff("syd")  # same region, not local support: only their own cases
    assert colleague.get(f"/support/{case.id}").status_code == 404
