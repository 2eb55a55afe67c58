"""The message catalogs: Swedish complete, compiled files current, every source string present.

When one of these fails, re-extract, translate and compile (the commands are in web/i18n.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.conftest import ROOT

TRANSLATIONS = ROOT / "web" / "translations"
LANGUAGES = ("sv", "en")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
FIX = ("run: pybabel extract -F babel.cfg -k lazy_gettext -k _l --no-location --sort-output "
       "-o web/translations/messages.pot . && pybabel update -i web/translations/messages.pot "
       "-d web/translations --no-fuzzy-matching && pybabel compile -d web/translations")


def catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=lang)


def entries(cat) -> dict:
    return {m.id: m for m in cat if m.id}


def source_messages() -> set:
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)
    return {message for _file, _line, message, _comments, _context in found}


def test_every_swedish_entry_is_translated_and_none_is_fuzzy():
    problems = [f"{'fuzzy' if 'fuzzy' in m.flags else 'untranslated'}: {m.id!r}"
                for m in entries(catalog("sv")).values()
                if "fuzzy" in m.flags or not (all(m.string) if isinstance(m.id, tuple) else m.string)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match_between_message_and_translation(lang):
    problems = [f"{m.id!r}: {error}" for m, errors in catalog(lang).check() for error in errors]
    assert problems == []


def test_both_languages_hold_the_same_messages():
    assert set(entries(catalog("sv"))) == set(entries(catalog("en")))


def test_every_string_in_the_source_is_in_the_catalog():
    known = set(entries(catalog("sv")))
    missing = sorted(str(m) for m in source_messages() if m not in known)
    assert missing == [], f"{len(missing)} strings are not in the catalog; {FIX}\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalog_matches_its_po_file(lang):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo", "rb") as mo:
        # A plural message reads back with lists; the .po side has tuples.
        compiled = {_hashable(m.id): _hashable(m.string) for m in read_mo(mo) if m.id}
    # pybabel compile leaves out fuzzy and untranslated entries; gettext falls back to the msgid.
    expected = {m.id: _hashable(m.string) for m in entries(catalog(lang)).values()
                if "fuzzy" not in m.flags and (all(m.string) if isinstance(m.id, tuple) else m.string)}
    assert compiled == expected, f"messages.mo is out of date; run: pybabel compile -d web/translations"


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def test_babel_cfg_covers_the_web_templates_and_python():
    text = Path(ROOT / "babel.cfg").read_text(encoding="utf-8")
    assert "[python: web/**.py]" in text and "[jinja2: web/**/templates/**.html]" in text
