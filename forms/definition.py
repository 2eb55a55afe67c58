"""Load and check form-js JSON documents (schemaVersion 19) for server-side use.

Designers save forms with the form-js editor; clinicians and patients never run
form-js. We only accept the subset we can render and validate ourselves, and we
report every problem at once so a designer can fix a form in one round trip.
"""
from __future__ import annotations

import json
import re
from typing import Any

from .model import Component, Form, FormError, Option

MAX_BYTES = 200 * 1024
MAX_COMPONENTS = 500
MAX_PATTERN = 200
MAX_DEPTH = 10

INPUT_TYPES = {"textfield", "textarea", "number", "checkbox", "checklist", "radio", "select", "datetime"}
STATIC_TYPES = {"text", "group"}
OPTION_TYPES = {"checklist", "radio", "select"}
KEY_RE = re.compile(r"[a-z][a-z0-9_]{0,62}")  # used with fullmatch: "$" would let "name\n" through
# The page wrapping the form posts its own CSRF field; a form field with that
# name would be silently overwritten, so we refuse it up front.
RESERVED_KEYS = {"csrf_token"}

# Which validate.* keys make sense per type. Anything else is refused rather
# than ignored, so nobody believes a rule is enforced when it is not.
VALIDATE_KEYS = {
    "textfield": {"required", "minLength", "maxLength", "pattern"},
    "textarea": {"required", "minLength", "maxLength", "pattern"},
    "number": {"required", "min", "max"},
}
HINTS = {
    "button": " (the page adds its own submit button)",
    "expression": " (FEEL expressions are not supported)",
}


def load_form(raw: dict | bytes | str, name: str) -> Form:
    """Parse and check a form-js document; raise FormError listing every problem."""
    doc = _decode(raw, name)
    top = doc.get("components")
    if not isinstance(top, list):
        raise FormError(name, [(None, "the document has no 'components' list")])
    count, depth = _measure(top)
    if count > MAX_COMPONENTS:
        raise FormError(name, [(None, f"too many components ({count}, at most {MAX_COMPONENTS})")])
    if depth > MAX_DEPTH:
        raise FormError(name, [(None, f"groups are nested too deeply (at most {MAX_DEPTH} levels)")])
    checker = _Checker()
    try:
        components = checker.components(top, "components")
    except RecursionError:  # absurdly nested values inside one component
        raise FormError(name, [(None, "the document is nested too deeply")]) from None
    if checker.problems:
        raise FormError(name, checker.problems)
    return Form(name, components, checker.fields)


def _decode(raw: Any, name: str) -> dict:
    # Measure before parsing so a huge upload costs us nothing but a len().
    if isinstance(raw, dict):
        try:
            size = len(json.dumps(raw, ensure_ascii=False).encode())
        except (TypeError, ValueError, RecursionError):
            raise FormError(name, [(None, "the document is not plain JSON data")]) from None
    elif isinstance(raw, (bytes, str)):
        size = len(raw.encode() if isinstance(raw, str) else raw)
    else:
        raise FormError(name, [(None, f"expected JSON text or an object, got {type(raw).__name__}")])
    if size > MAX_BYTES:
        raise FormError(name, [(None, f"the document is too large ({size} bytes, at most {MAX_BYTES})")])
    if not isinstance(raw, dict):
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise FormError(name, [(None, f"not valid JSON ({exc})")]) from None
    if not isinstance(raw, dict):
        raise FormError(name, [(None, "the document must be a JSON object")])
    return raw


def _measure(items: Any, depth: int = 1) -> tuple[int, int]:
    """(component count, nesting depth), so absurd documents fail before the full check."""
    count, deepest = 0, depth
    for c in items if isinstance(items, list) else []:
        count += 1
        if isinstance(c, dict) and isinstance(c.get("components"), list) and depth <= MAX_DEPTH:
            n, d = _measure(c["components"], depth + 1)
            count, deepest = count + n, max(deepest, d)
        elif isinstance(c, dict) and c.get("components"):
            deepest = depth + 1
    return count, deepest


def _feel_paths(value: Any, path: str) -> list[str]:
    """Paths of string values starting with '=', which form-js treats as FEEL."""
    if isinstance(value, str):
        return [path] if value.startswith("=") else []
    if isinstance(value, dict):
        return [p for k, v in value.items() if k != "components" for p in _feel_paths(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _feel_paths(v, f"{path}[{i}]")]
    return []


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class _Checker:
    """Walks the component tree, collecting problems instead of stopping at the first."""

    def __init__(self):
        self.problems: list[tuple[str | None, str]] = []
        self.fields: list[Component] = []
        self.ids: set[str] = set()
        self.keys: set[str] = set()

    def components(self, items: list, where: str) -> list[Component]:
        out = []
        for i, raw in enumerate(items):
            comp = self.component(raw, f"{where}[{i}]")
            if comp is not None:
                out.append(comp)
        return out

    def component(self, raw: Any, where: str) -> Component | None:
        if not isinstance(raw, dict):
            self.problems.append((where, "a component must be a JSON object"))
            return None
        cid = raw.get("id")
        # Name the component by id when it has a usable one, else by its position.
        ref = cid if isinstance(cid, str) and cid else where
        bad = lambda reason: self.problems.append((ref, reason))  # noqa: E731
        ctype = raw.get("type")
        if not isinstance(ctype, str) or ctype not in INPUT_TYPES | STATIC_TYPES:
            bad(f"unsupported component type {ctype!r}{HINTS.get(ctype, '') if isinstance(ctype, str) else ''}")
            return None
        if not isinstance(cid, str) or not cid.strip() or len(cid) > 100:
            bad("every component needs a non-empty 'id' (at most 100 characters)")
        elif cid in self.ids:
            bad(f"duplicate id {cid!r}")
        self.ids.add(cid if isinstance(cid, str) else where)
        if "conditional" in raw:
            bad("conditional visibility ('conditional') is not supported")
        for key in ("valuesKey", "valuesExpression"):
            if key in raw:
                bad(f"dynamic options ({key!r}) are not supported; list the options in 'values'")
        for path in _feel_paths(raw, ""):
            bad(f"FEEL expressions are not supported (in '{path}')")
        props = raw.get("properties") or {}
        if not isinstance(props, dict):
            bad("'properties' must be an object")
            props = {}
        text = lambda v, what: v if isinstance(v, str) else (bad(f"{what} must be text") or "")  # noqa: E731
        opt_text = lambda v, what: None if v is None else text(v, what)  # noqa: E731
        comp = Component(
            type=ctype, id=ref,
            label=text(raw.get("dateLabel" if ctype == "datetime" else "label", raw.get("label", "")), "'label'"),
            label_en=opt_text(props.get("label_en"), "'properties.label_en'"),
            description=text(raw.get("description", ""), "'description'"),
            description_en=opt_text(props.get("description_en"), "'properties.description_en'"),
            shown_to_resident=props.get("shown_to_resident") in (True, "true"),
        )
        if ctype == "text":
            comp.text = text(raw.get("text", ""), "'text'")
            comp.text_en = opt_text(props.get("text_en"), "'properties.text_en'")
            return comp
        if ctype == "group":
            if raw.get("path"):
                bad("groups with a 'path' (nested data) are not supported")
            children = raw.get("components", [])
            if not isinstance(children, list):
                bad("a group's 'components' must be a list")
                children = []
            comp.components = self.components(children, f"{where}.components")
            return comp
        self.input(raw, comp, props, bad)
        self.fields.append(comp)
        return comp

    def input(self, raw: dict, comp: Component, props: dict, bad) -> None:
        ctype, key = comp.type, raw.get("key")
        if not comp.label.strip():
            bad("needs a 'label' (every input must have a visible label)")
        if not isinstance(key, str) or not KEY_RE.fullmatch(key):
            bad(f"'key' must be lowercase letters, digits and underscores, starting with a letter "
                f"(at most 63 characters), got {key!r}")
        elif key in RESERVED_KEYS:
            bad(f"'key' {key!r} is reserved")
        elif key in self.keys:
            bad(f"duplicate key {key!r}")
        else:
            self.keys.add(key)
        comp.key = key if isinstance(key, str) else None
        if ctype == "datetime" and raw.get("subtype", "date") != "date":
            bad(f"only date fields are supported (subtype 'date'), got subtype {raw.get('subtype')!r}")
        if ctype == "datetime" and raw.get("disallowPassedDates"):
            bad("'disallowPassedDates' is not supported")
        self.validation(raw.get("validate", {}), comp, bad)
        if ctype == "number":
            self.number(raw, comp, props, bad)
        if ctype in OPTION_TYPES:
            self.options(raw.get("values"), comp, bad)

    def validation(self, rules: Any, comp: Component, bad) -> None:
        if not isinstance(rules, dict):
            bad("'validate' must be an object")
            return
        allowed = VALIDATE_KEYS.get(comp.type, {"required"})
        for k in rules:
            if k not in allowed:
                bad(f"validation rule {k!r} is not supported for {comp.type}")
        req = rules.get("required", False)
        if not isinstance(req, bool):
            bad("'validate.required' must be true or false")
        comp.required = req is True
        for k, attr in (("minLength", "min_length"), ("maxLength", "max_length")):
            v = rules.get(k)
            if v is not None and k in allowed:
                if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
                    setattr(comp, attr, v)
                else:
                    bad(f"'validate.{k}' must be a whole number of 0 or more")
        for k in ("min", "max"):
            v = rules.get(k)
            if v is not None and k in allowed:
                if _is_number(v):
                    setattr(comp, k, v)
                else:
                    bad(f"'validate.{k}' must be a number")
        if comp.min is not None and comp.max is not None and comp.min > comp.max:
            bad("'validate.min' is greater than 'validate.max'")
        if comp.min_length is not None and comp.max_length is not None and comp.min_length > comp.max_length:
            bad("'validate.minLength' is greater than 'validate.maxLength'")
        pattern = rules.get("pattern")
        if pattern is not None and "pattern" in allowed:
            if not isinstance(pattern, str) or len(pattern) > MAX_PATTERN:
                bad(f"'validate.pattern' must be text of at most {MAX_PATTERN} characters")
            else:
                try:
                    comp.pattern = re.compile(pattern)
                except re.error as exc:
                    bad(f"'validate.pattern' is not a valid regular expression ({exc})")

    def number(self, raw: dict, comp: Component, props: dict, bad) -> None:
        digits = raw.get("decimalDigits")
        if digits is not None and not (isinstance(digits, int) and not isinstance(digits, bool) and digits >= 0):
            bad("'decimalDigits' must be a whole number of 0 or more")
        comp.integer = props.get("integer") == "true" or digits == 0
        if comp.integer:
            for k in ("min", "max"):
                v = getattr(comp, k)
                if isinstance(v, float) and not v.is_integer():
                    bad(f"'validate.{k}' must be a whole number for an integer field")
        inc = raw.get("increment")
        if inc not in (None, ""):
            # form-js stores increment as text; keep it only if it is a positive number.
            try:
                ok = not isinstance(inc, bool) and 0 < float(inc) < float("inf")
            except (TypeError, ValueError):
                ok = False
            if ok:
                comp.step = str(inc)
            else:
                bad("'increment' must be a positive number")

    def options(self, values: Any, comp: Component, bad) -> None:
        if not isinstance(values, list) or not values:
            bad("needs a non-empty 'values' list of {label, value}")
            return
        seen = set()
        for i, opt in enumerate(values):
            if not isinstance(opt, dict) or not isinstance(opt.get("label"), str) or not opt["label"].strip():
                bad(f"values[{i}] needs a non-empty 'label'")
                continue
            v = opt.get("value")
            if isinstance(v, bool) or not isinstance(v, (str, int)) or v == "":
                bad(f"values[{i}] needs a 'value' that is non-empty text or a whole number")
                continue
            if v in seen:
                bad(f"values[{i}]: duplicate value {v!r}")
            seen.add(v)
            en = opt.get("label_en")
            comp.options.append(Option(opt["label"], v, en if isinstance(en, str) else None))
        if len({isinstance(o.value, int) for o in comp.options}) > 1:
            bad("option values must be all text or all whole numbers, not a mix")
