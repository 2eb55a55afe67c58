"""A BPMN file from another tool made a draft, with a report per element of what the platform does
not run and what to do instead.

The file is read with the engine's hardened parser (design/files.py refuses hostile or broken XML
with a message, as for any draft); whatever parses becomes a draft, also when nothing in it can
run. Other tools' settings are removed (design/import_cleanup.py); everything drawn stays, so what
cannot run is still on the diagram, where the modeler marks it with the validator's findings.
The report is the validator's findings (design/package_check.py) with what to do instead
(design/import_advice.py), plus what only an import has: pools that never run, lanes that are not
roles, a main process marked not executable, conditions for another engine, elements without a
place on the diagram, and the settings removed.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from lxml import etree

import engine
from design import import_advice, import_cleanup, import_layout, template
from design.files import check_file
from design.import_cleanup import BPMN
from design.package_check import problems_of

BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
# The elements a designer sees as shapes or lines; without DI they cannot be seen.
DRAWN = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
    "businessRuleTask", "callActivity", "subProcess", "transaction", "adHocSubProcess",
    "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway",
    "sequenceFlow", "messageFlow", "participant", "lane", "dataObjectReference", "dataStoreReference",
}
_NOT_EXECUTABLE = re.compile(r"^Process .* is not executable\.$")
DOCUMENT = "(document)"
LAID_OUT = ("no diagram (DI) in the file: it was laid out automatically on import, so the modeler can show "
            "it; tidy the layout in the modeler")


@dataclass(frozen=True)
class Imported:
    """The draft's files and the report: one dict per element, {element, kind, name, findings}."""

    files: dict[str, bytes]
    entries: list[dict]


def prepare(file_name: str, data: bytes, program_name: str) -> Imported:
    """The package a BPMN file becomes, and its report; DesignError when the file cannot be a draft."""
    check_file(file_name, data)  # hostile or broken XML: refused with a message naming the file
    root = engine.parse_xml(data).getroot()
    removed = import_cleanup.strip_foreign(root)
    laid_out = import_layout.lay_out(root)
    bpmn = _serialised(root) if removed or laid_out else data
    main = _main_process(root)
    files = {file_name: bpmn, "program.json": _metadata(program_name, main)}
    check_file(file_name, bpmn)
    return Imported(files, entries(root, main, files, removed, laid_out))


def entries(root, main: str | None, files: dict[str, bytes], removed=(), laid_out: bool = False) -> list[dict]:
    """The report: every element with a finding, in the order of the file, the document's first."""
    findings: dict[str, list[str]] = {DOCUMENT: [LAID_OUT]} if laid_out else {}
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    for element, reason in [*_validator_findings(files), *drawing_findings(root, main)]:
        element = drawn_owner(by_id, element)
        if reason not in findings.setdefault(element, []):
            findings[element].append(reason)
    for element, text in _removed_findings(removed):
        findings.setdefault(element, []).append(text)
    _drop_duplicate_not_executable(findings, main)
    order = {element_id: n for n, element_id in enumerate(by_id)}
    return [_entry(element, by_id.get(element), reasons)
            for element, reasons in sorted(findings.items(), key=lambda item: order.get(item[0], -1))]


def drawing_findings(root, main: str | None) -> list[tuple[str, str]]:
    """What only an import checks, as (element id, finding): also for the modeler's live check."""
    return [*_not_executable(root, main), *_pools(root, main), *_lanes(root), *_conditions(root),
            *_undrawn(root)]


def drawing_problems(file_name: str, xml: bytes, main: str | None,
                     validator: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The modeler's live check: the validator's findings (file, element, reason) and then the
    import-only ones of the drawing, each on the shape that holds it; the validator's alone for XML
    the parser refuses (the validator says why)."""
    try:
        root = engine.parse_xml(xml).getroot()
    except engine.XmlRejected:
        return validator
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    own = [(file_name, element, reason) for element, reason in drawing_findings(root, main or _main_process(root))]
    return [(file, drawn_owner(by_id, element) if file == file_name else element, reason)
            for file, element, reason in [*validator, *own]]


def drawn_owner(by_id: dict, element_id: str) -> str:
    """A finding on a part the diagram does not draw (an event's definition, a task's property)
    belongs to the shape that holds it, where the modeler can mark it."""
    el = by_id.get(element_id)
    holder = el
    while holder is not None and isinstance(holder.tag, str) and holder.tag.split("}", 1)[-1] not in DRAWN:
        holder = holder.getparent()
    return holder.get("id") if holder is not None and holder is not el and holder.get("id") else element_id


def _validator_findings(files):
    try:
        found = problems_of(files)
    except Exception as error:  # noqa: BLE001 - an import must never fail: the draft is kept and says so
        return [(DOCUMENT, f"the validator could not check this file ({type(error).__name__}); open it in "
                           "the modeler and save it, then check again")]
    return [(element, import_advice.instead(reason)) for _file, element, reason in found]


def _removed_findings(removed):
    """Settings the platform has its own way for, on their element; the rest once for the file."""
    counted: dict[tuple[str, str], int] = {}
    for item in removed:
        counted[(item.element, item.name)] = counted.get((item.element, item.name), 0) + 1
    acted = [(element, import_advice.removed_setting(name, times))
             for (element, name), times in counted.items() if import_advice.needs_action(name)]
    elsewhere: dict[str, int] = {}
    for (_element, name) in counted:
        if not import_advice.needs_action(name):
            elsewhere[name] = elsewhere.get(name, 0) + 1
    return acted + [(DOCUMENT, import_advice.removed_everywhere(name, n)) for name, n in elsewhere.items()]


def _drop_duplicate_not_executable(findings, main):
    """SpiffWorkflow's own "Process X is not executable." says less than the import's finding."""
    if main and main in findings and any("marked not executable" in r for r in findings[main]):
        findings[main] = [r for r in findings[main] if not _NOT_EXECUTABLE.match(r)]


def _not_executable(root, main):
    process = _by_id(root, "process", main)
    if process is not None and process.get("isExecutable") != "true":
        return [(main, "the process is marked not executable, so it cannot run; mark it executable "
                       "(the process's properties: Executable)")]
    return []


def _pools(root, main):
    found = []
    participants = list(root.iter(_q("participant")))
    for pool in participants:
        process = pool.get("processRef")
        if process and process != main:
            found.append((pool.get("id"), (
                f"pool '{_name(pool)}': only the main process ({main}) runs, so the steps in this pool "
                "never start; move them into lanes of the main pool, or call this process from it "
                "with a call activity")))
    if len(participants) > 1:
        for flow in root.iter(_q("messageFlow")):
            found.append((flow.get("id"), (
                "message flow: a drawing only, since other pools do not run; a step that waits for "
                f"someone outside waits for a message the platform sends ('{engine.RESIDENT_MESSAGE}' "
                f"or a clinician's action '{engine.ACTION_PREFIX}<name>')")))
    return found


def _lanes(root):
    found = []
    for lane in root.iter(_q("lane")):
        if lane.find(_q("childLaneSet")) is not None:
            continue  # a lane divided into lanes: the inner lanes hold the steps
        if not _is_role(lane.get("name")):
            found.append((lane.get("id"), (
                f"lane '{_name(lane)}': not a role; rename the lane to the role that does its steps "
                f"({', '.join(_role_names())})")))
    return found


def _conditions(root):
    found = []
    for condition in root.iter(_q("conditionExpression"), _q("condition"), _q("completionCondition")):
        text = import_advice.condition_for_another_engine(condition.text or "")
        owner = condition.getparent()
        if text and owner is not None:
            found.append((owner.get("id") or DOCUMENT, text))
    return found


def _undrawn(root):
    drawn = {el.get("bpmnElement") for el in root.iter(f"{{{BPMNDI}}}BPMNShape", f"{{{BPMNDI}}}BPMNEdge")}
    if not list(root.iter(f"{{{BPMNDI}}}BPMNDiagram")):
        return [(DOCUMENT, "no diagram (DI): the file does not say where its elements are drawn, so the "
                           "modeler cannot show it; export it again with its diagram from the other tool, "
                           "or draw the process anew here")]
    return [(el.get("id"), "not on the diagram: the file has no shape for it, so the modeler cannot show "
                           "or change it; add it to the diagram in the other tool and import the file again")
            for el in root.iter(*(_q(kind) for kind in DRAWN)) if el.get("id") not in drawn]


def _entry(element: str, el, reasons: list[str]) -> dict:
    return {"element": element, "kind": _kind(el), "name": _name(el) if el is not None else "",
            "findings": reasons}


def _kind(el) -> str:
    """``boundaryEvent`` with a compensation definition as "boundary event (compensate)"."""
    if el is None or not isinstance(el.tag, str):
        return ""
    local = el.tag.split("}", 1)[-1]
    words = re.sub(r"(?<!^)([A-Z])", r" \1", local).lower()
    definition = next((c.tag.split("}", 1)[-1] for c in el if isinstance(c.tag, str)
                       and c.tag.endswith("EventDefinition")), None)
    return f"{words} ({definition.removesuffix('EventDefinition')})" if definition else words


def _main_process(root) -> str | None:
    """The first executable process, else the first process: the one program.json runs."""
    processes = list(root.iter(_q("process")))
    executable = [p for p in processes if p.get("isExecutable") == "true"]
    chosen = (executable or processes or [None])[0]
    return chosen.get("id") if chosen is not None else None


def _metadata(name: str, main: str | None) -> bytes:
    """program.json as design/template.py writes it, naming the process that runs."""
    metadata = {"id": template.program_key(name), "version": "0.1", "name": name, "kind": "treatment",
                "languages": ["sv"], "journal_items": []}
    if main:
        metadata["main_process"] = main
    return (json.dumps(metadata, ensure_ascii=False, indent=2) + "\n").encode()


def _serialised(root) -> bytes:
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


def _is_role(name: str | None) -> bool:
    wanted = " ".join((name or "").split()).casefold()
    return bool(wanted) and any(wanted in (key, label.casefold()) for key, label in engine.ROLES.items())


def _role_names() -> list[str]:
    return [engine.ROLES["invanare"], engine.ROLES["behandlare"]]


def _by_id(root, kind: str, element_id: str | None):
    return next((el for el in root.iter(_q(kind)) if el.get("id") == element_id), None) if element_id else None


def _name(el) -> str:
    return " ".join((el.get("name") or "").split()) if el is not None else ""


def _q(kind: str) -> str:
    return f"{{{BPMN}}}{kind}"


def file_name(uploaded: str) -> str:
    """The uploaded name's last part made a package name (the file kinds still decide: .bpmn only).
    Some tools save BPMN as .xml; the package calls it .bpmn."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", PurePosixPath(uploaded.replace("\\", "/")).name).lstrip("._")
    return name[:-4] + ".bpmn" if name.lower().endswith(".xml") else name

