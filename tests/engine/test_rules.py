"""Every rejection rule, each with a malicious or broken file. A rejected package is not stored."""
from __future__ import annotations

import pytest

import engine
from tests.support import bpmn

FORM = b'{"components": []}'


def problems_of(files: dict) -> list[engine.Problem]:
    files = {k: (v.encode() if isinstance(v, str) else v) for k, v in files.items()}
    with pytest.raises(engine.ValidationFailed) as err:
        engine.check_package(files)
    return err.value.problems


def assert_problem(files, element_id, reason_part, file="p.bpmn"):
    problems = problems_of(files)
    matching = [p for p in problems if p.element_id == element_id and reason_part in p.reason]
    assert matching, f"expected {element_id!r}: {reason_part!r} in {[str(p) for p in problems]}"
    assert all(p.file == file for p in matching)


def script_package(script: str) -> dict:
    return {"p.bpmn": bpmn.linear("p", bpmn.script_task("calc", script), "calc")}


def condition_package(condition: str) -> dict:
    from xml.sax.saxutils import escape
    body = ('<bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="gw" default="f_no" />'
            '<bpmn:endEvent id="yes" /><bpmn:endEvent id="no" />'
            '<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="gw" />'
            f'<bpmn:sequenceFlow id="f_yes" sourceRef="gw" targetRef="yes"><bpmn:conditionExpression>'
            f'{escape(condition)}</bpmn:conditionExpression></bpmn:sequenceFlow>'
            '<bpmn:sequenceFlow id="f_no" sourceRef="gw" targetRef="no" />')
    return {"p.bpmn": bpmn.process("p", body, {"Behandlare": ["start", "gw", "yes", "no"]})}


def test_a_valid_package_passes():
    checked = engine.check_package({"p.bpmn": bpmn.linear("p", bpmn.user_task("t", "a.form"), "t").encode(),
                                    "forms/a.form": FORM})
    assert checked.main_process == "p"
    assert checked.task_roles == {"t": "behandlare"}


@pytest.mark.parametrize("script, reason", [
    ("x = __import__('os').system('id')", "names starting with '_'"),
    ("x = ().__class__.__base__.__subclasses__()", "__' is not allowed"),
    ("x = open('/etc/passwd').read()", "'open' is not an allowed function"),
    ("import os", "only 'name = expression' lines"),
    ("x = 'a' * 5\ny = 'b' + '" + "c" * 20_000 + "'", "longer than 10000"),
    ("x = 10 ** 100000000000000000", "number is too large"),
    ("x = (lambda: 1)()", "only named helper functions may be called"),
    ("x = [1 for f in fs if (lambda: 1)]", "Lambda is not allowed"),
    ("x = getattr(1, 'real')", "'getattr' is not an allowed function"),
    ("x = 'a'.center(10**8)", "'.center' is not allowed"),
    ("for i in range(10): x = i", "only 'name = expression' lines"),
    ("x = [a for a in [b for b in xs]]", "nested comprehensions"),
    ("_secret = 1", "names starting with '_'"),
])
def test_script_tasks_refuse_python(script, reason):
    assert_problem(script_package(script), "calc", reason)


@pytest.mark.parametrize("condition, reason", [
    ("__import__('os').system('id') == 0", "names starting with '_'"),
    ("().__class__.__base__.__subclasses__()", "not allowed"),
    ("open('/etc/passwd')", "'open' is not an allowed function"),
    ("score >=", "not a valid expression"),
])
def test_gateway_conditions_are_checked(condition, reason):
    assert_problem(condition_package(condition), "f_yes", reason)


def test_pre_and_post_scripts_are_checked():
    inner = ('<bpmn:extensionElements><spiffworkflow:preScript>x = eval("1")</spiffworkflow:preScript>'
             '<spiffworkflow:postScript>y = exec("1")</spiffworkflow:postScript></bpmn:extensionElements>')
    problems = problems_of({"p.bpmn": bpmn.linear("p", bpmn.user_task("t", inner=inner), "t")})
    reasons = [p.reason for p in problems if p.element_id == "t"]
    assert any("'eval' is not an allowed function" in r for r in reasons)
    assert any("'exec' is not an allowed function" in r for r in reasons)


def test_doctype_and_entities_are_refused():
    xxe = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           + bpmn.linear("p", bpmn.script_task("calc", "x = '&xxe;'"), "calc").split("?>", 1)[1])
    problems = problems_of({"p.bpmn": xxe})
    assert problems[0].file == "p.bpmn"
    assert "DOCTYPE and entity declarations are not allowed" in problems[0].reason


def test_billion_laughs_is_refused_before_parsing():
    lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
    assert "not allowed" in problems_of({"p.bpmn": lol})[0].reason


def test_oversized_file_is_refused():
    big = bpmn.linear("p", bpmn.script_task("calc", "x = 1"), "calc").replace(
        "</bpmn:definitions>", "<!--" + "x" * (3 * 1024 * 1024) + "--></bpmn:definitions>")
    assert "larger than" in problems_of({"p.bpmn": big})[0].reason


def test_malformed_xml_names_the_line():
    problems = problems_of({"p.bpmn": "<bpmn:definitions>\n<oops"})
    assert problems[0].element_id.startswith("line ")
    assert "not well-formed" in problems[0].reason


def test_schema_violations_name_the_element():
    doc = bpmn.linear("p", '<bpmn:userTask id="t" bogus="1" />', "t")
    assert_problem({"p.bpmn": doc}, "t", "BPMN schema")


def test_sequence_flow_loop_is_refused():
    body = ('<bpmn:startEvent id="start" /><bpmn:userTask id="a" /><bpmn:exclusiveGateway id="gw" default="back" />'
            '<bpmn:endEvent id="end" />'
            + bpmn.flows(("f1", "start", "a"), ("f2", "a", "gw"), ("back", "gw", "a")) +
            '<bpmn:sequenceFlow id="out" sourceRef="gw" targetRef="end"><bpmn:conditionExpression>done'
            '</bpmn:conditionExpression></bpmn:sequenceFlow>')
    doc = bpmn.process("p", body, {"Behandlare": ["start", "a", "gw", "end"]})
    assert_problem({"p.bpmn": doc}, "back", "closes a loop")


def test_loop_through_a_boundary_event_is_refused():
    body = ('<bpmn:startEvent id="start" /><bpmn:userTask id="a" /><bpmn:endEvent id="end" />'
            '<bpmn:boundaryEvent id="remind" attachedToRef="a"><bpmn:timerEventDefinition id="td">'
            '<bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>'
            + bpmn.flows(("f1", "start", "a"), ("f2", "a", "end"), ("again", "remind", "a")))
    doc = bpmn.process("p", body, {"Behandlare": ["start", "a", "end", "remind"]})
    assert_problem({"p.bpmn": doc}, "again", "closes a loop")


@pytest.mark.parametrize("kind, value, reason", [
    ("timeCycle", "R/P1D", "repeats without end"),
    ("timeCycle", "P1D", "repeats without end"),
    ("timeCycle", "R5/PT1M", "more often than once an hour"),
    ("timeCycle", "R5000/P1D", "between 1 and 1000"),
    ("timeDuration", "P7X", "not a valid ISO 8601 duration"),
    ("timeDuration", "seven days", "timer expression"),
    ("timeDate", "2027-07-01T09:00:00", "needs a UTC offset"),
    ("timeDate", "2027-13-45T09:00:00+01:00", "not a valid ISO 8601 date"),
    ("timeDuration", "__import__('os')", "names starting with '_'"),
    ("timeDuration", "P1000000Y", "longer than a timer may wait"),
    ("timeDuration", "P25Y", "longer than a timer may wait"),
    ("timeDuration", "-P1D", "negative time"),
    ("timeCycle", "R1000/P1M", "runs longer than a timer may wait"),
])
def test_bad_timers_are_refused(kind, value, reason):
    doc = bpmn.linear("p", bpmn.timer_event("wait", kind, value), "wait")
    assert_problem({"p.bpmn": doc}, "wait", reason)


@pytest.mark.parametrize("kind, value", [
    ("timeDuration", "P7D"), ("timeDuration", '"P7D"'), ("timeDuration", "duration(days=wait_days)"),
    ("timeCycle", "R4/P1W"), ("timeDate", "2027-07-01T09:00:00+02:00"), ("timeDuration", "P5Y"),
])
def test_good_timers_pass(kind, value):
    engine.check_package({"p.bpmn": bpmn.linear("p", bpmn.timer_event("wait", kind, value), "wait").encode()})


def test_user_task_outside_a_lane_is_refused():
    body = '<bpmn:startEvent id="start" /><bpmn:userTask id="t" /><bpmn:endEvent id="end" />' + \
        bpmn.flows(("f1", "start", "t"), ("f2", "t", "end"))
    assert_problem({"p.bpmn": bpmn.process("p", body)}, "t", "is in no lane")


def test_lane_must_name_a_known_role():
    doc = bpmn.linear("p", bpmn.user_task("t"), "t", lane="Städare")
    assert_problem({"p.bpmn": doc}, "t", "'Städare' does not name a known role")


def test_lane_matches_role_id_or_swedish_name_case_insensitively():
    for lane, role in [("invanare", "invanare"), ("INVÅNARADMINISTRATÖR", "invanaradmin"), ("Behandlare", "behandlare")]:
        checked = engine.check_package({"p.bpmn": bpmn.linear("p", bpmn.user_task("t"), "t", lane=lane).encode()})
        assert checked.task_roles["t"] == role


def test_missing_form_is_refused():
    doc = bpmn.linear("p", bpmn.user_task("t", "nowhere.form"), "t")
    assert_problem({"p.bpmn": doc}, "t", "the form 'nowhere.form' does not exist")


def test_call_activity_must_resolve_inside_the_package():
    doc = bpmn.linear("p", '<bpmn:callActivity id="call" calledElement="elsewhere" />', "call")
    assert_problem({"p.bpmn": doc}, "call", "calls 'elsewhere'")


def test_call_activity_to_another_file_of_the_package_passes():
    main = bpmn.linear("main", '<bpmn:callActivity id="call" calledElement="module" />', "call")
    module = bpmn.linear("module", bpmn.user_task("read"), "read", lane="Invånare").replace(
        'id="start"', 'id="m_start"').replace('id="end"', 'id="m_end"').replace(
        'id="f1"', 'id="mf1"').replace('id="f2"', 'id="mf2"').replace('"start"', '"m_start"').replace(
        '"end"', '"m_end"').replace(">start<", ">m_start<").replace(">end<", ">m_end<")
    checked = engine.check_package({"main.bpmn": main.encode(), "module.bpmn": module.encode()})
    assert checked.main_process == "main"


def test_unsupported_elements_are_refused():
    doc = bpmn.linear("p", '<bpmn:serviceTask id="svc" />', "svc")
    assert_problem({"p.bpmn": doc}, "svc", "'serviceTask' is not supported")


def test_foreign_extension_namespaces_are_refused():
    doc = bpmn.linear("p", '<bpmn:task id="t"><bpmn:extensionElements><x:hook xmlns:x="urn:evil" />'
                      '</bpmn:extensionElements></bpmn:task>', "t")
    assert_problem({"p.bpmn": doc}, "t", "namespace 'urn:evil' are not supported")


def test_loop_marker_needs_a_maximum():
    task = bpmn.user_task("t", inner="<bpmn:standardLoopCharacteristics><bpmn:loopCondition>done"
                          "</bpmn:loopCondition></bpmn:standardLoopCharacteristics>")
    assert_problem({"p.bpmn": bpmn.linear("p", task, "t")}, "t", "needs a loop maximum")


def test_multi_instance_must_be_bounded():
    task = bpmn.user_task("t", inner="<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>100000"
                          "</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>")
    assert_problem({"p.bpmn": bpmn.linear("p", task, "t")}, "t", "between 1 and 500")


def test_every_problem_is_reported_not_just_the_first():
    body = (bpmn.script_task("a", "x = __import__('os')") + bpmn.timer_event("b", "timeCycle", "R/P1D"))
    doc = bpmn.process("p", '<bpmn:startEvent id="start" />' + body + '<bpmn:endEvent id="end" />' +
                       bpmn.flows(("f1", "start", "a"), ("f2", "a", "b"), ("f3", "b", "end")),
                       {"Behandlare": ["start", "a", "b", "end"]})
    ids = {p.element_id for p in problems_of({"p.bpmn": doc})}
    assert {"a", "b"} <= ids


def test_duplicate_ids_across_files_are_refused():
    one = bpmn.linear("one", bpmn.user_task("t"), "t")
    two = bpmn.linear("two", bpmn.user_task("t"), "t")
    problems = problems_of({"one.bpmn": one, "two.bpmn": two})
    assert any(p.element_id == "t" and "ids must be unique" in p.reason for p in problems)


def message_wait_package(message_name: str, throw: bool = False) -> dict:
    """start -> a message catch event -> end; with ``throw``, a parallel branch throws the message."""
    extra = f'<bpmn:message id="msg" name="{message_name}" />'
    catch = ('<bpmn:intermediateCatchEvent id="wait_msg" name="Wait"><bpmn:messageEventDefinition id="md" '
             'messageRef="msg" /></bpmn:intermediateCatchEvent>')
    if not throw:
        return {"p.bpmn": bpmn.linear("p", catch, "wait_msg", extra=extra)}
    body = ('<bpmn:startEvent id="start" /><bpmn:parallelGateway id="split" />' + catch +
            '<bpmn:intermediateThrowEvent id="send_msg"><bpmn:messageEventDefinition id="ms" messageRef="msg" />'
            '</bpmn:intermediateThrowEvent><bpmn:endEvent id="end" /><bpmn:endEvent id="end2" />' +
            bpmn.flows(("f1", "start", "split"), ("f2", "split", "wait_msg"), ("f3", "split", "send_msg"),
                       ("f4", "wait_msg", "end"), ("f5", "send_msg", "end2")))
    return {"p.bpmn": bpmn.process("p", body, {"Behandlare": ["start", "split", "wait_msg", "send_msg", "end", "end2"]},
                                   extra)}


def test_a_message_wait_nothing_can_send_is_refused():
    assert_problem(message_wait_package("lab_result"), "wait_msg",
                   "nothing on the platform can send message 'lab_result'")


def test_a_misspelt_platform_message_is_refused():
    assert_problem(message_wait_package("vardflode.action.Call done"), "wait_msg",
                   "the platform sends no message 'vardflode.action.Call done'")


@pytest.mark.parametrize("name", ["vardflode.resident_message", "vardflode.action.call_done"])
def test_message_waits_the_platform_can_end_pass(name):
    engine.check_package({"p.bpmn": message_wait_package(name)["p.bpmn"].encode()})


def test_a_message_thrown_in_the_package_passes():
    engine.check_package({"p.bpmn": message_wait_package("lab_result", throw=True)["p.bpmn"].encode()})


def test_a_script_may_assign_a_helpers_name():
    files = script_package("sum = 3\nscore = sum + 1")
    assert engine.check_package({name: text.encode() for name, text in files.items()}).main_process == "p"


def test_a_form_field_named_like_a_helper_passes_while_the_helper_is_not_called(tmp_path):
    # Form rules are checked where packages are read (cli.packages): the engine never reads forms.
    from cli import packages
    form_with_score_field(tmp_path, "total = score + 1")
    assert packages.problems_in(tmp_path) == []


def test_calling_a_helper_the_package_uses_as_a_form_field_is_a_finding(tmp_path):
    from cli import packages
    form_with_score_field(tmp_path, "band = score('phq9')")
    problems = packages.problems_in(tmp_path)
    assert [(el, reason.split(",")[0]) for _file, el, reason in problems] == [("calc", "calls 'score'")]
    assert "also uses 'score' as data" in problems[0][2]


def test_calling_a_helper_a_script_assigns_is_a_finding():
    files = script_package("sum = 3\nbig = sum([1, 2]) > 2")
    assert_problem(files, "calc", "calls 'sum', but this program also uses 'sum' as data")


def form_with_score_field(tmp_path, script):
    """start -> t (a form with the field score) -> calc (``script``) -> end."""
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("t", "a.form") + bpmn.script_task("calc", script) +
            '<bpmn:endEvent id="end" />' + bpmn.flows(("f1", "start", "t"), ("f2", "t", "calc"), ("f3", "calc", "end")))
    (tmp_path / "forms").mkdir()
    (tmp_path / "p.bpmn").write_text(bpmn.process("p", body, {"Behandlare": ["start", "t", "calc", "end"]}), encoding="utf-8")
    (tmp_path / "forms" / "a.form").write_text(
        '{"components": [{"id": "c_score", "key": "score", "type": "number", "label": "Poäng"}]}', encoding="utf-8")


def signal_wait_package(throw: bool, catch_kind: str = "intermediateCatchEvent") -> dict:
    """start -> a signal catch -> end; with ``throw``, a parallel branch throws the signal."""
    extra = '<bpmn:signal id="sig" name="lab_done" />'
    catch = (f'<bpmn:{catch_kind} id="wait_sig"><bpmn:signalEventDefinition id="sd" signalRef="sig" />'
             f'</bpmn:{catch_kind}>')
    thrower = ('<bpmn:intermediateThrowEvent id="send_sig"><bpmn:signalEventDefinition id="ss" signalRef="sig" />'
               '</bpmn:intermediateThrowEvent>') if throw else '<bpmn:task id="send_sig" />'
    body = ('<bpmn:startEvent id="start" /><bpmn:parallelGateway id="split" />' + catch + thrower +
            '<bpmn:endEvent id="end" /><bpmn:endEvent id="end2" />' +
            bpmn.flows(("f1", "start", "split"), ("f2", "split", "wait_sig"), ("f3", "split", "send_sig"),
                       ("f4", "wait_sig", "end"), ("f5", "send_sig", "end2")))
    return {"p.bpmn": bpmn.process("p", body, {"Behandlare": ["start", "split", "wait_sig", "send_sig", "end", "end2"]},
                                   extra)}


def test_a_signal_wait_nothing_throws_is_refused():
    assert_problem(signal_wait_package(throw=False), "wait_sig", "nothing in the program throws signal 'lab_done'")


def test_a_signal_thrown_in_the_package_passes():
    engine.check_package({"p.bpmn": signal_wait_package(throw=True)["p.bpmn"].encode()})


def event_gateway_package(first: str, second: str) -> dict:
    """An event-based gateway with two catch events (inner XML of each given)."""
    body = ('<bpmn:startEvent id="start" /><bpmn:eventBasedGateway id="gw" />'
            f'<bpmn:intermediateCatchEvent id="a" {first}</bpmn:intermediateCatchEvent>'
            f'<bpmn:intermediateCatchEvent id="b" {second}</bpmn:intermediateCatchEvent>'
            '<bpmn:endEvent id="end_a" /><bpmn:endEvent id="end_b" />' +
            bpmn.flows(("f1", "start", "gw"), ("f2", "gw", "a"), ("f3", "gw", "b"),
                       ("f4", "a", "end_a"), ("f5", "b", "end_b")))
    extra = '<bpmn:message id="m" name="vardflode.action.done" />'
    return {"p.bpmn": bpmn.process("p", body, {"Behandlare": ["start", "gw", "a", "b", "end_a", "end_b"]}, extra)}


def timer(name: str, value: str) -> str:
    return f'name="{name}"><bpmn:timerEventDefinition><bpmn:timeDuration>{value}</bpmn:timeDuration></bpmn:timerEventDefinition>'


def test_two_timers_of_one_name_behind_an_event_gateway_are_refused():
    assert_problem(event_gateway_package(timer("Wait", "P14D"), timer("Wait", "P7D")), "b",
                   "the event-based gateway 'gw' also waits for timer 'Wait' at 'a'")


def test_two_catches_of_one_message_behind_an_event_gateway_are_refused():
    message = '><bpmn:messageEventDefinition messageRef="m" />'
    assert_problem(event_gateway_package(message, message), "b",
                   "the event-based gateway 'gw' also waits for message 'vardflode.action.done' at 'a'")


def test_timers_of_different_names_behind_an_event_gateway_pass():
    engine.check_package({"p.bpmn": event_gateway_package(timer("Two weeks", "P14D"),
                                                          timer("One week", "P7D"))["p.bpmn"].encode()})


def multi_instance_package(sequential: bool, output: bool) -> dict:
    collection = "<bpmn:loopDataOutputRef>answers</bpmn:loopDataOutputRef>" if output else ""
    item = '<bpmn:outputDataItem id="answer" name="answer" />' if output else ""
    task = bpmn.user_task("t", "a.form", inner=(
        f'<bpmn:multiInstanceLoopCharacteristics isSequential="{str(sequential).lower()}">'
        f'<bpmn:loopDataInputRef>goals</bpmn:loopDataInputRef>{collection}'
        f'<bpmn:inputDataItem id="goal" name="goal" />{item}</bpmn:multiInstanceLoopCharacteristics>'))
    return {"p.bpmn": bpmn.linear("p", task, "t"), "forms/a.form": FORM}


@pytest.mark.parametrize("sequential", [True, False])
def test_multi_instance_with_input_and_no_output_is_refused(sequential):
    kind = "sequential" if sequential else "parallel"
    assert_problem(multi_instance_package(sequential, output=False), "t",
                   f"a {kind} multi-instance activity with an input collection needs an output collection")


@pytest.mark.parametrize("sequential", [True, False])
def test_multi_instance_with_input_and_output_passes(sequential):
    files = multi_instance_package(sequential, output=True)
    engine.check_package({k: v.encode() if isinstance(v, str) else v for k, v in files.items()})


def test_a_step_no_sequence_flow_reaches_is_a_finding():
    # Given a task drawn beside the path with only an outgoing flow
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("t") + bpmn.user_task("orphan") +
            '<bpmn:endEvent id="end" />' + bpmn.flows(("f1", "start", "t"), ("f2", "t", "end"), ("f3", "orphan", "end")))
    files = {"p.bpmn": bpmn.process("p", body, {"Behandlare": ["start", "t", "orphan", "end"]})}
    # Then the validator names it, and nothing else on the path
    assert [(p.element_id, p.reason.split(";")[0]) for p in problems_of(files)] == [("orphan", "nothing leads here")]


def test_a_step_with_no_way_on_is_a_finding():
    body = ('<bpmn:startEvent id="start" /><bpmn:parallelGateway id="split" />' + bpmn.user_task("t") +
            bpmn.user_task("dead_end") + '<bpmn:endEvent id="end" />' +
            bpmn.flows(("f1", "start", "split"), ("f2", "split", "t"), ("f3", "split", "dead_end"), ("f4", "t", "end")))
    files = {"p.bpmn": bpmn.process("p", body, {"Behandlare": ["start", "split", "t", "dead_end", "end"]})}
    assert [(p.element_id, p.reason.split(";")[0]) for p in problems_of(files)] == [
        ("dead_end", "nothing leads on from here")]


def test_boundary_events_and_event_subprocesses_need_no_incoming_flow():
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("t") +
            '<bpmn:boundaryEvent id="late" attachedToRef="t"><bpmn:timerEventDefinition id="late_def">'
            '<bpmn:timeDuration>P2D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>' +
            '<bpmn:endEvent id="end" /><bpmn:endEvent id="end_late" />' +
            '<bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:startEvent id="esp_start" isInterrupting="false">'
            '<bpmn:timerEventDefinition id="esp_def"><bpmn:timeDuration>P1D</bpmn:timeDuration>'
            '</bpmn:timerEventDefinition></bpmn:startEvent>' + bpmn.user_task("remind") + '<bpmn:endEvent id="esp_end" />' +
            bpmn.flows(("e1", "esp_start", "remind"), ("e2", "remind", "esp_end")) + '</bpmn:subProcess>' +
            bpmn.flows(("f1", "start", "t"), ("f2", "t", "end"), ("f3", "late", "end_late")))
    files = {"p.bpmn": bpmn.process("p", body, {"Behandlare": ["start", "t", "late", "end", "end_late", "esp"]})}
    assert engine.check_package({"p.bpmn": files["p.bpmn"].encode()}).main_process == "p"
