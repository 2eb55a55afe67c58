"""The platform's minor/major proposal for a new version, with a reason per change (issue 12).

Major when a running program could not continue on the new version (``blocks``): a step, event,
call or join it may be waiting in was removed, changed in kind or moved into another process; a
form field that an expression reads was removed. Minor only when every change is a text (names,
documentation, instructions, texts/*.md), a form's labels, a picture, or an addition. Anything
else (a condition, script, timer, lane, form field or program.json setting changed; a flow that
no longer leads where it did) changes what the program does for people already in it, so it is
major too, with a reason that says so but does not claim the program would stop. The publisher may
raise minor to major, never lower it (``may_change_kind``).

"Read by an expression" means read anywhere in the new version, not only after the step: a
cautious stand-in for "a later expression", since a proposal can only be raised.
"""
from __future__ import annotations

from dataclasses import dataclass

from design import bpmn_diff, form_diff, text_diff

MINOR, MAJOR = "minor", "major"
# Where a running instance can stand and wait (a timer start event too: the first step waits on it).
WAITABLE = frozenset({
    "userTask", "manualTask", "receiveTask", "intermediateCatchEvent", "boundaryEvent", "eventBasedGateway",
    "callActivity", "subProcess", "transaction", "parallelGateway", "inclusiveGateway", "complexGateway",
    "startEvent"})
# Pure annotation: removing it changes nothing anyone meets.
NOTES = frozenset({"textAnnotation", "association", "group", "category"})
PROGRAM_TEXT_FIELDS = frozenset({"name", "description"})
FORM_REF = "extensionElements/properties/property[formJsonSchemaFilename]"


@dataclass(frozen=True)
class Reason:
    """Why the proposal is what it is: one change, naming the element (or file) it is about."""

    code: str
    element_id: str
    major: bool
    blocks: bool = False  # a running program could not continue on the new version
    detail: tuple = ()  # what changed: facet names, form field keys, a program.json field
    other_id: str = ""  # a second element: the one whose expression reads a removed field


@dataclass(frozen=True)
class Proposal:
    kind: str  # MINOR or MAJOR
    reasons: tuple
    first_version: bool = False

    @property
    def blocking(self) -> tuple:
        return tuple(r for r in self.reasons if r.blocks)


def may_change_kind(proposed: str, chosen: str) -> bool:
    """The publisher may keep the proposal or raise minor to major; never lower major to minor."""
    return chosen in (MINOR, MAJOR) and (chosen == proposed or (proposed, chosen) == (MINOR, MAJOR))


def allowed_kinds(proposed: str) -> tuple:
    return (MINOR, MAJOR) if proposed == MINOR else (MAJOR,)


def first_version() -> Proposal:
    """Nothing published to compare with: a first version is a new major version (1.0)."""
    return Proposal(MAJOR, (Reason("first_version", "program.json", True),), first_version=True)


def propose(diagrams, old_files: dict, new_files: dict, expressions) -> Proposal:
    reasons = [*_element_reasons(diagrams), *_field_reasons(diagrams, old_files, new_files, expressions),
               *_form_reasons(diagrams, old_files, new_files), *_file_reasons(old_files, new_files)]
    return Proposal(MAJOR if any(r.major for r in reasons) else MINOR, tuple(reasons))


def _element_reasons(diagrams):
    old = {i: e for d in diagrams for i, e in d.old.items()}
    new = {i: e for d in diagrams for i, e in d.new.items()}
    added = set(new) - set(old)
    for diagram in diagrams:
        if diagram.unreadable:
            yield Reason("unreadable", diagram.file, True, detail=(diagram.unreadable,))
        for el_id in diagram.added:
            if el_id not in old:  # an element moved between files is compared below, not added
                yield Reason("added", el_id, False)
        for el_id in diagram.removed:
            if el_id not in new:
                yield from _removed(old[el_id], new, added)
    for el_id in sorted(set(old) & set(new)):
        changes = bpmn_diff.facet_changes(old[el_id].facets, new[el_id].facets)
        if changes:
            yield _changed(old[el_id], new[el_id], changes, added)


def _removed(element, new: dict, added: set):
    waits = element.kind in WAITABLE
    if element.kind in NOTES:
        yield Reason("note_removed", element.id, False)
    elif element.kind == "sequenceFlow":
        source, target = element.facets.get("@sourceRef"), element.facets.get("@targetRef")
        if source in new and target in new:  # else the removed end is the reason
            yield (Reason("flow_replaced", element.id, False) if _leads_through_added(source, target, new, added)
                   else Reason("flow_removed", element.id, True))
    else:
        yield Reason("removed_wait" if waits else "removed", element.id, True, blocks=waits)


def _changed(old, new, changes: tuple, added: set) -> Reason:
    waits = old.kind in WAITABLE
    if "kind" in changes:
        return Reason("kind_changed", old.id, True, blocks=waits, detail=(old.kind, new.kind))
    if "placed in" in changes:
        return Reason("moved", old.id, True, blocks=waits, detail=(new.facets.get("placed in", ""),))
    texts = bpmn_diff.TEXT_FACETS if old.kind != "lane" else frozenset()  # a lane's name is its role
    if set(changes) <= texts or old.kind in NOTES:
        return Reason("text_changed", old.id, False, detail=changes)
    if old.kind == "sequenceFlow" and set(changes) - texts <= {"@sourceRef", "@targetRef"} and all(
            new.facets.get(end) in added for end in ("@sourceRef", "@targetRef")
            if old.facets.get(end) != new.facets.get(end)):
        return Reason("flow_to_added", old.id, False, detail=changes)
    return Reason("logic_changed", old.id, True, detail=changes)


def _leads_through_added(source: str, target: str, new: dict, added: set) -> bool:
    """Whether the new version goes from source to target through added elements only (a step
    inserted where the removed flow was)."""
    outgoing = {}
    for element in new.values():
        if element.kind == "sequenceFlow":
            outgoing.setdefault(element.facets.get("@sourceRef"), []).append(element.facets.get("@targetRef"))
    seen, stack = set(), [source]
    while stack:
        for step in outgoing.get(stack.pop(), []):
            if step == target:
                return True
            if step in added and step not in seen:
                seen.add(step)
                stack.append(step)
    return False


def _field_reasons(diagrams, old_files, new_files, expressions):
    """A field a step's form asked for is gone from that step's form, and some expression reads it."""
    readers = {}
    for expression in expressions:
        for name in expression.reads:
            readers.setdefault(name, expression.element_id)
    old_forms, new_forms = _form_refs(d.old for d in diagrams), _form_refs(d.new for d in diagrams)
    for task_id, form in sorted(old_forms.items()):
        if task_id not in new_forms:
            continue  # the removed step is its own reason
        gone = (form_diff.field_keys(old_files.get(form)) - form_diff.field_keys(new_files.get(new_forms[task_id])))
        for key in sorted(gone & set(readers)):
            yield Reason("field_read_removed", task_id, True, blocks=True, detail=(key,), other_id=readers[key])


def _form_reasons(diagrams, old_files, new_files):
    users = {}
    for task_id, form in sorted({**_form_refs(d.old for d in diagrams), **_form_refs(d.new for d in diagrams)}.items()):
        users.setdefault(form, task_id)
    for path in sorted(p for p in set(old_files) | set(new_files) if p.startswith("forms/")):
        before, after = old_files.get(path), new_files.get(path)
        if before == after:
            continue
        where = users.get(path, path)
        if after is None:
            yield Reason("form_removed", where, True, detail=(path,))
            continue
        changes = form_diff.compare(before, after)
        if changes.removed or changes.logic:
            yield Reason("form_changed", where, True, detail=(path, *changes.removed, *changes.logic))
        if changes.added:
            yield Reason("form_fields_added", where, False, detail=(path, *changes.added))
        if changes.texts:
            yield Reason("form_texts", where, False, detail=(path, *changes.texts))


def _file_reasons(old_files, new_files):
    for path in sorted(set(old_files) | set(new_files)):
        before, after = old_files.get(path), new_files.get(path)
        if before == after:
            continue
        if path.startswith("texts/"):
            yield Reason("text_file", path, False)
        elif path.startswith("media/"):
            yield Reason("media", path, False)
        elif path == "program.json":
            yield from _program_reasons(before, after)


def _program_reasons(before, after):
    for diff in text_diff.program_diffs(before, after):
        if diff.field == "version":
            continue  # the label is what the publisher is choosing
        if diff.field in PROGRAM_TEXT_FIELDS:
            yield Reason("program_text", "program.json", False, detail=(diff.field,))
        else:
            yield Reason("program_changed", "program.json", True, detail=(diff.field or "program.json",))


def _form_refs(element_maps) -> dict:
    """User task id -> the package path of the form it names (forms/<value>)."""
    found = {}
    for elements in element_maps:
        for element in elements.values():
            value = element.facets.get(FORM_REF, "")
            if element.kind == "userTask" and value:
                found[element.id] = "forms/" + value
    return found
