"""A looped or multi-instance step runs its pre- and postScript once per round or instance.

SpiffWorkflow 3.2.0 moves a looped task's preScript and postScript to the loop as a whole (they
run once, after the last round) unless the loop marker carries
``spiffworkflow:scriptsOnInstances="true"``. A designer who writes "rounds = rounds + 1" on a
weekly exercise means every time it is sent, so the engine sets the attribute wherever a looped
task has a script and the designer has not set it either way (an explicit "false" is kept).

It is set in the package's files when the package is checked, not only in the compiled spec: the
stored files then say what runs, their hash is the version's address, and the integrity check
(engine/integrity.py), which compiles the stored files again without changing them, reproduces
the stored spec both for versions stored since and for versions stored before (their files lack
the attribute, and so does the spec they were stored with).
"""
from __future__ import annotations

from lxml import etree

from engine import xmlsafe
from engine.bpmn_xml import SPIFF, q

ATTRIBUTE = q("scriptsOnInstances", SPIFF)
_MARKERS = (q("standardLoopCharacteristics"), q("multiInstanceLoopCharacteristics"))
_SCRIPTS = (q("preScript", SPIFF), q("postScript", SPIFF))


def mark(root) -> bool:
    """Set the attribute on every loop marker of a task with a script that lacks it; True if any."""
    changed = False
    for marker in root.iter(*_MARKERS):
        if marker.get(ATTRIBUTE) is None and _has_script(marker.getparent()):
            marker.set(ATTRIBUTE, "true")
            changed = True
    return changed


def mark_package(files: dict[str, bytes], trees: dict) -> dict[str, bytes]:
    """The files with the attribute set, and ``trees`` (the checked trees, compiled next) marked too.

    A changed file is written from a fresh parse of its own bytes: the checked tree has been
    through the schema check's preprocessing, which must not reach the stored file.
    """
    marked = dict(files)
    for name, tree in trees.items():
        if mark(tree.getroot()):
            fresh = xmlsafe.parse(files[name])
            mark(fresh.getroot())
            marked[name] = etree.tostring(fresh, xml_declaration=True, encoding="UTF-8")
    return marked


def _has_script(task) -> bool:
    extensions = task.find(q("extensionElements")) if task is not None else None
    return extensions is not None and any(extensions.find(tag) is not None for tag in _SCRIPTS)
