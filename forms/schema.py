"""Server-side validation of submitted form data with marshmallow.

form-js only validates in the browser (and in English), so every submission is
checked again here, with messages in the user's language. Clean data is what
goes into task data, so it must stay JSON-friendly: dates come back as ISO
"YYYY-MM-DD" strings, exactly what form-js itself would submit.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load
from marshmallow import validate as v

from .model import Component, Form, is_english

MESSAGES = {
    "sv": {
        "required": "Fältet måste fyllas i.",
        "must_check": "Kryssa i rutan för att fortsätta.",
        "choose_one": "Välj ett av alternativen.",
        "choose_some": "Välj minst ett alternativ.",
        "range": "Värdet måste vara mellan {min} och {max}.",
        "min": "Värdet måste vara minst {min}.",
        "max": "Värdet får vara högst {max}.",
        "length": "Texten måste vara mellan {min} och {max} tecken lång.",
        "min_length": "Texten måste vara minst {min} tecken lång.",
        "max_length": "Texten får vara högst {max} tecken lång.",
        "format": "Felaktigt format.",
        "number": "Ange ett tal.",
        "integer": "Ange ett heltal.",
        "date": "Ange ett datum i formatet ÅÅÅÅ-MM-DD.",
        "unknown": "Okänt fält.",
        "input": "Felaktiga indata.",
    },
    "en": {
        "required": "This field is required.",
        "must_check": "Tick the box to continue.",
        "choose_one": "Choose one of the options.",
        "choose_some": "Choose at least one option.",
        "range": "The value must be between {min} and {max}.",
        "min": "The value must be at least {min}.",
        "max": "The value must be at most {max}.",
        "length": "The text must be between {min} and {max} characters long.",
        "min_length": "The text must be at least {min} characters long.",
        "max_length": "The text must be at most {max} characters long.",
        "format": "Invalid format.",
        "number": "Enter a number.",
        "integer": "Enter a whole number.",
        "date": "Enter a date in the format YYYY-MM-DD.",
        "unknown": "Unknown field.",
        "input": "Invalid input.",
    },
}


class _Integer(fields.Integer):
    # marshmallow's non-strict Integer turns 2.5 into 2; a patient typing 2.5
    # into a whole-number field should be told, not silently truncated.
    def _validated(self, value: Any) -> int:
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class _IsoDate(fields.Date):
    # Validate as a date but keep the ISO text: task data must stay JSON-serialisable.
    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).isoformat()


class _FormSchema(Schema):
    """Base for generated schemas: tidies raw HTML form input before validation."""

    _components: dict[str, Component] = {}

    @pre_load
    def _normalize(self, data, **kwargs):
        return normalize(self._components, data)


def normalize(components: dict[str, Component], data: Any) -> Any:
    """Turn browser input into what the fields expect.

    Browsers send "" for untouched inputs and repeat a name for each ticked
    checkbox; we treat blanks as missing so optional fields get their default
    and required ones get "required" rather than a confusing format error.
    """
    if hasattr(data, "getlist"):
        flat = {}
        for key in list(data.keys()):
            values = list(data.getlist(key))
            comp = components.get(key)
            is_list = comp is not None and comp.type == "checklist"
            # A repeated single-value field stays a list, so it fails as invalid.
            flat[key] = values if is_list or len(values) != 1 else values[0]
        data = flat
    elif isinstance(data, Mapping):
        data = dict(data)
    else:
        return data  # marshmallow reports the wrong input type
    out = {}
    for key, value in data.items():
        comp = components.get(key)
        if comp is not None:
            value = _tidy(comp, value)
            if value is None or value == "" or value == []:
                continue
        out[key] = value
    return out


def _tidy(comp: Component, value: Any) -> Any:
    if comp.type == "checklist":
        items = value if isinstance(value, list) else [value]
        out, seen = [], set()
        for item in items:  # drop blanks and repeats; odd items are left for the field to reject
            if isinstance(item, (str, int)):
                if item == "" or item in seen:
                    continue
                seen.add(item)
            elif item is None:
                continue
            out.append(item)
        return out
    if not isinstance(value, str):
        return value
    if comp.type == "textarea":
        return value if value.strip() else ""
    if comp.type == "number":
        return value.strip().replace(",", ".")  # Swedish decimal comma
    return value.strip()


def _fmt(number: float | int, locale: str) -> str:
    text = str(int(number)) if float(number).is_integer() else str(number)
    return text if is_english(locale) else text.replace(".", ",")


def _localize(field: fields.Field, invalid: str, required: str) -> fields.Field:
    # Replace every built-in (English) message so none can leak to a Swedish user.
    for key in field.error_messages:
        field.error_messages[key] = invalid
    field.error_messages["required"] = field.error_messages["null"] = required
    return field


def _range_message(lo, hi, kind: str, msg: dict, locale: str) -> str:
    prefix = "" if kind == "value" else "_length"
    lo_s = None if lo is None else _fmt(lo, locale)
    hi_s = None if hi is None else _fmt(hi, locale)
    if lo is not None and hi is not None:
        return msg["range" if kind == "value" else "length"].format(min=lo_s, max=hi_s)
    if lo is not None:
        return msg["min" + prefix].format(min=lo_s)
    return msg["max" + prefix].format(max=hi_s)


def _pattern_validator(comp: Component, message: str):
    # Same semantics as form-js (JavaScript RegExp.test): the pattern must be
    # found somewhere in the value; designers anchor with ^...$ for a full match.
    def check(value: str) -> None:
        if not comp.pattern.search(value):
            raise ValidationError(message)
    return check


def _option_field(comp: Component, msg: dict, required_msg: str, **kwargs) -> fields.Field:
    # Option values may be numbers in the form; HTML always sends text, so coerce.
    choices = [o.value for o in comp.options]
    kind = _Integer if comp.int_options else fields.String
    field = kind(validate=v.OneOf(choices, error=msg["choose_one"]), **kwargs)
    return _localize(field, msg["choose_one"], required_msg)


def build_field(comp: Component, locale: str = "sv") -> fields.Field:
    msg = MESSAGES["en" if is_english(locale) else "sv"]
    req = comp.required
    opt: dict[str, Any] = {"required": True} if req else {}
    validators: list = []
    if comp.type in ("textfield", "textarea"):
        if comp.min_length is not None or comp.max_length is not None:
            validators.append(v.Length(comp.min_length, comp.max_length,
                                       error=_range_message(comp.min_length, comp.max_length, "text", msg, locale)))
        if comp.pattern is not None:
            validators.append(_pattern_validator(comp, msg["format"]))
        field = fields.String(validate=validators, **(opt or {"load_default": ""}))
        return _localize(field, msg["format"], msg["required"])
    if comp.type == "number":
        if comp.min is not None or comp.max is not None:
            validators.append(v.Range(comp.min, comp.max, error=_range_message(comp.min, comp.max, "value", msg, locale)))
        kind, invalid = (_Integer, msg["integer"]) if comp.integer else (fields.Float, msg["number"])
        field = kind(validate=validators, **(opt or {"load_default": None}))
        return _localize(field, invalid, msg["required"])
    if comp.type == "checkbox":
        if req:
            validators.append(v.Equal(True, error=msg["must_check"]))
        field = fields.Boolean(validate=validators, **(opt or {"load_default": False}))
        return _localize(field, msg["format"], msg["must_check"])
    if comp.type == "checklist":
        inner = _option_field(comp, msg, msg["choose_some"])
        field = fields.List(inner, **(opt or {"load_default": list}))
        return _localize(field, msg["format"], msg["choose_some"])
    if comp.type in ("radio", "select"):
        return _option_field(comp, msg, msg["choose_one"], **(opt or {"load_default": None}))
    if comp.type == "datetime":
        return _localize(_IsoDate(**(opt or {"load_default": None})), msg["date"], msg["required"])
    raise ValueError(f"not an input component: {comp.type}")  # load_form never lets this through


def build_schema(form: Form, locale: str = "sv") -> Schema:
    """A marshmallow schema instance for the form; unknown fields are rejected."""
    msg = MESSAGES["en" if is_english(locale) else "sv"]
    cls = _FormSchema.from_dict({c.key: build_field(c, locale) for c in form.fields}, name="FormSchema")
    cls._components = {c.key: c for c in form.fields}
    cls.error_messages = {"unknown": msg["unknown"], "type": msg["input"]}
    return cls(unknown=RAISE)


def validate(form: Form, data: Any, locale: str = "sv") -> tuple[dict, dict[str, list[str]]]:
    """(clean_data, errors) for submitted data; errors map field key -> messages.

    Never raises for anything a user can send. On any error clean_data is
    empty, so callers cannot accidentally store a half-valid submission.
    """
    try:
        return build_schema(form, locale).load({} if data is None else data), {}
    except ValidationError as err:
        messages = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
        return {}, {str(k): _flatten(m) for k, m in messages.items()}


def _flatten(messages: Any) -> list[str]:
    # List fields report per-item errors as {index: [...]}; users need one list.
    out: list[str] = []
    items = messages.values() if isinstance(messages, dict) else messages if isinstance(messages, list) else [messages]
    for item in items:
        for text in (_flatten(item) if isinstance(item, (dict, list)) else [str(item)]):
            if text not in out:
                out.append(text)
    return out
