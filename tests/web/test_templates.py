"""Template rules the CSP and i18n depend on: no inline scripts, styles or event handlers (the CSP
would block them), and no visible text outside ``_()`` (it would stay Swedish or English for all)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import ROOT

TEMPLATES = sorted(p for p in (ROOT / "web").rglob("templates/**/*.html"))
JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.S)
# Proper nouns and signs that read the same in every language.
UNTRANSLATED_OK = {"Vårdflöde", "–", "(", ")", "()", ":", "|", "JSON"}
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        # A JSON data block is never run, so the CSP has nothing to block (clinic/_diagram.html).
        if tag == "script" and "src" not in names and dict(attrs).get("type") != "application/json":
            self.problems.append("inline <script>")
        self.in_script = tag == "script"
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in names:
            self.problems.append(f"style attribute on <{tag}>")
        self.problems += [f"event handler {name} on <{tag}>" for name in names if name.startswith("on")]
        for name, value in attrs:
            shown_value = tag == "input" and name == "value" and dict(attrs).get("type") in {"submit", "button", "reset"}
            visible = name in VISIBLE_ATTRIBUTES or shown_value
            if visible and value and _has_words(value):
                self.problems.append(f"untranslated {name}={value!r} on <{tag}>")

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        text = data.strip()
        if text and not self.in_script and _has_words(text):
            self.problems.append(f"untranslated text {text!r}")


def _has_words(text: str) -> bool:
    leftover = [w for w in text.split() if w not in UNTRANSLATED_OK]
    return any(re.search(r"[^\W\d_]", w) for w in leftover)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "web")))
def test_template_has_no_inline_code_and_no_untranslated_text(path):
    checker = Checker()
    # Jinja is replaced by a space so that what is left is the literal HTML a visitor would get.
    checker.feed(JINJA.sub(" ", path.read_text(encoding="utf-8")))
    checker.close()
    assert checker.problems == []


def test_the_checker_catches_what_it_should():
    checker = Checker()
    checker.feed('<p>Hej</p><div style="x" onclick="y"></div><script>1</script><img alt="Bild">'
                 '<input type="submit" value="Skicka"><button name="a" value="deactivate"></button><p> </p>')
    assert len(checker.problems) == 6
