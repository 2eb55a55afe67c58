"""What to do instead, for what a BPMN file from another tool has and the platform does not run:
the validator says what is wrong, this adds the way out (docs/ENGINE.md, "Constructs")."""
from __future__ import annotations

import re

# BPMN element kinds the validator refuses -> what to draw instead.
INSTEAD = {
    "complexGateway": "use an exclusive or inclusive gateway with conditions",
    "serviceTask": "calling other systems is not supported yet; a script task can compute a value, "
                   "a user task gives the step to a person",
    "businessRuleTask": "decision tables (DMN) are not supported yet; decide with conditions on the "
                        "flows out of an exclusive gateway",
    "transaction": "use an embedded subprocess, and draw any undo steps as tasks",
    "cancelEventDefinition": "cancel events belong to transactions; end the subprocess with an error "
                             "end event and catch it with a boundary error event",
    "compensateEventDefinition": "compensation is not supported; draw the undo step as a task on the "
                                 "path that needs it",
    "linkEventDefinition": "connect the two places with a sequence flow",
    "adHocSubProcess": "use an embedded subprocess: a parallel gateway for steps that all happen, an "
                       "exclusive gateway for one of them",
    "dataStoreReference": "a program keeps its data with the resident's program (task data and "
                          "answers); delete the data store",
    "dataStore": "delete the data store; a program keeps its data with the resident's program",
    "dataState": "delete the state; a data object's value is its state",
    "resourceRef": "who does a step follows its lane: put the task in the lane of the role",
    "potentialOwner": "who does a step follows its lane: put the task in the lane of the role",
    "performer": "who does a step follows its lane: put the task in the lane of the role",
    "humanPerformer": "who does a step follows its lane: put the task in the lane of the role",
    "resource": "who does a step follows its lane: name the lanes after roles",
    "globalTask": "draw the task in the process itself",
    "globalUserTask": "draw the task in the process itself",
    "globalManualTask": "draw the task in the process itself",
    "globalScriptTask": "draw the task in the process itself",
    "choreography": "choreographies are not supported; draw a process",
    "choreographyTask": "choreographies are not supported; draw a process",
    "subChoreography": "choreographies are not supported; draw a process",
    "callChoreography": "choreographies are not supported; draw a process",
    "import": "the program cannot use other files' definitions; draw what it needs in this file",
    "interface": "the platform calls no outside services; delete it",
    "operation": "the platform calls no outside services; delete it",
}
DEFAULT_INSTEAD = "delete it or draw the step another way (docs/ENGINE.md lists what runs)"
_UNSUPPORTED = re.compile(r"the element '(\w+)' is not supported by Vårdflöde$")

# Other tools' settings removed on import (design/import_cleanup.py) -> where the platform has it.
SETTING_INSTEAD = {
    "formKey": "choose the form in the task's properties",
    "formRef": "choose the form in the task's properties",
    "formField": "choose the form in the task's properties",
    "formData": "choose the form in the task's properties",
    "userTaskForm": "choose the form in the task's properties",
    "assignee": "who does a step follows its lane: put the task in the lane of the role",
    "candidateGroups": "who does a step follows its lane: put the task in the lane of the role",
    "candidateUsers": "who does a step follows its lane: put the task in the lane of the role",
    "assignmentDefinition": "who does a step follows its lane: put the task in the lane of the role",
    "class": "the platform calls no Java or outside code",
    "delegateExpression": "the platform calls no Java or outside code",
    "expression": "the platform calls no Java or outside code",
    "decisionRef": "decision tables (DMN) are not supported yet; decide with conditions on the flows "
                   "out of an exclusive gateway",
    "taskDefinition": "the platform calls no outside workers",
    "topic": "the platform calls no outside workers",
    "type": "the platform calls no outside workers",
    "inputOutput": "the step reads and writes the program's data itself; use a script task for a value",
    "ioMapping": "the step reads and writes the program's data itself; use a script task for a value",
    "executionListener": "use a script task on the path for what the listener did",
    "taskListener": "use a script task on the path for what the listener did",
    "asyncBefore": "the platform decides itself when a step runs in the background",
    "asyncAfter": "the platform decides itself when a step runs in the background",
}
DEFAULT_SETTING = "the platform does not read it"


def instead(reason: str) -> str:
    """The validator's reason with what to do instead, when the platform knows a way."""
    refused = _UNSUPPORTED.match(reason)
    if refused is None:
        return reason
    return f"{reason}; {INSTEAD.get(refused.group(1), DEFAULT_INSTEAD)}"


def needs_action(name: str) -> bool:
    """Whether a removed setting did something the designer must now do the platform's way."""
    return _local(name) in SETTING_INSTEAD


def removed_setting(name: str, times: int) -> str:
    counted = f" ({times} times)" if times > 1 else ""
    instead_of_it = SETTING_INSTEAD.get(_local(name), DEFAULT_SETTING)
    return f"{name}{counted}: another tool's setting, removed on import; {instead_of_it}"


def removed_everywhere(name: str, elements: int) -> str:
    """A setting that only mattered to the other tool (layout, metadata): one line for the file."""
    counted = "1 element" if elements == 1 else f"{elements} elements"
    return f"{name}: another tool's setting, removed on import from {counted}; {DEFAULT_SETTING}"


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1].rsplit("}", 1)[-1]


def condition_for_another_engine(text: str) -> str | None:
    """JUEL (``${a > 1}``) and FEEL (``= a > 1``) conditions from Camunda and Zeebe: a finding, or None."""
    stripped = text.strip()
    if stripped.startswith("=") or "${" in stripped or "#{" in stripped:
        inner = stripped.lstrip("=").strip()
        inner = re.sub(r"^[$#]\{(.*)\}$", r"\1", inner, flags=re.S).strip()
        return (f"the condition '{stripped[:80]}' is written for another engine (JUEL or FEEL); write it as "
                f"a Python expression over the program's data, e.g. {inner[:60] or 'answer == 1'}")
    return None
