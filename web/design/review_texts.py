"""The review's words: each proposal reason, element kind and changed facet in the visitor's
language, and the coverage diagrams of the new version in the shape static/design_coverage.js
draws. Template globals (registered by web/design/review.py), so any page that imports the macro
in design/_review.html has them."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

KINDS = {
    "userTask": _l("user task"), "manualTask": _l("manual task"), "scriptTask": _l("script task"),
    "task": _l("task"), "sendTask": _l("send task"), "receiveTask": _l("receive task"),
    "startEvent": _l("start event"), "endEvent": _l("end event"),
    "intermediateCatchEvent": _l("intermediate catch event"), "intermediateThrowEvent": _l("intermediate throw event"),
    "boundaryEvent": _l("boundary event"), "exclusiveGateway": _l("exclusive gateway"),
    "parallelGateway": _l("parallel gateway"), "inclusiveGateway": _l("inclusive gateway"),
    "eventBasedGateway": _l("event-based gateway"), "callActivity": _l("call activity"),
    "subProcess": _l("subprocess"), "sequenceFlow": _l("sequence flow"), "lane": _l("lane"),
    "process": _l("process"), "participant": _l("pool"), "textAnnotation": _l("note"),
    "timerEventDefinition": _l("timer"), "messageEventDefinition": _l("message"),
    "signalEventDefinition": _l("signal"), "conditionalEventDefinition": _l("condition"),
    "errorEventDefinition": _l("error"), "escalationEventDefinition": _l("escalation"),
    "terminateEventDefinition": _l("terminate"), "standardLoopCharacteristics": _l("loop"),
    "multiInstanceLoopCharacteristics": _l("multi-instance"),
    "multiInstanceLoopCharacteristics(sequential)": _l("sequential multi-instance"),
}

# Facet (design/bpmn_diff.py) -> what a designer calls it; the first matching piece wins.
FACETS = (
    ("extensionElements/instructionsForEndUser", _l("instructions")),
    ("property[formJsonSchemaFilename]", _l("form")),
    ("preScript", _l("pre-script")), ("postScript", _l("post-script")),
    ("conditionExpression", _l("condition")), ("script", _l("script")),
    ("timeDuration", _l("timer")), ("timeDate", _l("timer")), ("timeCycle", _l("timer")),
    ("LoopCharacteristics", _l("loop")), ("message", _l("message")), ("signal", _l("signal")),
    ("@calledElement", _l("called process")), ("@sourceRef", _l("where the flow goes")),
    ("@targetRef", _l("where the flow goes")), ("@default", _l("default flow")),
    ("@cancelActivity", _l("interrupting or not")), ("@attachedToRef", _l("the step it is attached to")),
    ("documentation", _l("documentation")), ("placed in", _l("the process it is in")),
    ("lane", _l("lane (role)")), ("kind", _l("kind")), ("name", _l("name")),
)

WHAT = {"form": _l("Form"), "text": _l("Text"), "scenario": _l("Scenario"), "program": _l("Program settings"),
        "expression": _l("Expression"), "instructions": _l("Instructions")}
CHANGES = {"added": _l("Added"), "removed": _l("Removed"), "changed": _l("Changed")}


def kind_label(kind: str) -> str:
    """'intermediateCatchEvent timerEventDefinition' -> 'intermediate catch event (timer)'."""
    tag, *parts = kind.split()
    label = str(KINDS.get(tag, tag))
    return f"{label} ({', '.join(str(KINDS.get(p, p)) for p in parts)})" if parts else label


def facet_label(facet: str) -> str:
    return next((str(label) for piece, label in FACETS if piece in facet), facet)


def facet_labels(facets) -> str:
    return ", ".join(dict.fromkeys(facet_label(f) for f in facets))


def change_label(status: str) -> str:
    return str(CHANGES.get(status, status))


def what_label(what: str) -> str:
    return str(WHAT.get(what, what))


def reason_text(reason) -> str:
    """One proposal reason as a sentence naming its element."""
    detail = list(reason.detail)
    words = {
        "first_version": lambda: _("First publication: there is no published version to compare with, so this "
                                   "is a new major version."),
        "added": lambda: _("%(id)s was added.", id=reason.element_id),
        "removed_wait": lambda: _("%(id)s was removed: a running program may be waiting there and could not "
                                  "continue.", id=reason.element_id),
        "removed": lambda: _("%(id)s was removed: the program no longer does it.", id=reason.element_id),
        "note_removed": lambda: _("%(id)s (a note) was removed.", id=reason.element_id),
        "flow_removed": lambda: _("%(id)s was removed: people no longer go that way.", id=reason.element_id),
        "flow_replaced": lambda: _("%(id)s was replaced by added steps.", id=reason.element_id),
        "flow_to_added": lambda: _("%(id)s now leads to an added step.", id=reason.element_id),
        "kind_changed": lambda: (_("%(id)s changed from %(old)s to %(new)s: a running program waiting there "
                                   "could not continue.", id=reason.element_id, old=kind_label(detail[0]),
                                   new=kind_label(detail[1])) if reason.blocks else
                                 _("%(id)s changed from %(old)s to %(new)s.", id=reason.element_id,
                                   old=kind_label(detail[0]), new=kind_label(detail[1]))),
        "moved": lambda: (_("%(id)s was moved into %(where)s: a running program waiting there could not "
                            "continue.", id=reason.element_id, where=detail[0]) if reason.blocks else
                          _("%(id)s was moved into %(where)s.", id=reason.element_id, where=detail[0])),
        "field_read_removed": lambda: _("%(id)s: the form field '%(field)s' was removed, but %(reader)s reads "
                                        "it: a running program could not continue.", id=reason.element_id,
                                        field=detail[0], reader=reason.other_id),
        "logic_changed": lambda: _("%(id)s: %(what)s changed, so the program may act differently for people "
                                   "already in it.", id=reason.element_id, what=facet_labels(detail)),
        "text_changed": lambda: _("%(id)s: only its text changed (%(what)s).", id=reason.element_id,
                                  what=facet_labels(detail)),
        "form_changed": lambda: _("%(id)s: the form %(form)s collects or checks something else (%(fields)s).",
                                  id=reason.element_id, form=detail[0], fields=", ".join(detail[1:])),
        "form_removed": lambda: _("%(id)s: the form %(form)s was removed.", id=reason.element_id, form=detail[0]),
        "form_fields_added": lambda: _("%(id)s: fields were added to the form %(form)s (%(fields)s).",
                                       id=reason.element_id, form=detail[0], fields=", ".join(detail[1:])),
        "form_texts": lambda: _("%(id)s: only labels and texts of the form %(form)s changed (%(fields)s).",
                                id=reason.element_id, form=detail[0], fields=", ".join(detail[1:])),
        "text_file": lambda: _("%(id)s: the text changed.", id=reason.element_id),
        "media": lambda: _("%(id)s: the picture changed.", id=reason.element_id),
        "program_text": lambda: _("program.json: the text %(field)s changed.", field=detail[0]),
        "program_changed": lambda: _("program.json: the setting %(field)s changed.", field=detail[0]),
        "unreadable": lambda: _("%(id)s cannot be read: %(reason)s", id=reason.element_id, reason=detail[0]),
    }
    make = words.get(reason.code)
    return make() if make else f"{reason.element_id}: {reason.code}"


def coverage_diagrams(review, coverage) -> list[dict]:
    """The new version's diagrams with what its runs took and never took (design_coverage.js)."""
    if coverage is None:
        return []
    taken = sorted(coverage.taken_elements | coverage.taken_flows)
    never = [item.id for item in coverage.never_taken]
    return [{"file": d.file, "xml": d.new_xml, "taken": taken, "never": never}
            for d in review.diagrams if d.new_xml is not None]


# Their names in templates: prefixed, as they are global to every page.
TEMPLATE_GLOBALS = {"review_kind": kind_label, "review_facets": facet_labels, "review_change": change_label,
                    "review_what": what_label, "review_reason": reason_text,
                    "review_coverage_diagrams": coverage_diagrams}
