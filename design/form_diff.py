"""What changed in a form-js form, component by component, for the minor/major proposal: a label,
description or English text is a text change; a field added is an addition; a field removed or a
changed type, key, validation, option value or property changes what the form collects. Read from
the JSON as it is (a draft's form may not load), never rendered or run."""
from __future__ import annotations

import json
from dataclasses import dataclass

TEXT_KEYS = frozenset({"label", "description", "text", "placeholder", "label_en", "description_en", "text_en"})
# What the editor generates or the server ignores: not a change anyone meets.
IGNORED_KEYS = frozenset({"id", "layout", "components"})


@dataclass(frozen=True)
class FormChanges:
    added: tuple = ()  # component keys (or ids for components without a key)
    removed: tuple = ()
    texts: tuple = ()  # only a text of it changed
    logic: tuple = ()  # what it collects or how it checks it changed


def field_keys(data: bytes | None) -> frozenset:
    """The keys of the form's fields (what becomes task data)."""
    return frozenset(key for key, component in _components(data).items() if component.get("key") == key)


def compare(old: bytes | None, new: bytes | None) -> FormChanges:
    before, after = _components(old), _components(new)
    texts, logic = [], []
    for key in sorted(set(before) & set(after)):
        if _logic(before[key]) != _logic(after[key]):
            logic.append(key)
        elif before[key] != after[key]:
            texts.append(key)
    return FormChanges(tuple(sorted(set(after) - set(before))), tuple(sorted(set(before) - set(after))),
                       tuple(texts), tuple(logic))


def _components(data: bytes | None) -> dict:
    """Key (else id) -> component, for every component at any depth; {} for what is not a form."""
    try:
        form = json.loads(data) if data else {}
    except ValueError:
        return {}
    found = {}
    stack = list(form.get("components") or []) if isinstance(form, dict) else []
    while stack:
        component = stack.pop()
        if not isinstance(component, dict):
            continue
        name = component.get("key") or component.get("id")
        if isinstance(name, str):
            found[name] = {k: v for k, v in component.items() if k != "components"}
        children = component.get("components")
        if isinstance(children, list):
            stack += children
    return found


def _logic(component: dict):
    """The component without its texts and what the editor generates."""
    kept = {k: v for k, v in component.items() if k not in TEXT_KEYS | IGNORED_KEYS}
    if isinstance(kept.get("values"), list):
        kept["values"] = [_without_texts(v) for v in kept["values"]]
    if isinstance(kept.get("properties"), dict):
        kept["properties"] = _without_texts(kept["properties"])
    return json.dumps(kept, sort_keys=True, ensure_ascii=False)


def _without_texts(value):
    return {k: v for k, v in value.items() if k not in TEXT_KEYS} if isinstance(value, dict) else value
