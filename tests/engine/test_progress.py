"""Where an instance stands, read back from its state: the marks on the progress diagram, the
completed steps with their answers and times, and what it waits for."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import engine
from engine.db import db
from tests.support import bpmn

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def program() -> dict:
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("answer", "phq9.form", name="PHQ-9") +
            bpmn.timer_event("week", "timeDuration", '"P7D"') + bpmn.user_task("review", name="Granska") +
            '<bpmn:endEvent id="end" />' +
            bpmn.flows(("f1", "start", "answer"), ("f2", "answer", "week"), ("f3", "week", "review"),
                       ("f4", "review", "end")))
    lanes = {"Invånare": ["start", "answer", "week"], "Behandlare": ["review", "end"]}
    return {"p.bpmn": bpmn.process("weekly", body, lanes)}


def answers(total_nine: int) -> dict:
    return {f"phq9_{n}": 1 for n in range(1, 9)} | {"phq9_9": total_nine}


def started(publish) -> str:
    engine.clock.freeze(T0)
    outcome = engine.start(publish(program()), engine.SYSTEM, subject_id="r1")
    db.session.commit()
    return outcome.instance_id


def complete_only_task(instance_id: str, data: dict | None = None) -> None:
    (task,) = engine.ready_tasks(instance_id)
    engine.complete_task(task.id, engine.SYSTEM, data or {})
    db.session.commit()


def test_a_new_instance_marks_the_first_step_current_and_the_timer_next(ctx, publish):
    instance_id = started(publish)
    (diagram,) = engine.instance_progress(instance_id).diagrams
    assert diagram.current == ("answer",)
    assert diagram.next == ("week",)
    assert "start" in diagram.done and "answer" not in diagram.done
    assert diagram.xml is not None and 'id="weekly"' in diagram.xml


def test_a_completed_step_keeps_its_answers_and_the_engine_clock_time(ctx, publish):
    instance_id = started(publish)
    engine.clock.advance(timedelta(hours=3))
    complete_only_task(instance_id, answers(2))

    progress = engine.instance_progress(instance_id)
    (step,) = progress.completed
    assert (step.element_id, step.name, step.form, step.role) == ("answer", "PHQ-9", "phq9.form", "invanare")
    assert step.completed_at == T0 + timedelta(hours=3)
    assert step.data["phq9_9"] == 2
    assert progress.diagrams[0].current == ("week",)


def test_the_waiting_timer_says_when_the_next_step_opens(ctx, publish):
    instance_id = started(publish)
    complete_only_task(instance_id, answers(0))
    (waiting,) = engine.instance_progress(instance_id).waiting
    assert waiting.element_id == "week"
    assert waiting.due_at == T0 + timedelta(days=7)


def test_a_finished_instance_has_every_step_done_and_nothing_current(ctx, publish):
    instance_id = started(publish)
    complete_only_task(instance_id, answers(0))
    engine.clock.advance(timedelta(days=8))
    for timer_id in engine.overdue_timer_ids():
        engine.fire_timer(timer_id)
    db.session.commit()
    complete_only_task(instance_id)

    progress = engine.instance_progress(instance_id)
    (diagram,) = progress.diagrams
    assert progress.status == "completed" and diagram.finished
    assert {"answer", "week", "review", "end"} <= set(diagram.done)
    assert diagram.current == () and progress.waiting == ()
    assert [s.element_id for s in progress.completed] == ["answer", "review"]


def test_an_unknown_instance_has_no_progress(ctx):
    assert engine.instance_progress("0" * 32) is None
