"""No 5xx from anything typed: hypothesis posts generated hostile values to every route and every
form field the templates name, as each kind of user, on both databases.

The values mix what breaks software in practice: control characters and NUL, strings far over any
column, SQL and markup, path traversal, numbers that do not fit, right-to-left and astral-plane
text, and plain random text. Every answer must be below 500; a 5xx (or an exception escaping the
app) fails with the route, the role and the value hypothesis shrank it to.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.web.signin import CSRF, demo  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
# Routes that end the session the fuzzer is using; signing out is tested on its own.
SKIPPED = {"auth.logout"}
HOSTILE = ["\x00", "a\x00b", "\x1b[2J", "\x7f", "'; DROP TABLE resident; --", "<script>alert(1)</script>",
           "../../../../etc/passwd", "%00", "%2e%2e%2f", "9" * 400, "-1", "0", "1e309", "NaN", "-0",
           "\u202eevil", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ÅÄÖåäö", " ", "", "null", "{}", "[]", "2026-02-30", "99999-12-31",
           "SE2321000016-" + "X" * 80, "19121212-1212", "a" * 5001, "x" * 70_000]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.builds(lambda piece, times: piece * times, st.sampled_from(["Å", "a", "\x00", "9", "<"]),
              st.integers(min_value=90, max_value=3000)),
)


def form_field_names() -> list[str]:
    """Every field name a template's form sends."""
    names = set()
    for template in ROOT.glob("web/**/templates/**/*.html"):
        names |= set(re.findall(r'name="([a-z_]+)"', template.read_text(encoding="utf-8")))
    return sorted(names - {"csrf_token", "viewport", "description", "color-scheme"})


def fill(rule, value: str) -> str:
    """The rule's address with every parameter set to ``value``."""
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[a-z]+:)?{name}>", quote(value, safe="") or "x", path)
    return path


@pytest.mark.slow
def test_no_generated_input_gives_a_5xx_on_any_route_for_any_user(demo):
    routes = sorted((r for r in demo.app.url_map.iter_rules()
                     if r.endpoint != "static" and r.endpoint not in SKIPPED), key=lambda r: r.rule)
    users = {"anonymous": demo.client(), "resident": _resident(demo)}
    for key in ("behandlare", "vardgivaradmin", "loggranskare", "behorighetsadmin", "nationell", "designer"):
        users[key] = demo.staff(key)
    tokens = {name: _token(client) for name, client in users.items()}
    fields = form_field_names()
    # Real ids too, so a generated request also gets past the lookups into the views' own checks.
    known = st.sampled_from([*demo.instances.values(), *(r.id for r in demo.org.residents.values()),
                             *(u.id for u in demo.org.units.values()), *(p.id for p in demo.org.providers.values()),
                             *(m.id for m in demo.org.staff.values()), demo.version, "1", "on", "sv", "en"])
    values = st.one_of(VALUES, known)

    @settings(max_examples=400, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(route=st.sampled_from(routes), user=st.sampled_from(sorted(users)), value=values,
           form=st.dictionaries(st.sampled_from(fields), values, max_size=8))
    def no_5xx(route, user, value, form):
        client, path = users[user], fill(route, value)
        if "POST" in route.methods:
            response = client.post(path, data={**form, "csrf_token": tokens[user]})
        else:
            response = client.get(path, query_string={k: v for k, v in form.items() if len(v) < 2000})
        assert response.status_code < 500, (route.rule, user, response.status_code)

    no_5xx()


@pytest.mark.slow
def test_no_form_on_any_page_gives_a_5xx_whatever_is_typed_into_it(demo):
    # Every form a crawl of the site finds, as each kind of user, is sent with its own values
    # (the selected program, the unit, the op) and one to three fields replaced by hostile ones,
    # so the generated values reach the views' checks and the writes behind them.
    users = {"resident": _resident(demo)}
    for key in ("behandlare", "vardgivaradmin", "loggranskare", "behorighetsadmin", "nationell", "invanaradmin"):
        users[key] = demo.staff(key)
    forms = [(user, *form) for user, client in users.items() for form in crawl_forms(client)]
    assert len({action for _user, action, _base in forms}) >= 15, "the crawl found too few forms to mean much"

    sent = iter(range(10**6))

    @settings(max_examples=800, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(form=st.sampled_from(forms), data=st.data())
    def no_5xx(form, data):
        user, action, base = form
        hostile = data.draw(st.dictionaries(st.sampled_from(sorted(base)), VALUES, min_size=1, max_size=2))
        response = users[user].post(action, data={**plausible(base, next(sent)), **hostile})
        assert response.status_code < 500, (action, user, response.status_code, hostile)

    no_5xx()


def plausible(values: dict, n: int) -> dict:
    """The form as a user would fill it: empty text fields get a valid value (a fresh HSA-id each
    time), so the hostile field is the only thing wrong and the request reaches the write."""
    typical = {"hsa_id": f"SE2321000016-F{n:04d}", "name": f"Mottagning {n}", "staff_hsa_id": "SE2321000016-B001",
               "body": "Hej!", "q": "Anna", "pnr": "19850314-2384", "personnummer": "19850314-2384",
               "given_name": "Tea", "family_name": "Test", "from": "2026-11-23", "to": "2026-11-24",
               "valid_from": "2026-11-23", "email": "tea@example.se", "reason": "Akut"}
    return {name: value or typical.get(name, "") for name, value in values.items()}


def crawl_forms(client, start: str = "/", limit: int = 80) -> list[tuple[str, dict]]:
    """The POST forms on the pages reachable from ``start`` by local links: (action, its values)."""
    seen, queue, found = set(), [start], {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, follow_redirects=True)  # "/" sends the signed-in to their start page
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        path = response.request.path
        page = lxml.html.fromstring(response.get_data(as_text=True))
        queue += [href.split("#")[0] for href in page.xpath("//a/@href")
                  if href.startswith("/") and not href.startswith("/static") and href.split("#")[0] not in seen]
        for form in page.forms:
            action = form.get("action") or path
            if (form.method or "GET").upper() == "POST" and action != "/logga-ut":
                values = {name: "" for name in form.inputs.keys()}
                values.update(dict(form.form_values()))
                found.setdefault((action, tuple(sorted(values))), values)
    return [(action, values) for (action, _names), values in found.items()]


def _resident(demo):
    from tests.web.signin import sign_in_resident
    return sign_in_resident(demo.client(), demo.resident("anna").id)


def _token(client) -> str:
    """A CSRF token of the client's session: every page carries one in its language form."""
    match = CSRF.search(client.get("/", follow_redirects=True).get_data(as_text=True))
    return match.group(1) if match else ""
