"""Test runs in the design tool ("Testa", R21, R22), through the Flask test client and the real
database: a designer starts the current version for a test resident, acts as the test resident
and the test clinician in the real screens (marked TEST), moves the run's own clock, and reads
the trace; real people and real programs never see any of it."""
from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

import engine
from design.models import DesignTestRun
from engine.db import db
from tests.engine.test_test_clock import week_then_feedback
from tests.web.signin import csrf_token, demo  # noqa: F401
from tests.web.test_design_screens import create, upload


def week_program() -> bytes:
    """Homework (resident) → a week → feedback (clinician) → end, as a zipped package."""
    files = {"program.json": json.dumps({"name": "Veckoprogram", "main_process": "care"}), **week_then_feedback()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def imported(demo, client) -> str:
    response = upload(client, "/design/nytt/zip", "package", "vecka.zip", week_program(),
                      unit=demo.org.publishers["national"].id)
    assert response.status_code == 303, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def start_run(client, program_id, resident_id) -> str:
    path = f"/design/program/{program_id}"
    response = client.post(f"{path}/testa", data={"resident": resident_id, "csrf_token": csrf_token(client, path)})
    assert response.status_code == 303, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def act(client, run_id, who):
    path = f"/design/testkorning/{run_id}"
    return client.post(f"{path}/agera", data={"som": who, "csrf_token": csrf_token(client, path)})


def move(client, run_id, step):
    path = f"/design/testkorning/{run_id}"
    return client.post(f"{path}/klocka", data={"steg": step, "csrf_token": csrf_token(client, path)})


def test_a_designer_test_runs_the_current_version_and_reads_its_trace(demo):
    client = demo.staff("designer")
    program_id = create(client)
    page = client.get(f"/design/program/{program_id}").text
    assert "Testa Testsson" in page and f"/design/program/{program_id}/testa" in page
    assert demo.resident("anna").display_name not in page  # designers see test residents only (R81)
    run_id = start_run(client, program_id, demo.resident("testa").id)
    run = client.get(f"/design/testkorning/{run_id}").text
    assert "TEST" in run and "Testa Testsson" in run and "Testbehandlare" in run
    assert "process started" in run and "Första frågan" in run  # the trace and the step waiting
    instance = engine.instance(db.session.get(DesignTestRun, run_id).instance_id)
    assert instance.is_test and instance.subject_id == demo.resident("testa").id


def test_the_designer_acts_as_the_test_resident_and_the_test_clinician_and_comes_back(demo):
    client = demo.staff("designer")
    run_id = start_run(client, imported(demo, client), demo.resident("testa").id)
    as_resident = act(client, run_id, "resident")
    assert as_resident.status_code == 303 and as_resident.headers["Location"].endswith("/mina-uppgifter")
    steps = client.get("/mina-uppgifter").text
    assert "<title>TEST – " in steps and "testinvånaren Testa Testsson" in steps and "Hemuppgift" in steps
    task_id = re.search(r'href="/mina-uppgifter/([0-9a-f-]{36})"', steps).group(1)
    done = client.post(f"/mina-uppgifter/{task_id}", data={"csrf_token": csrf_token(client, f"/mina-uppgifter/{task_id}")})
    assert done.status_code == 302 and "/kvitto" in done.headers["Location"]
    assert "<title>TEST – " in client.get(done.headers["Location"]).text
    as_clinician = act(client, run_id, "staff")
    assert as_clinician.status_code == 303 and as_clinician.headers["Location"].endswith("/uppgifter")
    tasks = client.get("/uppgifter").text
    assert "<title>TEST – " in tasks and "testbehandlaren Testbehandlare" in tasks
    back = act(client, run_id, "designer")
    assert back.headers["Location"].endswith(f"/design/testkorning/{run_id}")
    run = client.get(f"/design/testkorning/{run_id}").text
    assert "Hemuppgift" in run and "completed" in run and "TEST – " not in run.split("<main")[0].split("<title>")[1][:10]


def test_the_test_clock_fires_the_runs_week_and_no_real_programs(demo):
    client = demo.staff("designer")
    run_id = start_run(client, imported(demo, client), demo.resident("testa").id)
    instance_id = db.session.get(DesignTestRun, run_id).instance_id
    [homework] = engine.ready_tasks(instance_id)
    engine.complete_task(homework.id, engine.SYSTEM, {})
    real = engine.start(engine.instance(instance_id).version_hash, engine.SYSTEM, unit_id=demo.org.units["nord"].id,
                        subject_id=demo.resident("anna").id, owner_id=demo.org.staff["behandlare"].id)
    engine.complete_task(real.ready_task_ids[0], engine.SYSTEM, {})
    db.session.commit()
    engine.clock.advance(timedelta(minutes=5))
    assert move(client, run_id, "day").status_code == 303
    assert engine.ready_tasks(instance_id) == []
    assert move(client, run_id, "week").status_code == 303
    assert [t.element_id for t in engine.ready_tasks(instance_id)] == ["feedback"]
    assert engine.ready_tasks(real.instance_id) == []  # the real instance's week has not passed
    run = client.get(f"/design/testkorning/{run_id}").text
    assert "timer fired" in run and "test clock moved – P1D" in run and "test clock moved – P7D" in run
    nothing = move(client, run_id, "next")
    assert "meddelande=inget" in nothing.headers["Location"]
    assert "Nothing in this test run waits on time" in client.get(nothing.headers["Location"]).text or \
        "Inget i testkörningen väntar på tid" in client.get(nothing.headers["Location"]).text


def test_the_runs_steps_stay_out_of_real_task_lists_and_real_residents_pages(demo):
    client = demo.staff("designer")
    run_id = start_run(client, imported(demo, client), demo.resident("testa").id)
    act(client, run_id, "resident")
    clinician = demo.staff("behandlare")
    assert "Hemuppgift" not in clinician.get("/uppgifter?visa=alla").text
    assert "Testa Testsson" not in clinician.get("/uppgifter").text


def test_a_real_resident_cannot_be_test_run_and_a_program_with_problems_cannot_start(demo):
    client = demo.staff("designer")
    program_id = create(client)
    path = f"/design/program/{program_id}"
    refused = client.post(f"{path}/testa", data={"resident": demo.resident("anna").id,
                                                  "csrf_token": csrf_token(client, path)})
    assert refused.status_code == 400 and 'role="alert"' in refused.text
    assert db.session.query(DesignTestRun).count() == 0


def test_only_the_programs_designers_see_a_test_run_or_act_in_it(demo):
    client = demo.staff("designer")
    run_id = start_run(client, create(client), demo.resident("testa").id)
    clinician = demo.staff("behandlare")
    assert clinician.get(f"/design/testkorning/{run_id}").status_code == 403
    assert act(clinician, run_id, "resident").status_code == 403


def test_what_a_test_run_took_counts_in_the_revisions_coverage(demo):
    from design import coverage
    client = demo.staff("designer")
    program_id = imported(demo, client)
    run_id = start_run(client, program_id, demo.resident("testa").id)
    designer = _designer_principal(demo)
    started = coverage.of_revision(designer, program_id)
    assert started.test_runs == 1 and "feedback" not in started.taken_elements
    instance_id = db.session.get(DesignTestRun, run_id).instance_id
    [homework] = engine.ready_tasks(instance_id)
    engine.complete_task(homework.id, engine.SYSTEM, {})
    db.session.commit()
    move(client, run_id, "next")  # the week passes: the clinician's step opens
    after = coverage.of_revision(designer, program_id)
    assert {"homework", "week", "feedback"} <= after.taken_elements and {"f2", "f3"} <= after.taken_flows
    assert "end" in {n.id for n in after.never_taken} and after.percent < 100


def _designer_principal(demo):
    from access.principal import Principal
    from access.principal import active_grants
    staff = demo.org.staff["designer"]
    grants = active_grants(staff.id)
    return Principal(kind="staff", id=staff.id, display_name=staff.display_name, auth_method="password_totp",
                     session_hash="", grants=grants, roles={g.role for g in grants})
