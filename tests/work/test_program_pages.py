"""One program of one resident, as the clinician sees it (where they are, scores as a graph and a
table, answers with the form's own labels, history) and as the resident sees it (modules in plain
words, when the next step opens, what they answered). Both pages are logged and closed to others."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

import engine
from engine.db import db
from tests.support import bpmn
from tests.web.signin import pdl_rows, sign_in_resident, sign_in_staff
from cli import demo_people

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
INIT = 'module_titles = ["Att komma igång", "Planera aktiviteter", "Vidmakthållande"]\nmodule_nr = 1'


def program() -> dict:
    body = ('<bpmn:startEvent id="start" />' + bpmn.script_task("init", INIT) +
            bpmn.user_task("intake", "phq9.form", name="Bedömning") + bpmn.user_task("review", name="Granska svaren") +
            bpmn.script_task("next_module", "module_nr = module_nr + 1") +
            bpmn.timer_event("week", "timeDuration", '"P7D"') + bpmn.user_task("weekly", "phq9.form", name="Veckoskattning") +
            '<bpmn:endEvent id="end" />' +
            bpmn.flows(("f1", "start", "init"), ("f2", "init", "intake"), ("f3", "intake", "review"),
                       ("f4", "review", "next_module"), ("f5", "next_module", "week"), ("f6", "week", "weekly"),
                       ("f7", "weekly", "end")))
    lanes = {"Invånare": ["start", "init", "intake", "week", "weekly", "end"], "Behandlare": ["review", "next_module"]}
    return {"p.bpmn": bpmn.process("two_scores", body, lanes)}


def phq9(total: int) -> dict:
    """Nine answers adding up to ``total`` (at most 27), item 9 always 0."""
    items = [min(3, max(0, total - 3 * n)) for n in range(8)]
    return {f"phq9_{n + 1}": value for n, value in enumerate(items)} | {"phq9_9": 0}


def started_for_anna(publish):
    """The demo organisation, and Anna's program on Nord with Bodil responsible."""
    engine.clock.freeze(T0)
    org = demo_people.seed()
    db.session.commit()
    outcome = engine.start(publish(program()), engine.SYSTEM, unit_id=org.units["nord"].id,
                           subject_id=org.residents["anna"].id, owner_id=org.staff["behandlare"].id)
    db.session.commit()
    return org, outcome.instance_id


def test_the_clinicians_task_shows_the_answers_it_is_about(ctx, publish):
    org, instance_id = started_for_anna(publish)
    complete(instance_id, phq9(18))
    (review,) = engine.ready_tasks(instance_id)
    client = sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id)
    html = client.get(f"/uppgifter/{review.id}").get_data(as_text=True)
    section = re.search(r'<section class="latest-answers".*?</section>', html, re.S).group(0)
    assert "Invånarens senaste svar: Bedömning" in section
    assert section.count("<dt>") == 9  # the nine PHQ-9 questions, nothing carried over from elsewhere
    assert f"/program/{instance_id}" in section


@pytest.fixture()
def treated(ctx, publish):
    """Anna on Nord: intake PHQ-9 18, reviewed; the weekly PHQ-9 a week later is up to the test."""
    org, instance_id = started_for_anna(publish)
    complete(instance_id, phq9(18))
    engine.clock.advance(timedelta(hours=2))
    complete(instance_id, {})
    return org, instance_id


def complete(instance_id: str, data: dict) -> None:
    (task,) = engine.ready_tasks(instance_id)
    engine.complete_task(task.id, engine.SYSTEM, data)
    db.session.commit()


def a_week_later(instance_id: str, weekly_total: int) -> None:
    engine.clock.advance(timedelta(days=7, hours=1))
    for timer_id in engine.overdue_timer_ids():
        engine.fire_timer(timer_id)
    db.session.commit()
    complete(instance_id, phq9(weekly_total))


def clinician_page(app, org, instance_id, staff="behandlare"):
    client = sign_in_staff(app.test_client(), org.staff[staff].hsa_id)
    return client.get(f"/invanare/{org.residents['anna'].id}/program/{instance_id}")


def points(html: str) -> list[int]:
    graph = re.search(r'<figure class="score-graph" data-instrument="phq9".*?</figure>', html, re.S)
    assert graph, "no PHQ-9 graph on the page"
    return [int(v) for v in re.findall(r'class="score-point"[^>]*data-score="(\d+)"', graph.group(0))]


def test_the_score_graph_and_table_show_every_phq9_in_time_order(ctx, treated):
    org, instance_id = treated
    a_week_later(instance_id, 9)
    response = clinician_page(ctx, org, instance_id)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert points(html) == [18, 9]
    table = re.search(r'<table class="score-table[ "].*?>.*?</table>', html, re.S).group(0)
    assert table.index(">18<") < table.index(">9<")


def test_the_clinician_sees_where_the_resident_is_and_what_they_answered(ctx, treated):
    org, instance_id = treated
    html = clinician_page(ctx, org, instance_id).get_data(as_text=True)
    assert "Väntar på" in html or "Waiting for" in html  # the week before the weekly PHQ-9
    assert "Planera aktiviteter" in html  # module 2 is open
    assert "Bedömning" in html and "Programmet startat" in html  # the answers and the history
    assert 'class="bpmn-progress"' in html and '"current": ["week"]' in html.replace("\\u0022", '"')


def test_the_look_is_logged_and_closed_to_another_unit(ctx, treated):
    org, instance_id = treated
    assert clinician_page(ctx, org, instance_id).status_code == 200
    rows = pdl_rows(resident_id=org.residents["anna"].id, resource_type="process_instance", outcome="allowed")
    assert [r.resource_id for r in rows] == [instance_id]
    assert clinician_page(ctx, org, instance_id, staff="syd").status_code == 404
    assert pdl_rows(resident_id=org.residents["anna"].id, outcome="denied")


def test_the_resident_sees_modules_and_when_the_next_step_opens_in_plain_words(ctx, treated):
    org, instance_id = treated
    client = sign_in_resident(ctx.test_client(), org.residents["anna"].id)
    listing = client.get("/mina-program").get_data(as_text=True)
    assert f"/mina-program/{instance_id}" in listing
    html = client.get(f"/mina-program/{instance_id}").get_data(as_text=True)
    modules = re.findall(r'<li class="module-(\w+)">', html)
    # Module 2 has started, but its first step waits a week: the page says so, once, and does
    # not call it "open now" beside "the next step opens in 7 days".
    assert modules == ["done", "waiting", "locked"]
    assert "1 av 3 moduler klara" in html
    assert "Nästa steg öppnas om 7 dagar" in html and "Öppen nu" not in html
    assert "Bedömning" in html  # what they answered


def test_another_resident_cannot_open_the_program(ctx, treated):
    org, instance_id = treated
    client = sign_in_resident(ctx.test_client(), org.residents["bo"].id)
    assert client.get(f"/mina-program/{instance_id}").status_code == 404


def test_the_resident_reads_a_done_step_again_with_their_answers(ctx, treated):
    org, instance_id = treated
    intake = next(s for s in engine.instance_progress(instance_id).completed if s.element_id == "intake")
    client = sign_in_resident(ctx.test_client(), org.residents["anna"].id)
    overview = client.get(f"/mina-program/{instance_id}").get_data(as_text=True)
    path = f"/mina-program/{instance_id}/steg/{intake.task_id}"
    assert path in overview
    html = client.get(path).get_data(as_text=True)
    assert "Bedömning" in html and "Dina svar" in html
    assert pdl_rows(resident_id=org.residents["anna"].id, resource_type="human_task", resource_id=intake.task_id)


def test_a_step_is_only_shown_again_to_its_resident_and_only_when_it_is_theirs_and_done(ctx, treated):
    org, instance_id = treated
    steps = {s.element_id: s.task_id for s in engine.instance_progress(instance_id).completed}
    anna = sign_in_resident(ctx.test_client(), org.residents["anna"].id)
    assert anna.get(f"/mina-program/{instance_id}/steg/{steps['review']}").status_code == 404  # the clinician's
    assert anna.get(f"/mina-program/{instance_id}/steg/not-a-task").status_code == 404
    bo = sign_in_resident(ctx.test_client(), org.residents["bo"].id)
    assert bo.get(f"/mina-program/{instance_id}/steg/{steps['intake']}").status_code == 404


def test_ending_and_handing_over_are_never_one_click_on_the_program_page(ctx, treated):
    org, instance_id = treated
    html = clinician_page(ctx, org, instance_id).get_data(as_text=True)
    assert f'<a href="/program/{instance_id}/avsluta">' in html
    assert f'action="/program/{instance_id}/avsluta"' not in html  # the form is on its own page
    assert f'action="/program/{instance_id}/paus"' in html  # pausing can be undone: one click


def test_a_long_history_shows_the_latest_events_and_all_on_request(ctx, treated, monkeypatch):
    from web.clinic import program_page
    org, instance_id = treated
    monkeypatch.setattr(program_page, "RECENT_EVENTS", 3)
    client = sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id)
    path = f"/invanare/{org.residents['anna'].id}/program/{instance_id}"

    def rows(html):
        return len(re.findall(r"<tr[^>]*><td", re.search(r'<table class="history[ "].*?</table>', html, re.S).group(0)))
    latest = client.get(path).get_data(as_text=True)
    total = int(re.search(r"De senaste 3 av (\d+) händelser", latest).group(1))
    assert rows(latest) == 3 and total > 3
    assert rows(client.get(path + "?historik=alla").get_data(as_text=True)) == total
