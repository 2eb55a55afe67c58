"""The community screens through the Flask test client (R71–R74): national management publishes
news that every member of staff sees marked new, with the count in the header, until they open it
(its Markdown shown safely); only national management writes. In the designers' network a designer
asks, a publisher answers, only the asker accepts, search finds the question, a question reporting
an error links to support, and others are refused. Training and support requests: registered by a
region's people, counted per care provider for national management, handled, and followed by the
requester. The assertions look at ids and data attributes, so they hold in either language."""
from __future__ import annotations

import re

from sqlalchemy import select

from community.models import CommunityRequest, NewsItem, Question
from engine.db import db
from tests.web.signin import csrf_token, demo  # noqa: F401

BADGE = re.compile(r'class="nav-badge" data-badge="(\d+)"')


def _post(client, path, data, token_from=None):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_from or path)})


def _badge(client, path="/nyheter") -> int:
    found = BADGE.search(client.get(path).text)
    return int(found.group(1)) if found else 0


def test_news_is_new_to_each_reader_until_opened_and_only_national_management_writes(demo):
    national, clinician, designer = demo.staff("nationell"), demo.staff("behandlare"), demo.staff("designer")
    assert clinician.get("/nyheter/ny").status_code == 403
    assert _post(clinician, "/nyheter/ny", {"kind": "announcement", "title": "x", "body": "y"},
                 token_from="/nyheter").status_code == 403
    refused = _post(national, "/nyheter/ny", {"kind": "release_notes", "title": "Nytt i 2.4", "body": "Text"})
    assert refused.status_code == 400 and 'id="error-summary"' in refused.text and 'aria-invalid="true"' in refused.text
    assert db.session.scalars(select(NewsItem)).all() == []

    body = "# Nytt\n\n- **Sök** i nätverket\n- <script>alert(1)</script>\n\n[Mer](javascript:alert(1))"
    done = _post(national, "/nyheter/ny", {"kind": "release_notes", "version_label": "2.4", "title": "Nytt i 2.4",
                                           "body": body})
    assert done.status_code == 303
    item = db.session.scalars(select(NewsItem)).one()
    assert _badge(national) == 0  # the author has seen it

    listing = clinician.get("/nyheter").text
    assert _badge(clinician) == 1 and f'id="news-{item.id}" data-new="yes"' in listing
    assert _badge(designer) == 1
    page = clinician.get(f"/nyheter/{item.id}").text
    assert "<li><strong>Sök</strong> i nätverket</li>" in page and "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page and 'href="javascript' not in page
    assert _badge(clinician) == 0 and f'id="news-{item.id}" data-new="no"' in clinician.get("/nyheter").text
    assert _badge(designer) == 1  # still new to the designer
    assert clinician.get("/nyheter/no-such-item").status_code == 404


def test_a_designer_asks_a_publisher_answers_and_the_asker_accepts(demo):
    dora, ulf, bodil = demo.staff("designer"), demo.staff("utgivare"), demo.staff("behandlare")
    assert 'href="/natverk"' in dora.get("/natverk").text and 'href="/natverk"' not in bodil.get("/nyheter").text
    assert bodil.get("/natverk").status_code == 403
    empty = _post(dora, "/natverk", {"scope": "national", "title": "", "body": "Text"})
    assert empty.status_code == 400 and 'id="error-summary"' in empty.text
    asked = _post(dora, "/natverk", {"scope": "national", "title": "Timern startar inte om",
                                     "body": "Påminnelsen kommer inte efter att klockan flyttats.",
                                     "reports_error": "yes"})
    assert asked.status_code == 303
    question = db.session.scalars(select(Question)).one()
    page = dora.get(f"/natverk/{question.id}").text
    assert 'id="report-to-support"' in page and 'id="support-link" href="/support/nytt"' in page

    assert _post(ulf, f"/natverk/{question.id}/svar", {"body": ""}).status_code == 400
    answered = _post(ulf, f"/natverk/{question.id}/svar", {"body": "Kända felet, rättat i 2.5."})
    assert answered.status_code == 303
    answer_id = re.search(r'id="answer-([0-9a-f]{32})" data-accepted="no"', ulf.get(f"/natverk/{question.id}").text).group(1)
    assert "accept-form" not in ulf.get(f"/natverk/{question.id}").text  # only the asker is offered it
    path = f"/natverk/{question.id}/svar/{answer_id}/godkand"
    assert _post(ulf, path, {}, token_from=f"/natverk/{question.id}").status_code == 403
    assert _post(dora, path, {}, token_from=f"/natverk/{question.id}").status_code == 303
    assert f'id="answer-{answer_id}" data-accepted="yes"' in ulf.get(f"/natverk/{question.id}").text

    found = dora.get("/natverk?q=KLOCKAN").text  # the body, any case
    assert f'id="question-{question.id}" data-answers="1" data-accepted="yes"' in found
    assert 'id="no-questions"' in dora.get("/natverk?q=finns+inte").text
    assert dora.get("/natverk?q=" + "x" * 101).status_code == 400
    assert bodil.get(f"/natverk/{question.id}").status_code == 403


def test_requests_are_counted_per_care_provider_and_handled_by_national_management(demo):
    vera, bodil, nina = demo.staff("vardgivaradmin"), demo.staff("behandlare"), demo.staff("nationell")
    bad = _post(vera, "/utbildning-och-stod", {"kind": "training", "participants": "många", "preferred_term": "autumn",
                                               "message": "Fyra personer."})
    assert bad.status_code == 400 and 'id="participants"' in bad.text and 'aria-invalid="true"' in bad.text
    assert _post(vera, "/utbildning-och-stod", {"kind": "training", "participants": "4", "preferred_term": "autumn",
                                                "message": "Anna, anna@example.org"}).status_code == 303
    assert _post(bodil, "/utbildning-och-stod", {"kind": "implementation",
                                                 "message": "Hur kopplar vi in driften?"}).status_code == 303
    assert vera.get("/forfragningar").status_code == 403
    region = demo.org.providers["region"].id
    overview = nina.get("/forfragningar").text
    assert re.search(r'href="/forfragningar"[^>]*>[^<]*<span class="nav-badge" data-badge="2"', overview)
    row = re.search(rf'<tr id="waiting-{region}">(.*?)</tr>', overview, re.S).group(1)
    assert '<td data-kind="training">1</td>' in row and '<td data-kind="implementation">1</td>' in row
    assert '<td data-kind="total">2</td>' in row

    training = db.session.scalars(select(CommunityRequest).where(CommunityRequest.kind == "training")).one()
    assert _post(nina, f"/forfragningar/{training.id}", {"outcome": "answered", "outcome_note": "x"}).status_code == 400
    assert _post(nina, f"/forfragningar/{training.id}", {"outcome": "booked",
                                                         "outcome_note": "Bokade till 14 oktober."}).status_code == 303
    assert 'id="request-state" data-state="booked"' in nina.get(f"/forfragningar/{training.id}").text
    row = re.search(rf'<tr id="waiting-{region}">(.*?)</tr>', nina.get("/forfragningar").text, re.S).group(1)
    assert '<td data-kind="training">0</td>' in row and '<td data-kind="total">1</td>' in row
    assert _badge(nina, "/forfragningar") == 1
    mine = vera.get("/utbildning-och-stod").text
    assert f'id="request-{training.id}" data-state="booked"' in mine and "Bokade till 14 oktober." in mine
    assert nina.get("/forfragningar/no-such-case").status_code == 404


def test_the_error_link_goes_to_the_support_form_once_it_exists_and_the_incident_report_until_then():
    from flask import Flask
    from web.community.network import support_url
    bare = Flask("web")
    with bare.test_request_context("/"):
        assert support_url() is None  # neither registered: no link rather than a broken one
    bare.add_url_rule("/avvikelse/ny", "incidents.new", lambda: "")
    with bare.test_request_context("/"):
        assert support_url() == "/avvikelse/ny"
    bare.add_url_rule("/support/nytt", "support.new", lambda: "")
    with bare.test_request_context("/"):
        assert support_url() == "/support/nytt"
