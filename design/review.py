"""What the publisher's review shows about a new version against the published one (issue 12):
per BPMN file the elements added, removed and changed; a line diff of every changed form, text,
scenario, program.json field, expression and instruction; every expression of the new version by
element; and the minor/major proposal with its reasons. Plain Python on two dicts of files
(path -> bytes): no database, no Flask, and nothing in them is run.

Building blocks: ``bpmn_diff`` (elements by id), ``text_diff`` (line diffs), ``form_diff`` (form
components), ``change_kind`` (the proposal), ``engine.package_expressions`` (the expressions the
engine evaluates).
"""
from __future__ import annotations

from dataclasses import dataclass

import engine
from design import bpmn_diff, change_kind, text_diff
from design.change_kind import MAJOR, MINOR, Proposal, Reason, allowed_kinds, may_change_kind  # noqa: F401

TEXT_KINDS = (("forms/", "form"), ("texts/", "text"), ("scenarios/", "scenario"))
PIECES = (("extensionElements/instructionsForEndUser", "instructions"), ("documentation", "instructions"))


@dataclass(frozen=True)
class ChangedElement:
    """One line of the text alternative to the diagrams."""

    id: str
    kind: str  # BPMN tag
    name: str
    change: str  # "added", "removed", "changed"
    facets: tuple = ()  # for "changed": what differs (name, lane, conditionExpression, ...)


@dataclass(frozen=True)
class DiagramChanges:
    """One BPMN file in both versions, with the ids to mark on each diagram."""

    file: str
    old_xml: str | None  # None: the published version has no such file
    new_xml: str | None  # None: the file was removed
    added: tuple
    removed: tuple
    changed: tuple
    elements: tuple  # ChangedElement, removed and changed first as they matter most
    unreadable: str = ""

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class FileChange:
    path: str
    status: str  # "added", "removed", "changed"


@dataclass(frozen=True)
class ReviewContent:
    diagrams: tuple  # DiagramChanges, one per BPMN file of either version, the main file first
    text_diffs: tuple  # text_diff.TextDiff
    expressions: tuple  # engine.Expression of the new version, in file and document order
    proposal: Proposal
    files: tuple  # FileChange for every file that differs (media too)
    first_version: bool

    @property
    def expressions_by_element(self) -> tuple:
        """((file, element id, element name), [expressions]) in order of first appearance."""
        grouped = {}
        for expression in self.expressions:
            grouped.setdefault((expression.file, expression.element_id, expression.element_name), []).append(expression)
        return tuple(grouped.items())

    @property
    def unchanged(self) -> bool:
        return not self.files and not self.first_version


def review_content(old_files: dict[str, bytes] | None, new_files: dict[str, bytes]) -> ReviewContent:
    """The review of ``new_files`` against the published ``old_files`` (None: nothing published,
    so everything is new and the proposal is a first, major version)."""
    first = old_files is None
    old_files = old_files or {}
    file_diffs = _main_first([bpmn_diff.diff_file(path, old_files.get(path), new_files.get(path))
                              for path in sorted(p for p in set(old_files) | set(new_files) if p.endswith(".bpmn"))],
                             new_files.get("program.json") or old_files.get("program.json"))
    old_expressions = engine.package_expressions(old_files)
    new_expressions = engine.package_expressions(new_files)
    proposal = (change_kind.first_version() if first
                else change_kind.propose(file_diffs, old_files, new_files, new_expressions))
    return ReviewContent(
        diagrams=tuple(_diagram(d, old_files, new_files) for d in file_diffs),
        text_diffs=tuple(_file_text_diffs(old_files, new_files) + _expression_diffs(old_expressions, new_expressions)
                         + _piece_diffs(file_diffs)),
        expressions=tuple(new_expressions), proposal=proposal,
        files=tuple(_file_changes(old_files, new_files)), first_version=first)


def _main_first(file_diffs: list, program_json: bytes | None) -> list:
    """The file that defines program.json's main_process first (the one the modeler opens)."""
    main = (text_diff.read_json(program_json) or {}).get("main_process")
    main = main if isinstance(main, str) else None

    def defines_main(diff) -> bool:
        element = diff.new.get(main) or diff.old.get(main)
        return element is not None and element.kind == "process"
    return sorted(file_diffs, key=lambda diff: not defines_main(diff))


def _diagram(diff: bpmn_diff.FileDiff, old_files, new_files) -> DiagramChanges:
    elements = ([ChangedElement(i, diff.old[i].kind, diff.old[i].name, "removed") for i in diff.removed]
                + [ChangedElement(i, diff.new[i].kind, diff.new[i].name or diff.old[i].name, "changed", facets)
                   for i, facets in diff.changed.items()]
                + [ChangedElement(i, diff.new[i].kind, diff.new[i].name, "added") for i in diff.added])
    return DiagramChanges(diff.file, _xml(old_files.get(diff.file)), _xml(new_files.get(diff.file)),
                          diff.added, diff.removed, tuple(diff.changed), tuple(elements), diff.unreadable)


def _file_text_diffs(old_files, new_files) -> list:
    found = []
    for path in sorted(set(old_files) | set(new_files)):
        before, after = old_files.get(path), new_files.get(path)
        if before == after:
            continue
        if path == "program.json":
            found += text_diff.program_diffs(before, after)
            continue
        what = next((kind for prefix, kind in TEXT_KINDS if path.startswith(prefix)), None)
        if what:
            found.append(text_diff.file_diff(what, path, before, after))
    return found


def _expression_diffs(old_expressions, new_expressions) -> list:
    """One diff per expression added, removed or changed, keyed by (element, place, n-th)."""
    before, after = _keyed(old_expressions), _keyed(new_expressions)
    found = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if (old and old.text) != (new and new.text):
            found.append(text_diff.piece_diff("expression", (new or old).file, key[0], key[1],
                                              old.text if old else None, new.text if new else None))
    return found


def _keyed(expressions) -> dict:
    """(element id, place, n-th of that place) -> expression; not by file, so an element moved
    to another file keeps its expressions."""
    keyed, seen = {}, {}
    for expression in expressions:
        place = (expression.element_id, expression.place)
        seen[place] = seen.get(place, 0) + 1
        keyed[(*place, seen[place])] = expression
    return keyed


def _piece_diffs(file_diffs) -> list:
    """Instructions and documentation of elements, which are texts a resident or clinician reads."""
    found = []
    for diff in file_diffs:
        for el_id in sorted(set(diff.old) | set(diff.new)):
            old, new = diff.old.get(el_id), diff.new.get(el_id)
            for facet, what in PIECES:
                before = old.facets.get(facet) if old else None
                after = new.facets.get(facet) if new else None
                if before != after:
                    found.append(text_diff.piece_diff(what, diff.file, el_id, facet.rsplit("/", 1)[-1], before, after))
    return found


def _file_changes(old_files, new_files) -> list[FileChange]:
    return [FileChange(path, "added" if path not in old_files else "removed" if path not in new_files else "changed")
            for path in sorted(set(old_files) | set(new_files)) if old_files.get(path) != new_files.get(path)]


def _xml(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", "replace")
