"""The publisher's review content (design/review.py) on packages held in memory: which elements
are marked, which pieces get a text diff, every expression listed, and the minor/major proposal
with reasons naming the element. No database: the review is a function of two sets of files."""
from __future__ import annotations

import json

from design import template
from design.review import MAJOR, MINOR, allowed_kinds, may_change_kind, review_content

BPMN = "sleep.bpmn"
FORM = "forms/first_answer.form"


def blank() -> dict[str, bytes]:
    return template.blank("Sleep")


def replaced(files: dict[str, bytes], path: str, old: str, new: str) -> dict[str, bytes]:
    text = files[path].decode()
    assert old in text, old
    return {**files, path: text.replace(old, new).encode()}


def with_gateway(files: dict[str, bytes]) -> dict[str, bytes]:
    """After the first answer an exclusive gateway reads the form field 'wellbeing'."""
    files = replaced(files, BPMN, '<bpmn:sequenceFlow id="flow_2" sourceRef="first_answer" targetRef="end" />',
                     '<bpmn:sequenceFlow id="flow_2" sourceRef="first_answer" targetRef="check" />'
                     '<bpmn:exclusiveGateway id="check" name="Mår bra?" default="flow_ok">'
                     '<bpmn:incoming>flow_2</bpmn:incoming><bpmn:outgoing>flow_ok</bpmn:outgoing>'
                     '<bpmn:outgoing>flow_bad</bpmn:outgoing></bpmn:exclusiveGateway>'
                     '<bpmn:sequenceFlow id="flow_ok" sourceRef="check" targetRef="end" />'
                     '<bpmn:sequenceFlow id="flow_bad" sourceRef="check" targetRef="end">'
                     '<bpmn:conditionExpression>wellbeing == "dåligt"</bpmn:conditionExpression>'
                     '</bpmn:sequenceFlow>')
    return files


def codes(review) -> list[tuple[str, str]]:
    return [(reason.code, reason.element_id) for reason in review.proposal.reasons]


def test_one_changed_element_is_exactly_that_element_marked_changed():
    old = blank()
    new = replaced(old, BPMN, 'name="Första frågan"', 'name="Hur har du sovit?"')
    review = review_content(old, new)
    [diagram] = review.diagrams
    assert (diagram.added, diagram.removed, diagram.changed) == ((), (), ("first_answer",))
    assert [(e.id, e.change, e.facets) for e in diagram.elements] == [("first_answer", "changed", ("name",))]
    assert diagram.old_xml == old[BPMN].decode() and diagram.new_xml == new[BPMN].decode()


def test_moving_a_shape_changes_nothing():
    old = blank()
    new = replaced(old, BPMN, '<dc:Bounds x="300" y="102"', '<dc:Bounds x="320" y="110"')
    review = review_content(old, new)
    assert not review.diagrams[0].has_changes
    assert review.proposal.kind == MINOR and review.proposal.reasons == ()


def test_a_removed_user_task_is_major_naming_it():
    old = with_gateway(blank())
    new = replaced(old, BPMN, '<bpmn:sequenceFlow id="flow_1" sourceRef="start" targetRef="first_answer" />',
                   '<bpmn:sequenceFlow id="flow_1" sourceRef="start" targetRef="check" />')
    start = new[BPMN].decode().index('<bpmn:userTask id="first_answer"')
    end = new[BPMN].decode().index("</bpmn:userTask>") + len("</bpmn:userTask>")
    new[BPMN] = (new[BPMN].decode()[:start] + new[BPMN].decode()[end:]).encode()
    review = review_content(old, new)
    assert review.proposal.kind == MAJOR
    blocking = [(r.code, r.element_id) for r in review.proposal.blocking]
    assert ("removed_wait", "first_answer") in blocking
    assert "first_answer" in review.diagrams[0].removed


def test_only_a_text_and_a_label_changed_is_minor():
    old = {**blank(), "texts/intro.md": "# Välkommen\n\nSov gott.\n".encode()}
    new = replaced(old, "texts/intro.md", "Sov gott.", "Sov gott i natt.")
    new = replaced(new, FORM, "Hur mår du just nu?", "Hur mår du i dag?")
    new = replaced(new, BPMN, 'name="Klart"', 'name="Färdigt"')
    review = review_content(old, new)
    assert review.proposal.kind == MINOR
    assert sorted(codes(review)) == [("form_texts", "first_answer"), ("text_changed", "end"),
                                     ("text_file", "texts/intro.md")]
    text = next(d for d in review.text_diffs if d.path == "texts/intro.md")
    assert [(line.sign, line.text) for line in text.lines if line.sign != " "] == [
        ("-", "Sov gott."), ("+", "Sov gott i natt.")]


def test_changed_instructions_are_a_text_diff_of_their_element_and_minor():
    old = replaced(blank(), BPMN, "<spiffworkflow:properties>",
                   "<spiffworkflow:instructionsForEndUser>Svara kort.</spiffworkflow:instructionsForEndUser>"
                   "<spiffworkflow:properties>")
    new = replaced(old, BPMN, "Svara kort.", "Svara kort.\nDu kan hoppa över frågan.")
    review = review_content(old, new)
    [diff] = review.text_diffs
    assert (diff.what, diff.element_id, diff.path) == ("instructions", "first_answer", BPMN)
    assert [(line.sign, line.text) for line in diff.lines] == [(" ", "Svara kort."), ("+", "Du kan hoppa över frågan.")]
    assert codes(review) == [("text_changed", "first_answer")] and review.proposal.kind == MINOR


def test_an_added_step_on_a_new_branch_is_minor():
    old = blank()
    new = replaced(old, BPMN, '<bpmn:sequenceFlow id="flow_2" sourceRef="first_answer" targetRef="end" />',
                   '<bpmn:sequenceFlow id="flow_2" sourceRef="first_answer" targetRef="extra" />'
                   '<bpmn:manualTask id="extra" name="Läs mer"><bpmn:incoming>flow_2</bpmn:incoming>'
                   '<bpmn:outgoing>flow_3</bpmn:outgoing></bpmn:manualTask>'
                   '<bpmn:sequenceFlow id="flow_3" sourceRef="extra" targetRef="end" />')
    review = review_content(old, new)
    assert review.diagrams[0].added == ("extra", "flow_3")
    assert review.diagrams[0].changed == ("flow_2",)
    assert review.proposal.kind == MINOR, review.proposal.reasons


def test_a_removed_form_field_a_later_expression_reads_is_major():
    old = with_gateway(blank())
    form = json.loads(old[FORM])
    form["components"].append({"id": "c_sleep", "key": "sleep_hours", "type": "number", "label": "Timmar"})
    old[FORM] = json.dumps(form).encode()
    form["components"] = [c for c in form["components"] if c["key"] != "wellbeing"]
    new = {**old, FORM: json.dumps(form).encode()}
    review = review_content(old, new)
    assert review.proposal.kind == MAJOR
    [reason] = [r for r in review.proposal.reasons if r.code == "field_read_removed"]
    assert (reason.element_id, reason.detail, reason.other_id, reason.blocks) == (
        "first_answer", ("wellbeing",), "flow_bad", True)


def test_a_removed_field_nothing_reads_is_major_but_does_not_block():
    old = blank()
    form = json.loads(old[FORM])
    form["components"].append({"id": "c_sleep", "key": "sleep_hours", "type": "number", "label": "Timmar"})
    old[FORM] = json.dumps(form).encode()
    form["components"] = form["components"][:1]
    review = review_content(old, {**old, FORM: json.dumps(form).encode()})
    assert codes(review) == [("form_changed", "first_answer")]
    assert review.proposal.kind == MAJOR and review.proposal.blocking == ()


def test_a_changed_condition_is_major_and_diffed_with_its_element_id():
    old = with_gateway(blank())
    new = replaced(old, BPMN, 'wellbeing == "dåligt"', 'wellbeing in ("dåligt", "sådär")')
    review = review_content(old, new)
    assert codes(review) == [("logic_changed", "flow_bad")]
    [diff] = [d for d in review.text_diffs if d.what == "expression"]
    assert (diff.element_id, diff.field, diff.status) == ("flow_bad", "conditionExpression", "changed")
    assert [line.sign for line in diff.lines] == ["-", "+"]


def test_program_json_is_diffed_per_field():
    old = blank()
    meta = json.loads(old["program.json"])
    new = {**old, "program.json": json.dumps({**meta, "version": "0.2", "languages": ["sv", "en"]}).encode()}
    review = review_content(old, new)
    fields = {d.field: d for d in review.text_diffs if d.path == "program.json"}
    assert set(fields) == {"languages", "version"}
    assert ("+", '"0.2"') in [(line.sign, line.text) for line in fields["version"].lines]
    assert codes(review) == [("program_changed", "program.json")]  # the label alone is no reason


def test_every_expression_of_the_new_version_is_listed_by_element():
    files = with_gateway(blank())
    files = replaced(files, BPMN, '<bpmn:incoming>flow_1</bpmn:incoming>',
                     '<bpmn:incoming>flow_1</bpmn:incoming>'.replace(
                         "<bpmn:incoming>", '<bpmn:extensionElements><spiffworkflow:postScript>nights = 1'
                         '</spiffworkflow:postScript></bpmn:extensionElements><bpmn:incoming>', 1))
    review = review_content(files, files)
    listed = [(e.element_id, e.place, e.text) for e in review.expressions]
    assert listed == [("first_answer", "postScript", "nights = 1"),
                      ("flow_bad", "conditionExpression", 'wellbeing == "dåligt"')]
    assert [key[1] for key, _ in review.expressions_by_element] == ["first_answer", "flow_bad"]
    assert review.unchanged and review.text_diffs == ()


def test_a_first_publication_shows_everything_as_new_and_proposes_a_major_version():
    review = review_content(None, blank())
    assert review.first_version and review.proposal.kind == MAJOR
    [diagram] = review.diagrams
    assert diagram.old_xml is None and "first_answer" in diagram.added and diagram.removed == ()
    assert [r.code for r in review.proposal.reasons] == ["first_version"]


def test_a_task_that_changes_kind_blocks_a_running_program():
    old = blank()
    new = replaced(old, BPMN, '<bpmn:userTask id="first_answer"', '<bpmn:manualTask id="first_answer"')
    new = replaced(new, BPMN, "</bpmn:userTask>", "</bpmn:manualTask>")
    review = review_content(old, new)
    [reason] = review.proposal.reasons
    assert (reason.code, reason.element_id, reason.blocks, reason.detail) == (
        "kind_changed", "first_answer", True, ("userTask", "manualTask"))


def test_unreadable_bpmn_is_named_not_raised():
    old = blank()
    new = {**old, BPMN: b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'}
    review = review_content(old, new)
    assert review.diagrams[0].unreadable
    assert ("unreadable", BPMN) in codes(review)


def test_the_publisher_may_raise_minor_to_major_never_lower_it():
    assert may_change_kind(MINOR, MAJOR) and may_change_kind(MINOR, MINOR) and may_change_kind(MAJOR, MAJOR)
    assert not may_change_kind(MAJOR, MINOR)
    assert not may_change_kind(MINOR, "patch")
    assert allowed_kinds(MAJOR) == (MAJOR,) and allowed_kinds(MINOR) == (MINOR, MAJOR)


def test_the_loop_marker_the_engine_writes_on_storing_is_no_change():
    old = replaced(blank(), BPMN, "<bpmn:incoming>flow_1</bpmn:incoming>",
                   '<bpmn:standardLoopCharacteristics loopMaximum="3" /><bpmn:incoming>flow_1</bpmn:incoming>')
    stored = replaced(old, BPMN, 'loopMaximum="3"', 'loopMaximum="3" spiffworkflow:scriptsOnInstances="true"')
    assert review_content(old, stored).proposal.reasons == ()
    chosen = replaced(old, BPMN, 'loopMaximum="3"', 'loopMaximum="3" spiffworkflow:scriptsOnInstances="false"')
    assert codes(review_content(old, chosen)) == [("logic_changed", "first_answer")]
