"""The design tool's screens under /design, through the Flask test client and the real database:
the program list with its three ways to make a program, the history with restore and export, the
modeler's save and its 409 when someone saved first, and who may not come in."""
from __future__ import annotations

import io
import re
import zipfile

from design.models import DesignProgram, DesignRevision
from engine.db import db
from tests.web.signin import csrf_token, demo  # noqa: F401

XML = ('<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions id="d" '
       'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="{id}" /></bpmn:definitions>')


def upload(client, path, field, name, data, **fields):
    form = {**fields, "csrf_token": csrf_token(client, "/design"), field: (io.BytesIO(data), name)}
    return client.post(path, data=form, content_type="multipart/form-data")


def create(client, name="Sömnprogram") -> str:
    response = client.post("/design/nytt/tomt", data={"name": name, "csrf_token": csrf_token(client, "/design")})
    assert response.status_code == 303, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def head(program_id) -> str:
    db.session.expire_all()
    return db.session.get(DesignProgram, program_id).head_revision_id


def save(client, program_id, xml, based_on, message=""):
    path = f"/design/program/{program_id}/modell"
    return client.post(path, data={"xml": xml, "based_on": based_on, "message": message,
                                   "csrf_token": csrf_token(client, path)})


def test_the_designer_lists_and_creates_a_blank_program(demo):
    client = demo.staff("designer")
    empty = client.get("/design")
    assert empty.status_code == 200 and 'action="/design/nytt/tomt"' in empty.text and "<table>" not in empty.text
    program_id = create(client)
    page = client.get("/design")
    assert page.status_code == 200 and "Sömnprogram" in page.text and "Dora Designer" in page.text
    history = client.get(f"/design/program/{program_id}").text
    assert "created from the blank template" in history and f"/design/program/{program_id}/modell" in history


def test_a_bad_zip_is_refused_naming_the_file_and_nothing_is_stored(demo):
    client = demo.staff("designer")
    response = upload(client, "/design/nytt/zip", "package", "trasig.zip", b"not a zip at all",
                      unit=demo.org.publishers["national"].id)
    assert response.status_code == 400
    assert "trasig.zip" in response.text and 'role="alert"' in response.text
    assert db.session.query(DesignProgram).count() == 0


def test_a_zip_entry_outside_the_folder_is_named(demo):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../program.json", "{}")
    response = upload(demo.staff("designer"), "/design/nytt/zip", "package", "paket.zip", buffer.getvalue(),
                      unit=demo.org.publishers["national"].id)
    assert response.status_code == 400 and "paket.zip" in response.text and "../program.json" in response.text
    assert db.session.query(DesignProgram).count() == 0


def test_a_bpmn_file_is_imported(demo):
    client = demo.staff("designer")
    response = upload(client, "/design/nytt/bpmn", "bpmn", "annat.bpmn", XML.format(id="annat").encode(),
                      unit=demo.org.publishers["national"].id)
    assert response.status_code == 303
    assert "annat" in client.get("/design").text


def test_the_modeler_page_carries_the_main_bpmn_and_loads_the_bundle(demo):
    client = demo.staff("designer")
    program_id = create(client)
    page = client.get(f"/design/program/{program_id}/modell")
    assert page.status_code == 200
    assert "vendor/modeler/modeler.js" in page.text and "design_modeler.js" in page.text
    assert 'id="modeler-data"' in page.text and "first_answer" in page.text
    assert f'name="based_on" value="{head(program_id)}"' in page.text
    assert "<script>" not in page.text and "style=" not in page.text  # the CSP allows neither
    assert "modeler.js" not in client.get(f"/design/program/{program_id}").text  # this page only


def test_a_save_replaces_the_bpmn_and_keeps_the_other_files(demo):
    client = demo.staff("designer")
    program_id = create(client)
    before = head(program_id)
    old = dict(db.session.get(DesignRevision, before).files)
    response = save(client, program_id, XML.format(id="ritad"), before, "ritat om")
    assert response.status_code == 303
    after = db.session.get(DesignRevision, head(program_id))
    assert after.parent_id == before and after.message == "ritat om"
    changed = [name for name in old if old[name] != after.files[name]]
    assert changed == [n for n in old if n.endswith(".bpmn")] and set(after.files) == set(old)
    assert "ritat om" in client.get(f"/design/program/{program_id}").text


def test_a_stale_save_answers_409_and_keeps_the_drawing(demo):
    client = demo.staff("designer")
    program_id = create(client)
    base = head(program_id)
    assert save(client, program_id, XML.format(id="forst"), base, "först").status_code == 303
    newer = head(program_id)
    response = save(client, program_id, XML.format(id="min_ritning"), base, "min")
    assert response.status_code == 409
    assert "Dora Designer" in response.text and "först" in response.text
    assert "min_ritning" in response.text  # the designer's XML is in the page
    assert 'id="modeler-message" name="message" maxlength="500" value="min"' in response.text
    assert f'name="based_on" value="{newer}"' in response.text  # offered on top of the new version
    assert head(program_id) == newer
    # Saving again from that page puts the drawing on top of the new version.
    assert save(client, program_id, XML.format(id="min_ritning"), newer).status_code == 303
    assert db.session.get(DesignRevision, head(program_id)).parent_id == newer


def template_xml(program_id) -> str:
    revision = db.session.get(DesignRevision, head(program_id))
    from design.revisions import files_of
    files = files_of(revision)
    return next(files[name] for name in files if name.endswith(".bpmn")).decode()


def check(client, program_id, xml, based_on, *, token=True):
    path = f"/design/program/{program_id}/kontroll"
    headers = {"X-CSRFToken": csrf_token(client, f"/design/program/{program_id}/modell")} if token else {}
    return client.post(path, json={"xml": xml, "based_on": based_on}, headers=headers)


def test_the_live_check_finds_a_broken_diagram_and_stores_nothing(demo):
    client = demo.staff("designer")
    program_id = create(client)
    base = head(program_id)
    xml = template_xml(program_id)
    clean = check(client, program_id, xml, base)
    assert clean.status_code == 200 and clean.json == {"findings": []}
    # A task in no lane that no flow reaches, leads nowhere and has no shape: its findings only.
    broken = xml.replace('<bpmn:sequenceFlow id="flow_1"', '<bpmn:userTask id="loose" /><bpmn:sequenceFlow id="flow_1"')
    response = check(client, program_id, broken, base)
    assert response.status_code == 200
    findings = response.json["findings"]
    assert findings and all(set(f) == {"element", "file", "reason"} for f in findings)
    assert {f["element"] for f in findings} == {"loose"} and findings[0]["file"].endswith(".bpmn")
    assert sorted(f["reason"].split(";")[0].split(":")[0] for f in findings) == [  # the validator's and the import check's
        "not on the diagram", "nothing leads here", "the task is in no lane"]
    # A form post with the token as a field is accepted too.
    path = f"/design/program/{program_id}/kontroll"
    form = client.post(path, data={"xml": broken, "based_on": base, "csrf_token": csrf_token(client, path[:-8] + "modell")})
    assert form.status_code == 200 and form.json == response.json
    assert check(client, program_id, "", base).status_code == 400
    assert head(program_id) == base and db.session.query(DesignRevision).count() == 1  # nothing saved


def test_the_live_check_needs_the_token_and_the_unit(demo):
    client = demo.staff("designer")
    program_id = create(client)
    base = head(program_id)
    xml = template_xml(program_id)
    assert check(client, program_id, xml, base, token=False).status_code == 400  # no CSRF token
    db.session.get(DesignProgram, program_id).publisher_unit_id = demo.org.publishers["training"].id
    db.session.commit()
    refused = check(client, program_id, xml, base)
    assert refused.status_code == 403 and "findings" not in refused.text
    assert check(demo.staff("behandlare"), program_id, xml, base).status_code == 403
    assert db.session.query(DesignRevision).count() == 1


def test_restore_makes_a_new_revision_and_export_gives_the_zip(demo):
    client = demo.staff("designer")
    program_id = create(client)
    first = head(program_id)
    save(client, program_id, XML.format(id="andra"), first)
    path = f"/design/program/{program_id}"
    response = client.post(f"{path}/aterstall", data={"revision": first, "csrf_token": csrf_token(client, path)})
    assert response.status_code == 303
    restored = db.session.get(DesignRevision, head(program_id))
    assert restored.id != first and restored.content_hash == db.session.get(DesignRevision, first).content_hash
    download = client.get(f"{path}/export/{first}.zip")
    assert download.status_code == 200 and download.headers["Content-Type"] == "application/zip"
    assert "attachment" in download.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert "program.json" in names and any(n.endswith(".bpmn") for n in names)


def test_another_publisher_units_program_is_refused(demo):
    client = demo.staff("designer")
    program_id = create(client)
    db.session.get(DesignProgram, program_id).publisher_unit_id = demo.org.publishers["training"].id
    db.session.commit()
    for path in (f"/design/program/{program_id}", f"/design/program/{program_id}/modell",
                 f"/design/program/{program_id}/export/{head(program_id)}.zip"):
        assert client.get(path).status_code in (403, 404), path
    assert "Sömnprogram" not in client.get("/design").text
    assert client.get("/design/program/nosuchprogram").status_code == 404


def test_a_publisher_without_the_designer_role_sees_no_programs_and_no_forms(demo):
    create(demo.staff("designer"))
    page = demo.staff("utgivare").get("/design")
    assert page.status_code == 200 and "Sömnprogram" not in page.text and "/design/nytt/" not in page.text


def test_a_clinician_is_refused(demo):
    client = demo.staff("behandlare")
    assert client.get("/design").status_code == 403
    token = csrf_token(client, "/")
    assert client.post("/design/nytt/tomt", data={"name": "x", "csrf_token": token}).status_code == 403
    assert db.session.query(DesignProgram).count() == 0


def test_the_designer_sees_the_design_link(demo):
    page = demo.staff("designer").get("/design").text
    assert re.search(r'<a href="/design" aria-current="page">Design</a>', page)


def published(unit_id: str, version_label: str = "1.0") -> str:
    from tests.support.publishing import publish_approved as publish
    from tests.catalogue.programs import stored
    version = stored(version=version_label)
    publish(version, unit_id, "utgivare-1")
    db.session.commit()
    return version


def test_a_designer_copies_a_version_their_publisher_unit_published(demo):
    version = published(demo.org.publishers["national"].id)
    client = demo.staff("designer")
    page = client.get("/design")
    assert 'action="/design/nytt/version"' in page.text and f'value="{version}"' in page.text
    response = client.post("/design/nytt/version", data={"version": version, "csrf_token": csrf_token(client, "/design"),
                                                         "unit": demo.org.publishers["national"].id})
    assert response.status_code == 303
    [program] = db.session.query(DesignProgram).all()
    assert program.name == "Veckokoll (kopia)"


def test_another_publisher_units_version_is_neither_offered_nor_copied(demo):
    from access import directory
    from tests.web.signin import security_events
    other = directory.create_publisher_unit("SE2321000016-P009", "Annan redaktion")
    version = published(other.id)
    client = demo.staff("designer")
    assert f'value="{version}"' not in client.get("/design").text
    response = client.post("/design/nytt/version", data={"version": version, "csrf_token": csrf_token(client, "/design"),
                                                         "unit": demo.org.publishers["national"].id})
    assert response.status_code == 403
    assert 'role="alert"' in response.text and "en annan utgivarenhets program" in response.text
    assert db.session.query(DesignProgram).count() == 0
    assert [e.subject for e in security_events("design_refused")] == [version]
