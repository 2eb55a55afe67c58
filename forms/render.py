"""Server-side HTML for a form, usable without JavaScript (WCAG 2.1 AA).

Designer text is untrusted: every label, description and option is escaped via
Markup.format. The caller wraps the output in its own <form> with a CSRF token
and submit button, so neither appears here.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from markupsafe import Markup, escape

from .model import Component, Form, is_english

TEXTS = {
    "sv": {"required": "(obligatoriskt)", "summary": "Formuläret innehåller fel",
           "choose": "Välj …", "error": "Fel:"},
    "en": {"required": "(required)", "summary": "There is a problem with the form",
           "choose": "Choose …", "error": "Error:"},
}
OPTION_GROUPS = {"radio", "checklist"}


def render_form(form: Form, data: Any = None, errors: dict | None = None, locale: str = "sv",
                markdown: Callable[[str], Markup] | None = None) -> Markup:
    """HTML for all components; `data` (dict or MultiDict) refills, `errors` marks fields."""
    ctx = _Ctx(data, errors, "en" if is_english(locale) else "sv", markdown)
    parts = [_summary(form, ctx)] if ctx.errors else []
    parts += [_component(c, ctx) for c in form.components]
    return Markup('<div class="form-body">\n{}\n</div>').format(Markup("\n").join(parts))


def field_id(comp: Component) -> str:
    """The id a link should point at: the input itself, or a group's first option."""
    return f"f-{comp.key}-0" if comp.type in OPTION_GROUPS else f"f-{comp.key}"


class _Ctx:
    def __init__(self, data: Any, errors: dict | None, locale: str, markdown=None):
        # The caller's safe Markdown for text blocks (the same as module pages); without one,
        # text is shown as escaped paragraphs. The form package itself renders no Markdown.
        self.markdown = markdown
        self.data = data if data is not None else {}
        self.locale = locale
        self.t = TEXTS[locale]
        # Accept a bare string as well as a list, and drop empty entries.
        self.errors = {str(k): [m] if isinstance(m, str) else list(m) for k, m in (errors or {}).items() if m}

    def values(self, key: str) -> list[str]:
        """Submitted or stored values for key, as text for comparing with options."""
        if hasattr(self.data, "getlist"):
            raw = list(self.data.getlist(key))
        else:
            value = self.data.get(key) if hasattr(self.data, "get") else None
            raw = [] if value is None else value if isinstance(value, (list, tuple)) else [value]
        return [_text(v) for v in raw]

    def value(self, key: str) -> str:
        vals = self.values(key)
        return vals[0] if vals else ""


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _attrs(**attrs: Any) -> Markup:
    # Keyword names use _ for -, e.g. aria_describedby; True means a bare attribute.
    out = []
    for name, value in attrs.items():
        name = name.rstrip("_").replace("_", "-")
        if value is None or value is False:
            continue
        out.append(Markup(" {}").format(name) if value is True else Markup(' {}="{}"').format(name, value))
    return Markup("").join(out)


def _summary(form: Form, ctx: _Ctx) -> Markup:
    items = []
    known = {c.key: c for c in form.fields}
    # Form order first, so the summary reads like the form; then anything else
    # (unknown fields, whole-form errors) as plain text, since there is nothing to link to.
    for comp in form.fields:
        for msg in ctx.errors.get(comp.key, []):
            items.append(Markup('<li><a href="#{}">{}: {}</a></li>').format(
                field_id(comp), _words(comp, "label", ctx), msg))
    for key, msgs in ctx.errors.items():
        if key not in known:
            for msg in msgs:
                items.append(Markup("<li>{}</li>").format(msg if key == "_schema" else f"{key}: {msg}"))
    return Markup(
        '<div class="form-error-summary" role="alert" tabindex="-1" aria-labelledby="form-error-summary-title">'
        '<h2 id="form-error-summary-title">{}</h2><ul>{}</ul></div>'
    ).format(ctx.t["summary"], Markup("").join(items))


def _component(comp: Component, ctx: _Ctx) -> Markup:
    if comp.type == "text":
        text, lang = comp.localized("text", ctx.locale), _lang(comp, "text", ctx)
        if ctx.markdown is not None:
            return Markup('<div class="form-text"{}>{}</div>').format(lang, ctx.markdown(text))
        return _paragraphs(text, lang)
    if comp.type == "group":
        inner = Markup("\n").join(_component(c, ctx) for c in comp.components)
        label = _words(comp, "label", ctx)
        if label:
            return Markup('<fieldset class="form-group"><legend>{}</legend>\n{}\n</fieldset>').format(label, inner)
        return Markup('<div class="form-group">\n{}\n</div>').format(inner)
    return _field(comp, ctx)


def _lang(item, attr: str, ctx: _Ctx) -> Markup:
    """` lang="sv"` when an English page shows the Swedish ``attr`` because there is no English one
    (WCAG 3.1.2: a screen reader then reads it with Swedish pronunciation)."""
    if ctx.locale == "en" and getattr(item, attr) and not getattr(item, attr + "_en", None):
        return Markup(' lang="sv"')
    return Markup("")


def _words(item, attr: str, ctx: _Ctx) -> Markup | str:
    """The text in the page's language; Swedish shown on an English page is marked as Swedish."""
    english = getattr(item, attr + "_en", None) if ctx.locale == "en" else None
    text = english or getattr(item, attr) or ""
    lang = _lang(item, attr, ctx)
    return Markup("<span{}>{}</span>").format(lang, text) if lang else text


def _paragraphs(text: str, lang: Markup = Markup("")) -> Markup:
    # Blank lines separate paragraphs and single newlines become <br>; no other
    # Markdown, so designer text can never inject markup.
    paras = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    body = Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in p.split("\n"))) for p in paras)
    return Markup('<div class="form-text"{}>{}</div>').format(lang, body)


def _field(comp: Component, ctx: _Ctx) -> Markup:
    fid, errs = f"f-{comp.key}", ctx.errors.get(comp.key, [])
    desc = _words(comp, "description", ctx)
    hint_id = f"{fid}-hint" if desc else None
    err_id = f"{fid}-error" if errs else None
    described = " ".join(i for i in (hint_id, err_id) if i) or None
    label = Markup("{}{}").format(
        _words(comp, "label", ctx),
        Markup(' <span class="form-required">{}</span>').format(ctx.t["required"]) if comp.required else "")
    hint = Markup('<p class="form-hint" id="{}">{}</p>').format(hint_id, desc) if desc else Markup("")
    error = Markup("").join(
        Markup('<p class="form-error" id="{}"><span class="visually-hidden">{}</span> {}</p>').format(
            err_id, ctx.t["error"], m) for m in errs)
    css = "form-field form-field--error" if errs else "form-field"
    common = dict(aria_invalid="true" if errs else None, aria_describedby=described)
    if comp.type in OPTION_GROUPS:
        return _option_group(comp, ctx, fid, css, label, hint + error, common)
    req = dict(required=comp.required, aria_required="true" if comp.required else None)
    if comp.type == "checkbox":
        checked = ctx.value(comp.key).lower() in ("on", "true", "1", "yes")
        control = Markup('<input type="checkbox"{}>').format(_attrs(
            id=fid, name=comp.key, value="on", checked=checked, **req, **common))
        # The box comes first and the label follows, the usual checkbox layout.
        return Markup('<div class="{} form-checkbox">{} <label for="{}">{}</label>{}{}</div>').format(
            css, control, fid, label, hint, error)
    control = _control(comp, ctx, fid, {**req, **common})
    return Markup('<div class="{}"><label for="{}">{}</label>{}{}{}</div>').format(
        css, fid, label, hint, error, control)


def _control(comp: Component, ctx: _Ctx, fid: str, extra: dict) -> Markup:
    value = ctx.value(comp.key)
    if comp.type == "textarea":
        return Markup("<textarea{}>{}</textarea>").format(_attrs(
            id=fid, name=comp.key, rows="5", maxlength=comp.max_length, **extra), value)
    if comp.type == "select":
        options = [Markup('<option value="">{}</option>').format(ctx.t["choose"])]
        options += [Markup("<option{}{}>{}</option>").format(
            _attrs(value=str(o.value), selected=str(o.value) == value), _lang(o, "label", ctx), _option_label(o, ctx))
            for o in comp.options]
        return Markup("<select{}>{}</select>").format(_attrs(id=fid, name=comp.key, **extra), Markup("").join(options))
    if comp.type == "number":
        num = lambda n: None if n is None else _text(n)  # noqa: E731
        return Markup("<input{}>").format(_attrs(
            type="number", id=fid, name=comp.key, value=value,
            inputmode="numeric" if comp.integer else "decimal",
            step=comp.step or ("1" if comp.integer else "any"), min=num(comp.min), max=num(comp.max), **extra))
    if comp.type == "datetime":
        return Markup("<input{}>").format(_attrs(type="date", id=fid, name=comp.key, value=value, **extra))
    return Markup("<input{}>").format(_attrs(
        type="text", id=fid, name=comp.key, value=value, maxlength=comp.max_length, **extra))


def _option_label(option, ctx: _Ctx) -> str:
    return (option.label_en or option.label) if ctx.locale == "en" else option.label


def _option_group(comp: Component, ctx: _Ctx, fid: str, css: str, legend: Markup, notes: Markup,
                  common: dict) -> Markup:
    radio = comp.type == "radio"
    chosen = set(ctx.values(comp.key))
    rows = []
    for i, opt in enumerate(comp.options):
        oid = f"{fid}-{i}"
        # Native `required` on radios means "pick one"; on checkboxes it would
        # mean "tick every box", so a required checklist only says so in the legend.
        control = Markup("<input{}>").format(_attrs(
            type="radio" if radio else "checkbox", id=oid, name=comp.key, value=str(opt.value),
            checked=str(opt.value) in chosen, required=radio and comp.required,
            aria_invalid=common["aria_invalid"]))
        rows.append(Markup('<div class="form-option">{} <label for="{}">{}</label></div>').format(
            control, oid, _words(opt, "label", ctx)))
    # A fieldset may take role=radiogroup, which (unlike a plain group) supports aria-required.
    group_attrs = _attrs(id=fid, class_=css, role="radiogroup" if radio else None,
                         aria_required="true" if radio and comp.required else None,
                         aria_describedby=common["aria_describedby"])
    return Markup("<fieldset{}><legend>{}</legend>{}{}</fieldset>").format(
        group_attrs, legend, notes, Markup("\n").join(rows))
