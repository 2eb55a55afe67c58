"""Would a moved instance miss data a later step reads? (engine/moves.py)

What is decided, and only this: a name that an expression or script *ahead* of the resident reads
(a gateway condition, a script, a timer, a loop condition, a message payload, a pre/post script of a
step ahead or of the current one) and that is neither in the instance's data now, nor written by
anything in the new version (a script's assignment, a form field, a message variable, a data
element), nor a platform function. Such a name cannot be there when the step runs, so the move is
refused with the element and the name.

What is not decided: whether a name written on *some* path of the new version is written on the
path this resident will take. That needs the data the resident has not given yet; the step will
then stop with an incident, as any program's fault does. A name only a Jinja text shows is not read.
"""
from __future__ import annotations

import ast
import builtins
import json
import re
import threading

from SpiffWorkflow.util.task import TaskState

from engine import xmlsafe
from engine.bpmn_xml import SPIFF, local, nearest_id, q
from engine.expressions import EXPRESSION_TAGS, NAME_TAGS, SCRIPT_TAGS
from engine.sandbox_functions import is_helper_name

_AHEAD = TaskState.PREDICTED_MASK | TaskState.FUTURE | TaskState.READY | TaskState.WAITING | TaskState.STARTED
_TIMER_TAGS = (q("timeDuration"), q("timeDate"), q("timeCycle"), q("loopCardinality"))
_ISO_LITERAL = re.compile(r"[0-9PTRYMWDHSZ:/.,+\-]+")
_BUILTINS = frozenset(dir(builtins))

_cache: dict = {}
_cache_lock = threading.Lock()


def missing_names(workflow, target) -> list[tuple[str, str]]:
    """(element id, name) for every name a step ahead reads that nothing can have set."""
    reads, written = _version_names(target)
    known = written | _BUILTINS | _data_names(workflow)
    found = []
    for process_id, element in _elements_ahead(workflow):
        for name in sorted(reads.get(process_id, {}).get(element, ())):
            if name not in known and not is_helper_name(name) and (element, name) not in found:
                found.append((element, name))
    return found


def _elements_ahead(workflow):
    """(process id, element id) of every current or predicted step; a call activity ahead puts
    every element of the process it calls ahead too (its subprocess does not exist yet)."""
    found = set()
    for flow in (workflow, *workflow.subprocesses.values()):
        for task in flow.tasks.values():
            element = getattr(task.task_spec, "bpmn_id", None)
            if element and task.has_state(_AHEAD):
                found.add((flow.spec.name, element))
                called = getattr(task.task_spec, "spec", None)
                if isinstance(called, str) and task.has_state(TaskState.PREDICTED_MASK | TaskState.FUTURE):
                    found.add((called, "*"))
    return found


def _data_names(workflow) -> set[str]:
    names = set(workflow.data)
    for flow in (workflow, *workflow.subprocesses.values()):
        names |= set(flow.data)
        for task in flow.tasks.values():
            if task.has_state(_AHEAD) or task.has_state(TaskState.COMPLETED):
                names |= set(task.data)
    return names


def _version_names(target):
    """Per process and element, the names its expressions read; and every name the version writes.
    A version never changes, so this is worked out once per process."""
    with _cache_lock:
        if target.content_hash in _cache:
            return _cache[target.content_hash]
    reads: dict = {}
    written: set = set()
    for process_id, text in target.process_files.items():
        root = xmlsafe.parse(text).getroot()
        process = next((p for p in root.iter(q("process")) if p.get("id") == process_id), None)
        if process is None:
            continue
        reads[process_id] = _reads(process)
        written |= _written(process)
    for form in target.form_files.values():
        written |= _form_keys(form)
    found = (reads, frozenset(written))
    with _cache_lock:
        _cache[target.content_hash] = found
    return found


def _reads(process) -> dict:
    sources = {flow.get("id"): flow.get("sourceRef") for flow in process.iter(q("sequenceFlow"))}
    everything: set = set()
    by_element: dict = {}
    for el in process.iter(*EXPRESSION_TAGS, *SCRIPT_TAGS, *_TIMER_TAGS):
        owner = nearest_id(el)
        owner = sources.get(owner, owner)  # a flow's condition is read when its gateway runs
        if el.tag in _TIMER_TAGS and _ISO_LITERAL.fullmatch((el.text or "").strip()):
            continue  # P7D, 2026-05-01T08:00Z: written as ISO text, not an expression (timers_iso)
        names = _loaded_names(el.text or "", script=el.tag in SCRIPT_TAGS)
        by_element.setdefault(owner, set()).update(names)
        everything |= names
    by_element["*"] = everything
    return by_element


def _written(process) -> set[str]:
    names = set()
    for el in process.iter(*SCRIPT_TAGS):
        names |= _stored_names(el.text or "")
    for el in process.iter(*NAME_TAGS):
        names.add((el.text or "").strip())
    for el in process.iter():
        tag = local(el)
        if "data" in tag.lower() or "Item" in tag or tag in ("property", "variableName"):
            names.update(v for v in (el.get("name"), el.get("id"), el.get("value")) if v)
    for el in process.iter(q("loopDataOutputRef"), q("outputDataItem"), q("inputDataItem"),
                           q("loopDataInputRef")):
        names.update(v for v in (el.text, el.get("id"), el.get("name")) if v)
    for el in process.iter(q("messageVariable", SPIFF)):
        names.add((el.text or "").strip())
    return names


def _loaded_names(text: str, script: bool) -> set[str]:
    tree = _parse(text, script)
    if tree is None:
        return set()
    loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return loaded - _stored_names(text) if script else loaded - _comprehension_names(tree)


def _stored_names(text: str) -> set[str]:
    tree = _parse(text, script=True)
    if tree is None:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _comprehension_names(tree) -> set[str]:
    return {n.id for c in ast.walk(tree) if isinstance(c, ast.comprehension)
            for n in ast.walk(c.target) if isinstance(n, ast.Name)}


def _parse(text: str, script: bool):
    """Text that does not parse as Python reads nothing here: the package check owns its errors."""
    try:
        return ast.parse(text.strip(), mode="exec" if script else "eval")
    except (SyntaxError, ValueError):
        return None


def _form_keys(form_text: str) -> set[str]:
    """Every field key of a form (form-js ``key``, JSON Schema ``properties``), at any depth."""
    try:
        form = json.loads(form_text)
    except ValueError:
        return set()
    names, stack = set(), [form]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("key"), str):
                names.add(item["key"])
            if isinstance(item.get("properties"), dict):
                names.update(item["properties"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return names
