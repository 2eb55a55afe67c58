"""The treatment story of the issue, end to end in a real browser (Swedish, the default locale).

A clinician on unit Nord starts the depression program for a demo resident; the resident answers
the intake with PHQ-9 item 9 = 1 and the receipt opens with where to get help now (112, 1177,
90101); the risk task leads the clinician's list with the priority flag; nobody assesses it for two
days, so it escalates to the unit's invånaradministratör; the clinician then assesses (continue),
the resident reads module 1 and does the homework, the clinician writes feedback on it, and the
resident reads that feedback on their program page and beside their homework while module 2 waits
its week – both program pages tell that wait as the engine has it. National management moves the
demo clock a week; the resident finds the feedback again beside the weekly PHQ-9, which opens
module 2's reading, and again both program pages say what the engine says. The clinician sees both
PHQ-9 totals on the program page; the care provider administrator activates the program on unit
Syd, the clinician hands the program over there, and Syd's clinician finds "New resident handed
over" on their task list, reads the program (on Syd now, telling module 2 as the engine has it) and
confirms the take-over. Every step leaves PDL rows, the notification outbox says nothing about the
resident's health (the feedback is told in fixed words only), and axe finds no serious violation on
any page of the way.

Everything a person does goes through the pages, the demo clock's page included (the app runs as
`vardflode demo` starts it, VARDFLODE_DEMO_CLOCK on). The test itself moves the shared engine clock
only for the two days of the escalation and the TOTP steps, fires the timers that are due (what
the scheduler would do), and reads the database to know which task ids to expect, what the engine
says, and to check the logs."""
from __future__ import annotations

import dataclasses
import re
from fnmatch import fnmatch
from datetime import timedelta

from babel import dates as babel_dates

import pytest
from sqlalchemy import select

import engine
import forms
from access import directory, personnummer
from access.models import Assignment, Resident, Staff
from access.records import PdlEntry
from engine import clock
from engine.db import db
from engine.models import HumanTask, ProcessInstance, ProgramVersion, Timer
from notify.models import OutboxMessage
from tests.browser.axe import assert_accessible
from tests.browser.signin import sign_in_staff
from cli import demo, demo_people

RESIDENT = "fredrik"  # a demo resident with no program yet
CLINICIAN, ADMINISTRATOR = "behandlare", "invanaradmin"  # both work on unit Nord
PROVIDER_ADMIN, NATIONAL = "vardgivaradmin", "nationell"
RECEIVING_CLINICIAN, RECEIVING_UNIT = "syd", "Vårdcentral Syd"  # the hand-over's receiving unit and its clinician
HANDOVER_TITLE = "Ny invånare överlämnad"  # the platform task "New resident handed over", in Swedish
FEEDBACK_TEXT = "Bra att du planerade tre aktiviteter. Prova att lägga den svåraste på förmiddagen."
# The intake and weekly answers the story gives, by the instrument library's item keys (which the
# program's forms reuse); every other required item is answered "0".
PHQ9 = forms.instrument("phq9").items
INTAKE_ANSWERS = {PHQ9[0]: "1", PHQ9[1]: "1", PHQ9[8]: "1"}  # item 9 above 0: a risk flag
WEEKLY_ANSWERS = {PHQ9[0]: "1"}
INTAKE_TOTAL, WEEKLY_TOTAL = 3, 1
RISK_ANSWERS = {"risk_level": "lag", "risk_decision": "fortsatt"}  # continue the treatment
ESCALATION_ANSWERS = {"escalation_action": "behandlare_kontaktad"}
ESCALATION_AFTER = timedelta(days=2, minutes=1)  # risk_sla_timer is P2D
FILLER_TEXT = "Kort svar."


@pytest.fixture()
def demo_mode(app, monkeypatch):
    """The app as `vardflode demo` starts it (VARDFLODE_DEMO_CLOCK=1): national management has
    the demo clock's page, and the web and the tasks read its offset."""
    from tasks import config
    settings = dataclasses.replace(app.extensions["vardflode_settings"], demo_clock=True)
    monkeypatch.setitem(app.extensions, "vardflode_settings", settings)
    monkeypatch.setattr(config, "_settings", settings)
    return settings


@pytest.fixture()
def story_clinic(ctx, demo_mode):
    """The demo organisation and programs, and the story's resident with contact details.

    The platform has no page yet where a resident gives an e-mail address or a mobile number
    (they come from the resident's 1177 settings), so they are set here: without them the
    outbox has nobody to write to."""
    clock.reset()
    demo.seed()
    resident = resident_by_key(RESIDENT)
    resident.email, resident.phone = "invanare-story@example.se", "070-123 45 67"
    db.session.commit()
    return resident


# The slowest test of the suite (about 50-70 s): quick loops leave it out with -m "not slow".
@pytest.mark.slow
def test_the_treatment_story(open_page, story_clinic):
    resident = story_clinic
    clinician = sign_in_staff_page(open_page, CLINICIAN)
    instance_id = start_program_for(clinician, resident)

    resident_page = sign_in_resident_page(open_page, resident)
    intake = answer_my_step(resident_page, instance_id, "intake", INTAKE_ANSWERS)
    see_crisis_information_first_on_the_receipt(resident_page)

    risk_task = expect_ready(instance_id, "assess_risk", role=CLINICIAN)
    see_flag_at_top_of_task_list(clinician, risk_task, resident)

    escalation = escalate_after_two_days(open_page, instance_id, resident)

    clinician = sign_in_staff_page(open_page, CLINICIAN)  # two days later: a new session
    reassessment = do_staff_task(clinician, instance_id, "reassess_risk", RISK_ANSWERS)
    resident_page = sign_in_resident_page(open_page, resident)
    first_module = answer_my_step(resident_page, instance_id, "read_module")
    homework = answer_my_step(resident_page, instance_id, "homework")
    feedback = do_staff_task(clinician, instance_id, "feedback", {"feedback_text": FEEDBACK_TEXT})

    read_feedback_while_module_two_waits(resident_page, instance_id, homework)
    see_module_two_wait_a_week(resident_page, instance_id)
    see_program_page_agree_with_engine(clinician, resident, instance_id)

    move_demo_clock_a_week(open_page)
    resident_page = sign_in_resident_page(open_page, resident)
    weekly = answer_weekly_questionnaire_beside_the_feedback(resident_page, instance_id)
    second_module = see_module_two_open(resident_page, instance_id, first_module)

    clinician = sign_in_staff_page(open_page, CLINICIAN)
    program_page_reads = see_scores_on_program_page(clinician, resident, instance_id)
    see_program_page_agree_with_engine(clinician, resident, instance_id)

    activate_program_on_receiving_unit(open_page)
    hand_over_to_receiving_unit(clinician, resident, instance_id)
    handover = see_handover_on_receiving_task_list(open_page, instance_id, resident)

    check_pdl_log(resident, instance_id, tasks={
        "intake": intake, "assess_risk": risk_task, "escalate_risk": escalation, "reassess_risk": reassessment,
        "read_module": first_module, "homework": homework, "feedback": feedback, "weekly_check": weekly,
        "handover": handover},
        program_page_reads=program_page_reads)
    # Steps opened by someone else or by time are told; those the resident opened by finishing
    # the step before (the homework, module 2) are in front of them already, so they are not.
    check_notifications(resident, instance_id, told=[intake, first_module, weekly], untold=[homework, second_module],
                        scores=[INTAKE_TOTAL, WEEKLY_TOTAL], feedback=feedback)


# --- the story's steps ------------------------------------------------------------------------

def start_program_for(page, resident) -> str:
    """Step 1: the clinician starts the depression program from the start page; returns the instance id."""
    go_by_menu(page, "/starta-program")
    page.fill("#personnummer", personnummer.formatted(resident.personnummer))
    program = page.locator("#program option", has_text="Depression")
    assert program.count() == 1, page.locator("#program").inner_text()
    page.select_option("#program", program.get_attribute("value"))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/invanare/{resident.id}")
    assert_accessible(page)
    assert resident.family_name in page.locator("main h1").inner_text()
    refresh()
    instance = db.session.scalar(select(ProcessInstance).where(ProcessInstance.subject_id == resident.id))
    assert instance is not None and instance.status == "running"
    assert instance.unit_id == unit_of(staff_by_key(CLINICIAN)) and instance.owner_id == staff_by_key(CLINICIAN).id
    return instance.id


def see_flag_at_top_of_task_list(page, risk_task: str, resident) -> None:
    """Step 3: the risk assessment leads the clinician's task list with the high-priority marker
    (after the overdue steps, which lead the list: the demo seeds one, a feedback days old)."""
    go_by_menu(page, "/uppgifter")
    rows = page.locator("main table tbody tr")
    on_time = [rows.nth(i) for i in range(rows.count()) if rows.nth(i).locator("strong.overdue").count() == 0]
    overdue = rows.count() - len(on_time)
    assert all(rows.nth(i).locator("strong.overdue").count() == 1 for i in range(overdue))  # overdue ones first
    first_row = on_time[0]
    assert first_row.locator(f"a[href='/uppgifter/{risk_task}']").count() == 1, first_row.inner_text()
    assert first_row.locator("strong.flag-high").is_visible(), first_row.inner_html()
    assert first_row.locator("strong.flag-high svg").count() == 1  # a shape beside the word
    assert first_row.locator("strong.flag-high").inner_text().strip() in ("Hög prioritet", "High priority")
    assert resident.display_name in first_row.inner_text()
    # The clinician looks at it, but does not get round to the assessment for two days.
    open_staff_task(page, risk_task)


def escalate_after_two_days(open_page, instance_id: str, resident) -> str:
    """Step 4: past the SLA the risk task escalates to the invånaradministratör, who acts on it."""
    clock.advance(ESCALATION_AFTER)
    assert fire_due_timers() >= 1
    assert not ready_tasks(instance_id, "assess_risk"), "the unassessed risk task should have been taken away"
    escalation = expect_ready(instance_id, "escalate_risk", role=ADMINISTRATOR)
    administrator = sign_in_staff_page(open_page, ADMINISTRATOR)
    go_by_menu(administrator, "/uppgifter")
    row = administrator.locator("main table tbody tr", has=administrator.locator(f"a[href='/uppgifter/{escalation}']"))
    assert row.count() == 1, administrator.locator("main").inner_text()
    assert resident.display_name in row.inner_text()
    open_staff_task(administrator, escalation)
    answer_current_step(administrator, ESCALATION_ANSWERS, back="/uppgifter")
    return escalation


def read_feedback_while_module_two_waits(page, instance_id: str, homework: str) -> None:
    """Step 5b: the clinician's words are on the resident's program page at once, and on the
    page of the homework they are about (reached from "What you have done")."""
    open_my_program(page, instance_id)
    see_feedback(page, about="Gör hemuppgiften")
    page.click(f"main ul.done-steps a[href$='/steg/{homework}']")
    page.wait_for_url(f"**/steg/{homework}")
    assert_accessible(page)
    see_feedback(page, about="Gör hemuppgiften")


def see_module_two_wait_a_week(page, instance_id: str) -> None:
    """After the feedback module 2 is on its way: it opens with a week's wait, then the weekly PHQ-9.
    The resident has nothing to do now, and their program page says when the next step opens and
    which modules are done, waiting and locked, as the engine has it."""
    go_by_menu(page, "/mina-uppgifter")
    assert page.locator("main ul.task-list a").count() == 0, page.locator("main").inner_text()
    refresh()
    waits = db.session.scalars(select(Timer).where(Timer.instance_id == instance_id)).all()
    assert waits, "module 2 should wait for its week"
    assert min(t.due_at for t in waits) > clock.now() + timedelta(days=6)
    open_my_program(page, instance_id)
    see_resident_program_agree_with_engine(page, instance_id)


def move_demo_clock_a_week(open_page) -> None:
    """Step 6: national management moves the demo clock a week on its page; the scheduler then
    fires what fell due (here the test does, at once). Every page now says the clock is ahead."""
    national = sign_in_staff_page(open_page, NATIONAL)
    national.goto("/plattform")
    assert_accessible(national)
    national.click("main a[href='/plattform/klocka']")
    national.wait_for_url("**/plattform/klocka")
    assert_accessible(national)
    national.click("main button[name=step][value=week]")
    national.wait_for_url("**/plattform/klocka?moved=week")
    assert "Klockan har flyttats" in national.locator("main p.notice").inner_text()
    banner = national.locator(".demo-clock-banner")
    assert "7 dagar" in banner.inner_text(), banner.inner_text()
    assert_accessible(national)
    # Module 2's wait (P7D) began at the feedback; the sign-ins since have moved the clock a few
    # TOTP steps on, so a week later it is due.
    assert fire_due_timers() >= 1


def answer_weekly_questionnaire_beside_the_feedback(page, instance_id: str) -> str:
    """Step 6b: a week later the weekly PHQ-9 is there, and the feedback the resident has not
    acted on yet is shown beside it (the next step they open). Answering it opens module 2's reading."""
    open_my_program(page, instance_id)
    see_resident_program_agree_with_engine(page, instance_id)
    task_id = expect_ready(instance_id, "weekly_check", role="invanare")
    open_my_step(page, task_id)
    see_feedback(page, about="Gör hemuppgiften")
    answer_current_step(page, WEEKLY_ANSWERS, back=f"/mina-program/{instance_id}/steg/{task_id}/kvitto")
    assert "Tack – ditt svar är skickat" in page.locator("main h1").inner_text()
    assert page.locator("main .crisis").count() == 0  # item 9 is 0 this week
    return task_id


def see_module_two_open(page, instance_id: str, first_module: str) -> str:
    """Step 6c: module 2 is open now: its reading is the resident's next step, with module 2's text."""
    second_module = expect_ready(instance_id, "read_module", role="invanare")
    assert second_module != first_module
    open_my_program(page, instance_id)
    see_resident_program_agree_with_engine(page, instance_id)
    open_my_step(page, second_module)
    _titles, number = module_plan(instance_id)
    assert number == 2
    assert "Modul 2 av 8" in page.locator("main").inner_text(), page.locator("main").inner_text()[:500]
    return second_module


def see_scores_on_program_page(page, resident, instance_id: str) -> list[PdlEntry]:
    """Step 7: the per-program page graphs both PHQ-9 totals, oldest first, with a table beside.
    Returns the PDL rows the visit wrote."""
    go_by_menu(page, "/invanare")
    page.click(f"main a[href='/invanare/{resident.id}']")
    page.wait_for_url(f"**/invanare/{resident.id}")
    assert_accessible(page)
    program_link = page.locator(f"main a[href='/invanare/{resident.id}/program/{instance_id}']")
    assert program_link.count() >= 1, "the resident page should link to the program page"
    before = last_pdl_seq()
    with page.expect_navigation() as navigation:
        program_link.first.click()
    assert navigation.value.status == 200, navigation.value.status
    assert_accessible(page)
    graph = page.locator("main figure.score-graph[data-instrument='phq9']")
    assert graph.count() == 1, page.locator("main").inner_html()
    points = graph.locator("svg circle.score-point")
    assert points.evaluate_all("nodes => nodes.map(n => n.getAttribute('data-score'))") == \
        [str(INTAKE_TOTAL), str(WEEKLY_TOTAL)]
    assert page.locator("main table.score-table").count() >= 1
    # The diagrams: the main process with the module call current, module 2 with its reading step.
    page.wait_for_selector(".bpmn-progress:not([hidden]) .djs-element.current")
    current = page.locator(".djs-element.current").evaluate_all("els => els.map(e => e.dataset.elementId)")
    assert {"modules", "read_module"} <= set(current), current
    assert page.locator(".bpmn-progress .djs-element.done").count() > 5
    assert page.locator("main section.progress-diagram h3").all_inner_texts()[-1].endswith("omgång 2")
    refresh()
    return list(db.session.scalars(select(PdlEntry).where(PdlEntry.seq > before)))


def check_pdl_log(resident, instance_id: str, tasks: dict[str, str], program_page_reads: list[PdlEntry]) -> None:
    """Step 8: every look and every change of the story is in the PDL log, attributed and allowed."""
    refresh()
    rows = db.session.scalars(select(PdlEntry).where(PdlEntry.resident_id == resident.id)
                              .order_by(PdlEntry.seq)).all()
    clinician, administrator = staff_by_key(CLINICIAN), staff_by_key(ADMINISTRATOR)
    receiver = staff_by_key(RECEIVING_CLINICIAN)
    seen = {(r.actor_id, r.action, r.resource_type, r.resource_id) for r in rows}
    expected = {
        (clinician.id, "create", "process_instance", instance_id),  # the start
        (clinician.id, "read", "resident", resident.id),  # the resident's page after the start
        (clinician.id, "list", "human_task", instance_id),  # the task list
        (clinician.id, "read", "human_task", tasks["assess_risk"]),
        (administrator.id, "list", "human_task", instance_id),
        (administrator.id, "read", "human_task", tasks["escalate_risk"]),
        (administrator.id, "update", "human_task", tasks["escalate_risk"]),
        (clinician.id, "read", "human_task", tasks["reassess_risk"]),
        (clinician.id, "update", "human_task", tasks["reassess_risk"]),
        (clinician.id, "update", "human_task", tasks["feedback"]),
        (resident.id, "list", "own_tasks", None),
        (receiver.id, "list", "human_task", instance_id),  # the receiving unit's task list
        (receiver.id, "read", "human_task", tasks["handover"]),
        (receiver.id, "update", "human_task", tasks["handover"]),  # taken over
    }
    for element in ("intake", "read_module", "homework", "weekly_check"):
        expected |= {(resident.id, "read", "human_task", tasks[element]),
                     (resident.id, "update", "human_task", tasks[element])}
    assert expected <= seen, sorted(expected - seen, key=str)

    [start] = [r for r in rows if r.action == "create" and r.resource_type == "process_instance"]
    assert start.access_basis == "new_care_relation" and start.role == CLINICIAN
    staff_rows = [r for r in rows if r.actor_type == "staff"]
    home_unit = {member.id: unit_of(member) for member in (clinician, administrator, receiver)}
    odd = [(r.actor_id, r.action, r.resource_type, r.outcome, r.unit_id) for r in staff_rows
           if r.outcome != "allowed" or r.unit_id != home_unit.get(r.actor_id) or not r.assignment_id]
    assert not odd, odd
    assert {r.role for r in staff_rows if r.actor_id == administrator.id} == {ADMINISTRATOR}
    assert all(r.role == "invanare" and r.access_basis == "self" for r in rows if r.actor_id == resident.id)
    # The program page is a look at the resident's health data: it must be logged like the others.
    assert any(r.resident_id == resident.id and r.actor_id == clinician.id and r.action == "read"
               and r.outcome == "allowed" for r in program_page_reads), \
        [(r.action, r.resource_type, r.resource_id) for r in program_page_reads]


def check_notifications(resident, instance_id: str, told: list[str], untold: list[str], scores: list[int],
                        feedback: str) -> None:
    """Step 9: the outbox tells of each new step and of work for staff, and gives nothing away."""
    refresh()
    messages = db.session.scalars(select(OutboxMessage)).all()
    to_resident = [m for m in messages if m.recipient_id == resident.id]
    for task_id in told:
        assert {m.channel for m in to_resident if m.dedupe_key == f"new_task:{task_id}"} == {"email", "sms"}, \
            (task_id, [m.dedupe_key for m in to_resident])
    assert not [m for m in to_resident if m.dedupe_key in {f"new_task:{t}" for t in untold}]
    secrets = secrets_of(resident, instance_id)
    for message in messages:
        text = f"{message.subject}\n{message.body}"
        assert not [s for s in secrets if s.lower() in text.lower()], (message.kind, text)
        assert not any(re.search(rf"(?<!\d){score}(?!\d)", text) for score in scores), (message.kind, text)
    # The feedback is told too, in the fixed words of the "new feedback" message only.
    assert {m.channel for m in to_resident if m.dedupe_key == f"new_feedback:{feedback}"} == {"email", "sms"}, \
        [m.dedupe_key for m in to_resident]
    staff_ids = {staff_by_key(CLINICIAN).id, staff_by_key(ADMINISTRATOR).id}
    to_staff = [m for m in messages if m.recipient_id in staff_ids]
    assert to_staff, "no notification to the clinician or the invånaradministratör (risk flag, escalation)"


def see_program_page_agree_with_engine(page, resident, instance_id: str) -> None:
    """The clinician's program page tells the open steps, the wait and the modules as the engine has them."""
    open_program_page(page, resident, instance_id)
    program_page_matches_engine(page, instance_id)


def program_page_matches_engine(page, instance_id: str) -> None:
    """The clinician's program page (already open): open steps, waits and module states."""
    where = page.locator("main").inner_text()
    open_tasks = ready_tasks_of(instance_id)
    open_steps = [t for t in open_tasks if not t.element_id.startswith("platform:")]
    shown = page.locator("main ul.open-steps > li").all_inner_texts()
    names = [HANDOVER_TITLE if t.element_id == "platform:handover" else t.name for t in open_tasks]
    assert sorted(" ".join(s.split()).split(" – ")[0] for s in shown) == sorted(names), shown
    for wait in waiting_timers(instance_id):
        assert f"Väntar på ”{wait.name}” till {short_datetime(wait.due_at)}." in where, where
    if not open_steps and not waiting_timers(instance_id):
        assert "Inget är öppet i programmet." in where
    states = {"done": "klar", "current": "öppen nu", "locked": "inte öppen ännu"}
    expected = [f"{title} – {states[state] if state != 'waiting' else 'öppnas ' + medium_date(opens)}"
                for title, state, opens in module_states(instance_id)]
    assert [" ".join(t.split()) for t in page.locator("main ol.modules > li").all_inner_texts()] == expected


def see_resident_program_agree_with_engine(page, instance_id: str) -> None:
    """The resident's program page (already open): the next step (or when it opens) and every
    module's state, as the engine has them."""
    main = page.locator("main")
    mine = [t.name for t in ready_tasks_of(instance_id) if t.role == "invanare"]
    assert page.locator("main ul.task-list a").all_inner_texts() == mine, main.inner_text()
    waits = waiting_timers(instance_id)
    if mine or not waits:
        assert page.locator("main .next-opening").count() == 0, main.inner_text()
    else:
        due = waits[0].due_at
        days = (due.astimezone(clock.SWEDEN).date() - clock.local_today()).days
        assert page.locator("main .next-opening").inner_text().strip() == \
            f"Nästa steg öppnas om {days} dagar, den {medium_date(due)}.", main.inner_text()
    states = {"done": "Klar", "current": "Öppen nu", "locked": "Öppnas när modulen före är klar"}
    expected = [f"{title} {states[state] if state != 'waiting' else 'Öppnas ' + medium_date(opens)}"
                for title, state, opens in module_states(instance_id)]
    assert [" ".join(t.split()) for t in page.locator("main ol.modules > li").all_inner_texts()] == expected
    done = sum(state == "done" for _title, state, _opens in module_states(instance_id))
    assert f"{done} av {len(expected)} moduler klara." in main.inner_text()


def see_feedback(page, about: str) -> None:
    """The clinician's words, under their heading, saying which step of the resident's they are about."""
    feedback = page.locator("main section.feedback")
    assert feedback.count() >= 1, page.locator("main").inner_text()
    newest = feedback.first
    assert newest.locator("h2").inner_text() == "Återkoppling från din behandlare"
    assert newest.locator(".feedback-text").inner_text() == FEEDBACK_TEXT
    assert f"Om ”{about}”" in newest.inner_text(), newest.inner_text()


def activate_program_on_receiving_unit(open_page) -> None:
    """Step 8: the care provider administrator activates the depression program on unit Syd in
    the content catalogue, so the program may be handed over there (R25)."""
    admin = sign_in_staff_page(open_page, PROVIDER_ADMIN)
    admin.goto("/katalog")
    assert_accessible(admin)
    section = admin.locator("main section", has=admin.locator("h3", has_text="Depression"))
    form = section.locator("form", has=admin.locator("input[name=op][value=activate]"))
    form.get_by_label(RECEIVING_UNIT, exact=True).check()
    form.locator("button[type=submit]").click()
    admin.wait_for_url("**/katalog?done=activate")
    assert_accessible(admin)
    row = section.locator("tbody tr", has=admin.locator("th", has_text=RECEIVING_UNIT))
    assert "Aktivt sedan" in row.inner_text(), row.inner_text()


def hand_over_to_receiving_unit(page, resident, instance_id: str) -> None:
    """Step 9: the clinician hands the program over to Syd, naming Syd's clinician as responsible."""
    open_program_page(page, resident, instance_id)
    page.click(f"main a[href='/program/{instance_id}/overlamna']")
    page.wait_for_url(f"**/program/{instance_id}/overlamna")
    assert_accessible(page)
    page.select_option("#handover-unit", label=RECEIVING_UNIT)
    page.select_option("#handover-clinician", label=staff_by_key(RECEIVING_CLINICIAN).display_name)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.locator("main h1").inner_text() == "Överlämnat"  # the program is
    assert RECEIVING_UNIT in page.locator("main").inner_text()


def see_handover_on_receiving_task_list(open_page, instance_id: str, resident) -> str:
    """Step 9b: Syd's clinician finds "New resident handed over" on their task list, with the resident."""
    refresh()
    [handover] = [t for t in ready_tasks_of(instance_id) if t.element_id == "platform:handover"]
    receiver = staff_by_key(RECEIVING_CLINICIAN)
    assert handover.unit_id == unit_of(receiver) and handover.assignee_id == receiver.id
    page = sign_in_staff_page(open_page, RECEIVING_CLINICIAN)
    go_by_menu(page, "/uppgifter")
    row = page.locator("main table tbody tr", has=page.locator(f"a[href='/uppgifter/{handover.id}']"))
    assert row.count() == 1, page.locator("main").inner_text()
    assert HANDOVER_TITLE in row.inner_text() and resident.display_name in row.inner_text()
    open_staff_task(page, handover.id)
    assert HANDOVER_TITLE in page.locator("main h1").inner_text()
    handover_id = handover.id  # the row is gone once taken over
    take_over(page, instance_id, handover_id)
    return handover_id


def take_over(page, instance_id: str, handover_id: str) -> None:
    """Step 9c: Syd's clinician reads the whole program from the task – now on Syd, with them
    responsible, and telling module 2 as the engine has it – then confirms the take-over."""
    page.click(f"main a[href$='/program/{instance_id}']")
    page.wait_for_url(f"**/program/{instance_id}")
    assert_accessible(page)
    facts = page.locator("main dl.facts").inner_text()
    assert RECEIVING_UNIT in facts and staff_by_key(RECEIVING_CLINICIAN).display_name in facts, facts
    program_page_matches_engine(page, instance_id)
    open_staff_task(page, handover_id)
    answer_current_step(page, back="/uppgifter")
    assert page.locator(f"main a[href='/uppgifter/{handover_id}']").count() == 0
    assert not [t for t in ready_tasks_of(instance_id) if t.element_id == "platform:handover"]


# --- what the engine says, in the words the pages use ------------------------------------------

def module_plan(instance_id: str) -> tuple[list[str], int]:
    """The program's module titles and the number of the module it is in (its own variables)."""
    data = engine.instance_progress(instance_id).latest_data
    return list(data["module_titles"]), int(data["module_nr"])


def module_states(instance_id: str) -> list[tuple[str, str, object]]:
    """(title, state, opens at) per module, worked out from the engine's variables, open tasks
    and timers: the modules before the current one are done; the current one is open when a step
    of the program is open, else it waits for its timer; the later ones are locked."""
    titles, current = module_plan(instance_id)
    steps_open = [t for t in ready_tasks_of(instance_id) if not t.element_id.startswith("platform:")]
    waits = waiting_timers(instance_id)
    result = []
    for number, title in enumerate(titles, start=1):
        if number < current:
            result.append((title, "done", None))
        elif number == current and not steps_open and waits:
            result.append((title, "waiting", waits[0].due_at))
        else:
            result.append((title, "current" if number == current else "locked", None))
    return result


def waiting_timers(instance_id: str):
    refresh()
    return engine.instance_progress(instance_id).waiting


def medium_date(moment) -> str:
    """A date as the Swedish pages write it (the ``dateformat`` filter)."""
    return babel_dates.format_date(moment.astimezone(clock.SWEDEN).date(), "medium", locale="sv_SE")


def short_datetime(moment) -> str:
    """A time as the Swedish pages write it (``datetimeformat("short")``)."""
    return babel_dates.format_datetime(moment, "short", tzinfo=clock.SWEDEN, locale="sv_SE")


# --- pages ------------------------------------------------------------------------------------

def sign_in_staff_page(open_page, key: str):
    """A new browser context signed in as demo staff ``key``: password, TOTP code, assignment."""
    page = open_page("/logga-in/medarbetare")
    sign_in_staff(page, next(row[1] for row in demo_people.STAFF if row[0] == key))
    return page


def sign_in_resident_page(open_page, resident):
    """A new browser context signed in as ``resident`` through the development e-ID page."""
    page = open_page("/logga-in/invanare")
    page.check(f"#id-{resident.id}")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/logga-in/" not in page.url, page.url
    return page


def go_by_menu(page, href: str) -> None:
    """Follow the main menu's link, as a person would, and check the page with axe."""
    page.click(f"nav.main-nav a[href='{href}']")
    page.wait_for_url(f"**{href}")
    assert_accessible(page)


def open_staff_task(page, task_id: str) -> None:
    """Open a task from a freshly loaded task list, reached by the menu."""
    go_by_menu(page, "/uppgifter")
    page.click(f"main a[href='/uppgifter/{task_id}']")
    page.wait_for_url(f"**/uppgifter/{task_id}")
    assert_accessible(page)


def open_my_step(page, task_id: str) -> None:
    """Open a step from a freshly loaded "My steps", reached by the menu."""
    go_by_menu(page, "/mina-uppgifter")
    page.click(f"main a[href='/mina-uppgifter/{task_id}']")
    page.wait_for_url(f"**/mina-uppgifter/{task_id}")
    assert_accessible(page)


def open_my_program(page, instance_id: str) -> None:
    """The resident's program page, from the menu's "My programs"."""
    go_by_menu(page, "/mina-program")
    page.click(f"main a[href='/mina-program/{instance_id}']")
    page.wait_for_url(f"**/mina-program/{instance_id}")
    assert_accessible(page)


def open_program_page(page, resident, instance_id: str) -> None:
    """The clinician's program page, from the resident list and the resident's page."""
    go_by_menu(page, "/invanare")
    page.click(f"main a[href='/invanare/{resident.id}']")
    page.wait_for_url(f"**/invanare/{resident.id}")
    page.click(f"main a[href='/invanare/{resident.id}/program/{instance_id}']")
    page.wait_for_url(f"**/invanare/{resident.id}/program/{instance_id}")
    assert_accessible(page)


def do_staff_task(page, instance_id: str, element_id: str, answers: dict | None = None) -> str:
    """Open the waiting ``element_id`` task from the task list, answer it, send it; returns its id."""
    task_id = expect_ready(instance_id, element_id)
    open_staff_task(page, task_id)
    answer_current_step(page, answers, back="/uppgifter")
    return task_id


def answer_my_step(page, instance_id: str, element_id: str, answers: dict | None = None) -> str:
    """The resident opens their waiting ``element_id`` step from "My steps", answers it and lands
    on the step's receipt."""
    task_id = expect_ready(instance_id, element_id, role="invanare")
    open_my_step(page, task_id)
    answer_current_step(page, answers, back=f"/mina-program/{instance_id}/steg/{task_id}/kvitto")
    assert_accessible(page)
    assert "Tack – ditt svar är skickat" in page.locator("main h1").inner_text()
    return task_id


def see_crisis_information_first_on_the_receipt(page) -> None:
    """Step 2b: item 9 above 0 – the receipt starts with where to get help now, before anything else."""
    first = page.locator("main > *").first
    assert first.get_attribute("class") == "crisis", page.locator("main").inner_html()[:500]
    text = first.inner_text()
    assert "112" in text and "1177" in text and "90101" in text


def answer_current_step(page, answers: dict | None = None, *, back: str) -> None:
    """Fill the task form on the page generically and send it; ``back`` is where it must land
    (a glob: ``*`` stands for an id).

    Fields are found by their ``name``, so the test keeps working while the program's forms grow:
    ``answers`` wins; any other required radio group gets its option "0" (or its first option),
    required text fields get a short text, required selects their first real option."""
    answers = answers or {}
    form = page.locator(f"main form[action='{path_of(page.url)}']")
    assert form.count() == 1, "no task form on the page"
    names = set(form.locator("[name]").evaluate_all("els => els.map(e => e.name)"))
    assert set(answers) <= names, f"the form has no field {sorted(set(answers) - names)}; it has {sorted(names)}"
    for name in form.locator("input[type=radio]").evaluate_all(
            "els => [...new Set(els.filter(e => e.required).map(e => e.name))]"):
        options = form.locator(f"input[type=radio][name='{name}']")
        values = options.evaluate_all("els => els.map(e => e.value)")
        chosen = answers.get(name, "0" if "0" in values else values[0])
        form.locator(f"input[type=radio][name='{name}'][value='{chosen}']").check()
    for name, value in answers.items():  # explicit answers to groups that are not required
        radio = form.locator(f"input[type=radio][name='{name}'][value='{value}']")
        if radio.count():
            radio.check()
    for field in form.locator("textarea, input[type=text], input[type=number], input[type=date], select").all():
        name = field.get_attribute("name")
        if name in answers and not form.locator(f"input[type=radio][name='{name}']").count():
            fill_field(field, answers[name])
        elif field.get_attribute("required") is not None and not field.input_value():
            fill_field(field, None)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator(".form-error-summary, .error-summary")
    assert errors.count() == 0, errors.first.inner_text()
    assert fnmatch(path_of(page.url), back), (page.url, page.locator("main").inner_text())


def fill_field(field, value) -> None:
    tag = field.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
    if tag.startswith("select"):
        options = field.locator("option").evaluate_all("os => os.map(o => o.value).filter(v => v)")
        field.select_option(value if value is not None else options[0])
    elif tag == "input:number":
        field.fill(str(value) if value is not None else field.get_attribute("min") or "0")
    elif tag == "input:date":
        field.fill(value or clock.local_today().isoformat())
    else:
        field.fill(value if value is not None else FILLER_TEXT)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0]


# --- the database, read as the test's own view of what happened ---------------------------------

def refresh() -> None:
    """End the test's read transaction so it sees what the live server has committed since."""
    db.session.rollback()


def ready_tasks(instance_id: str, element_id: str) -> list[HumanTask]:
    refresh()
    return db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                      HumanTask.element_id == element_id)).all()


def expect_ready(instance_id: str, element_id: str, role: str | None = None) -> str:
    """The id of the one waiting ``element_id`` task of the instance (for the given lane role)."""
    found = ready_tasks(instance_id, element_id)
    waiting = [(t.element_id, t.role) for t in ready_tasks_of(instance_id)]
    assert len(found) == 1, f"expected one waiting {element_id}; waiting: {waiting}"
    if role is not None:
        assert found[0].role == role, (element_id, found[0].role)
    return found[0].id


def ready_tasks_of(instance_id: str) -> list[HumanTask]:
    return db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id)).all()


def fire_due_timers() -> int:
    """What the scheduler does once the clock has moved: every due timer through the fire_timer
    actor, which also puts the resident's notifications in the outbox."""
    from tasks import actors
    refresh()
    due = engine.overdue_timer_ids()
    for timer_id in due:
        actors.fire_timer(timer_id)
    refresh()
    return len(due)


def last_pdl_seq() -> int:
    refresh()
    return db.session.scalar(select(db.func.max(PdlEntry.seq))) or 0


def resident_by_key(key: str) -> Resident:
    _key, birth, serial, *_rest = next(row for row in demo_people.RESIDENTS if row[0] == key)
    return directory.resident_by_personnummer(demo_people.personnummer_for(birth, serial))


def staff_by_key(key: str) -> Staff:
    hsa_id = next(row[1] for row in demo_people.STAFF if row[0] == key)
    return db.session.scalar(select(Staff).where(Staff.hsa_id == hsa_id))


def unit_of(member: Staff) -> str:
    """The unit of the demo staff member's one assignment (Nord for the story's two)."""
    return db.session.scalar(select(Assignment.unit_id).where(Assignment.staff_id == member.id))


def secrets_of(resident, instance_id: str) -> list[str]:
    """What a notification must never carry: who the resident is, and what they are treated for."""
    number = resident.personnummer
    program = db.session.scalar(select(ProgramVersion.name).join(
        ProcessInstance, ProcessInstance.version_hash == ProgramVersion.content_hash)
        .where(ProcessInstance.id == instance_id))
    return [resident.given_name, resident.family_name, number, personnummer.formatted(number), number[2:],
            "PHQ", "depression", "KBT", program, FEEDBACK_TEXT]
