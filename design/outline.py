"""What the modeler's properties offer as choices, read from a draft's files: the forms a user task
may name and the processes a call activity may call. The engine decides what is valid
(``forms/*.form`` and the instrument library by file name; a process of the same package); these
are the same sets, as lists to choose from."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

import engine

BPMN_MODEL = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


@dataclass(frozen=True)
class FormChoice:
    value: str  # what the user task names: the file name, as the engine looks it up
    path: str  # where it is: forms/x.form, or the instrument library's name
    library: bool


@dataclass(frozen=True)
class ProcessChoice:
    id: str
    name: str
    file: str


def forms(files: dict[str, bytes], library: frozenset[str]) -> list[FormChoice]:
    """The package's forms by path, then the instrument library's that the package does not shadow."""
    own = sorted(name for name in files if name.startswith("forms/") and name.endswith(".form"))
    names = {PurePosixPath(name).name for name in own}
    return ([FormChoice(PurePosixPath(name).name, name, False) for name in own]
            + [FormChoice(name, name, True) for name in sorted(library - names)])


def processes(files: dict[str, bytes], skip: str | None = None) -> list[ProcessChoice]:
    """The processes of every BPMN file but ``skip`` (the one in the modeler, which knows its own).
    A file the hardened parser refuses offers nothing; the live validation names it."""
    found = []
    for name in sorted(n for n in files if n.endswith(".bpmn") and n != skip):
        try:
            root = engine.parse_xml(files[name]).getroot()
        except engine.XmlRejected:
            continue
        found += [ProcessChoice(p.get("id"), p.get("name") or "", name)
                  for p in root.iter(f"{BPMN_MODEL}process") if p.get("id")]
    return found
