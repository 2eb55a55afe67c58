"""Languages: Swedish first, English second (flask-babel), and the header's language switch.

The locale is chosen per request: the visitor's own choice (``session["lang"]``), else the best
match of the browser's Accept-Language, else Swedish. Message ids are English; the catalogs live
in ``web/translations/<lang>/LC_MESSAGES/messages.po`` with compiled ``.mo`` files committed beside
them, so a fresh checkout runs without a compile step.

Write ``_("English text")`` in templates, ``gettext``/``_`` in views and ``lazy_gettext as _l`` for
module-level strings; placeholders as ``_("Hello %(name)s", name=...)``. Then, from the checkout:

    pybabel extract -F babel.cfg -k lazy_gettext -k _l --no-location --sort-output -o web/translations/messages.pot .
    pybabel update -i web/translations/messages.pot -d web/translations --no-fuzzy-matching
    (fill in every empty msgstr in sv/LC_MESSAGES/messages.po; en may stay empty)
    pybabel compile -d web/translations

and commit the .pot, .po and .mo files. tests/web/test_catalogs.py fails until that is done.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from babel import dates
from flask import Blueprint, abort, redirect, request, session, url_for
from markupsafe import Markup
from flask_babel import Babel, get_locale, get_timezone, refresh, to_user_timezone

SUPPORTED = ("sv", "en")
DEFAULT = "sv"
TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
# Each language is named in itself (WCAG 3.1.2), so these names are never translated.
ENDONYMS = {"sv": "Svenska", "en": "English"}
# Dates and times are written as in the language's country: English pages the British way
# (24 Nov 2026, 24/11/2026, 15:00), never the US way (Nov 24, 2026, 11/24/26, 3:00 PM).
FORMATTING = {"sv": "sv_SE", "en": "en_GB"}

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """Return the visitor's chosen language, else the browser's best match, else Swedish."""
    chosen = session.get("lang")
    if chosen in SUPPORTED:
        return chosen
    return request.accept_languages.best_match(SUPPORTED) or DEFAULT


def install(app) -> None:
    """Bind flask-babel, expose ``get_locale`` and the switch to templates, add ``/sprak``."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Stockholm")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=select_locale)
    # flask-babel caches the locale on ``g``; requests inside one pushed app context (the test
    # fixtures, a worker) share that ``g``, so choose afresh for every request.
    app.before_request(refresh)
    # Flask-Babel 4 does not put get_locale into Jinja by itself.
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters.update(dateformat=format_date, datetimeformat=format_datetime, timeformat=format_time)
    app.jinja_env.globals["language_choices"] = language_choices
    app.jinja_env.globals["program_lang"] = program_lang
    app.jinja_env.globals["current_local_url"] = current_local_url
    app.register_blueprint(bp)


def formatting_locale() -> str:
    """The locale dates and times are written in: the page's language, in its country."""
    code = str(get_locale() or DEFAULT)
    return FORMATTING.get(code, code)


def format_date(value=None, format: str = "medium", rebase: bool = True) -> str:
    """The ``dateformat`` filter: a date (a datetime on the Swedish clock) as the page's language writes it."""
    if rebase and isinstance(value, datetime):
        value = to_user_timezone(value)
    return dates.format_date(value, format, locale=formatting_locale())


def format_datetime(value=None, format: str = "medium", rebase: bool = True) -> str:
    """The ``datetimeformat`` filter: ``short`` is 24/11/2026, 15:00 in English, 2026-11-24 15:00 in Swedish."""
    return dates.format_datetime(value, format, tzinfo=get_timezone() if rebase else None,
                                 locale=formatting_locale())


def format_time(value=None, format: str = "medium", rebase: bool = True) -> str:
    return dates.format_time(value, format, tzinfo=get_timezone() if rebase else None, locale=formatting_locale())


def program_lang() -> Markup:
    """`` lang="sv"`` for an element holding program content (program, module and step names,
    instructions, module texts) on a page in another language: programs are written in Swedish and
    carry no English for these, so a screen reader must read them as Swedish (WCAG 3.1.2). Form
    labels are marked one by one by forms.render, which knows where a form has English."""
    return Markup("") if str(get_locale() or DEFAULT) == "sv" else Markup(' lang="sv"')


def language_choices() -> list[tuple[str, str]]:
    """Return (code, name) for every language other than the one in use."""
    current = str(get_locale())
    return [(code, ENDONYMS[code]) for code in SUPPORTED if code != current]


def current_local_url() -> str:
    """Return where the language switch should lead back to: this page, if it can be fetched again."""
    if request.method != "GET":
        return url_for("home.index")
    query = request.query_string.decode("latin-1")
    return request.path + (f"?{query}" if query else "")


def safe_local_url(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else None (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read a backslash as a slash ("/\\evil.example") and drop tabs and newlines.
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.post("/sprak")
def set_language():
    """Store the chosen language and go back to the page the switch was on."""
    lang = request.form.get("lang")
    if lang not in SUPPORTED:
        abort(400)
    session["lang"] = lang
    return redirect(safe_local_url(request.form.get("next")) or url_for("home.index"))
