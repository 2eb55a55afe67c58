"""Forms between the package and the form editor, and the instrument library's locked blocks.

A package's ``forms/*.form`` is form-js JSON already (``forms/definition.py``), so the editor opens
it as it is. What the editor adds on save is its own bookkeeping: a ``layout`` with a generated row
id on every component. ``to_file`` drops that again, and when the form means the same as the file
it came from it gives back the file's own bytes, so opening and saving a form unchanged changes
nothing (``tests/design/test_form_schema.py`` checks every shipped form).

An instrument of the library (PHQ-9, GAD-7, MADRS-S, WHO-5) goes into a form as one *block*: a
group whose ``properties.instrument`` names it and whose components are the library form's, so a
resident sees the validated questions and ``score('phq9')`` finds its item keys. The block is locked:
``locked_block_problems`` refuses a save in which its questions differ from the library's.
"""
from __future__ import annotations

import json
import re
from typing import Any

import forms

EDITOR_BOOKKEEPING = ("layout",)
_INDENT = re.compile(rb"\n( +)\S")


class FormSchemaError(ValueError):
    """The editor sent something that is not a form-js document."""


def for_editor(data: bytes | None, form_id: str) -> dict:
    """The document the editor opens: the file's JSON, or an empty form for a new file."""
    if not data:
        return {"type": "default", "id": form_id, "schemaVersion": 19, "components": []}
    try:
        schema = json.loads(data)
    except ValueError:
        schema = None
    # A draft may hold a broken file; the editor then starts empty and the save replaces it.
    return schema if isinstance(schema, dict) else for_editor(None, form_id)


def parse(sent: Any) -> dict:
    """The editor's document from the posted text; FormSchemaError when it is no form-js object."""
    try:
        schema = json.loads(sent) if isinstance(sent, (str, bytes)) else sent
    except (ValueError, RecursionError):
        raise FormSchemaError("the form was not sent as JSON") from None
    if not isinstance(schema, dict) or not isinstance(schema.get("components"), list):
        raise FormSchemaError("the form has no list of components")
    return schema


def to_file(schema: dict, original: bytes | None = None) -> bytes:
    """The file to store for the editor's ``schema``: ``original`` itself when nothing but the
    editor's bookkeeping changed, else JSON indented like ``original`` (two spaces for a new file)."""
    clean = without_bookkeeping(schema)
    if original is not None:
        try:
            if json.loads(original) == clean:
                return original
        except ValueError:
            pass  # a broken file is replaced
    indent = _indent_of(original)
    return (json.dumps(clean, ensure_ascii=False, indent=indent) + "\n").encode("utf-8")


def without_bookkeeping(value: Any) -> Any:
    """``value`` with the editor's generated ``layout`` removed from every component (a layout
    with columns set is the designer's and stays)."""
    if isinstance(value, list):
        return [without_bookkeeping(item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key == "layout" and isinstance(item, dict) and item.get("columns") is None:
            continue
        out[key] = without_bookkeeping(item)
    return out


def _indent_of(original: bytes | None) -> int:
    found = _INDENT.search(original or b"")
    return len(found.group(1)) if found else 2


# The instrument library as locked blocks.

def instrument_blocks() -> list[dict]:
    """Each instrument of the library as {id, name_sv, name_en, block}, by id."""
    out = []
    for instrument_id in sorted(forms.instrument_ids()):
        instrument = forms.instrument(instrument_id)
        out.append({"id": instrument_id, "name_sv": instrument.name.sv, "name_en": instrument.name.en,
                    "block": instrument_block(instrument_id)})
    return out


def instrument_block(instrument_id: str) -> dict:
    """The group that puts the instrument's questions into a form, as the library has them."""
    instrument = forms.instrument(instrument_id)
    library_form = json.loads(forms.builtin_form(instrument.form))
    return {"type": "group", "id": f"Instrument_{instrument_id}", "label": "",
            "components": library_form["components"], "properties": {"instrument": instrument_id}}


def locked_block_problems(schema: dict) -> list[str]:
    """The instruments whose block in ``schema`` differs from the library's (or that the library
    does not have); empty when every block is intact."""
    known = set(forms.instrument_ids())
    problems = []
    for block in _blocks(schema.get("components")):
        instrument_id = block["properties"]["instrument"]
        if instrument_id not in known or without_bookkeeping(block.get("components")) != \
                instrument_block(instrument_id)["components"]:
            problems.append(str(instrument_id))
    return problems


def _blocks(components: Any):
    for component in components if isinstance(components, list) else []:
        if not isinstance(component, dict):
            continue
        props = component.get("properties")
        if component.get("type") == "group" and isinstance(props, dict) and "instrument" in props:
            yield component
        else:
            yield from _blocks(component.get("components"))
