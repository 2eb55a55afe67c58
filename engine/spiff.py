"""Everything that touches SpiffWorkflow objects directly: parsing, the sandboxed script engine,
and a serializer that keeps the spec out of each instance's state.

SpiffWorkflow embeds the whole spec in every serialized instance (SPIFFWORKFLOW.md §4). We store a
program version's specs once, keep the parsed spec objects in a per-process cache, and serialize an
instance as its own task tree only; loading splices the cached spec objects back in, which also
skips rebuilding the spec on every load.
"""
from __future__ import annotations

import json
import threading
import zlib

from SpiffWorkflow import task as spiff_task
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser, VALIDATOR
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from engine import clock, gateway_timers, sandbox
from engine.errors import SandboxError

clock.install_into_spiffworkflow(spiff_timer, spiff_task)
gateway_timers.install()

STATE_FORMAT = 1  # bump when the stored state layout changes; old rows need a migration


class SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """SpiffWorkflow's script environment, backed by the restricted evaluator (no eval/exec)."""

    def evaluate(self, expression, context, external_context=None):
        names = dict(external_context or {})
        names.update(context)
        return sandbox.evaluate(expression, names)

    def execute(self, script, context, external_context=None):
        sandbox.execute(script, context)
        return True

    def call_service(self, context, **kwargs):
        raise SandboxError("service tasks are not supported")


class SandboxScriptEngine(PythonScriptEngine):
    """Validation uses our checker; the library's default call_service has a NameError bug."""

    def __init__(self):
        super().__init__(environment=SandboxEnvironment())

    def validate(self, expression):
        problems = sandbox.check_expression(expression)
        if problems:
            raise SandboxError(problems[0])

    def call_service(self, task, **kwargs):
        raise SandboxError("service tasks are not supported")


SCRIPT_ENGINE = SandboxScriptEngine()


def xsd_errors(tree) -> list[tuple[object, int, str]]:
    """Every XSD violation as (element or None, line, message); the library reports only the last."""
    VALIDATOR.preprocess(tree)
    schema = VALIDATOR.validator
    if schema.validate(tree):
        return []
    return [(_element_at(tree, e.path), e.line, e.message) for e in schema.error_log]


def _element_at(tree, path):
    try:
        namespaces = {k: v for k, v in tree.getroot().nsmap.items() if k}
        found = tree.xpath(path, namespaces=namespaces) if path else []
    except Exception:  # lxml paths with unusual prefixes are not always valid XPath
        return None
    return found[0] if found else None


def parse_specs(trees: dict, process_id: str):
    """Parse already-checked trees and return (spec, subprocess_specs) for ``process_id``."""
    parser = SpiffBpmnParser(validator=None)  # XSD already checked, with all errors reported
    for name, tree in trees.items():
        parser.add_bpmn_xml(tree, filename=name)
    return parser.get_spec(process_id), parser.get_subprocess_specs(process_id)


class _StateConverter(BpmnWorkflowConverter):
    """Serializes a workflow without its specs and restores it onto cached spec objects."""

    def to_dict(self, workflow):
        dct = super(BpmnWorkflowConverter, self).to_dict(workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def restore(self, dct, spec, subprocess_specs):
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=SCRIPT_ENGINE, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], _uuid, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(_uuid(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _uuid(value):
    from uuid import UUID
    return UUID(value)


class _Codec(threading.local):
    """One serializer per thread: ``serialize_json`` toggles shared registry state (pitfall 16)."""

    def __init__(self):
        registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
        self.serializer = BpmnWorkflowSerializer(registry)
        self.registry = registry
        # A converter registers itself for its class, so ours gets a registry of its own and the
        # default one keeps writing SpiffWorkflow's full format (the benchmark's baseline).
        self.state_registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
        self.state = _StateConverter(BpmnWorkflow, self.state_registry)
        self.state_serializer = BpmnWorkflowSerializer(self.state_registry)


_codec = _Codec()


def spec_to_json(spec, subprocess_specs) -> str:
    """The specs of a version, stored once per content hash."""
    registry = _codec.registry
    registry._encoder_mode = True
    try:
        dct = {"spec": registry.convert(spec),
               "subprocess_specs": {k: registry.convert(v) for k, v in subprocess_specs.items()}}
        return json.dumps(dct, cls=_codec.serializer._encoder_cls)
    finally:
        registry._encoder_mode = False


def spec_registry():
    """The registry that converts specs to dicts: what ``SpecDiff`` compares specs with."""
    return _codec.registry


def spec_from_json(text: str):
    dct = json.loads(text, cls=_codec.serializer.json_decoder_cls)
    registry = _codec.registry
    spec = registry.restore(dct["spec"])
    subs = {k: registry.restore(v) for k, v in dct["subprocess_specs"].items()}
    return spec, subs


def new_workflow(spec, subprocess_specs) -> BpmnWorkflow:
    return BpmnWorkflow(spec, subprocess_specs, script_engine=SCRIPT_ENGINE)


def dump_state(workflow) -> bytes:
    """The instance's own state: task tree and data, no specs, zlib-compressed JSON."""
    registry = _codec.state_registry
    registry._encoder_mode = True
    try:
        dct = _codec.state.to_dict(workflow)
        text = json.dumps(dct, cls=_codec.state_serializer._encoder_cls, separators=(",", ":"))
    finally:
        registry._encoder_mode = False
    return zlib.compress(text.encode("utf-8"), 1)


def load_state(blob: bytes, spec, subprocess_specs) -> BpmnWorkflow:
    dct = json.loads(zlib.decompress(blob), cls=_codec.state_serializer.json_decoder_cls)
    return _codec.state.restore(dct, spec, subprocess_specs)


def default_serialization(workflow) -> str:
    """SpiffWorkflow's own full serialization (used by the benchmark as the baseline)."""
    return _codec.serializer.serialize_json(workflow)


def default_deserialization(text: str) -> BpmnWorkflow:
    workflow = _codec.serializer.deserialize_json(text)
    workflow.script_engine = SCRIPT_ENGINE
    return workflow
