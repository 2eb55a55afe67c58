"""Instructions and module pages: a strict Markdown subset built from escaped text. Values of the
task's data fill ``{{ name }}`` (escaped, plain values only), links are https only, and a module's
page is the package's own text file, chosen by the program."""
from __future__ import annotations

import json
import re

import pytest

import engine
from engine.db import db
from tests.conftest import ROOT
from tests.web.signin import post, sign_in_resident
from cli import demo_people
from design import driver
from web.programs.instructions import render

DEPRESSION = ROOT / "workflows" / "programs" / "depression_icbt"


def test_placeholders_are_filled_from_the_task_data_and_escaped():
    html = render("Hej {{ name }}, du har {{ points }} poäng och {{ hours }} timmar.",
                  {"name": "<script>alert(1)</script>", "points": 7, "hours": 6.0})
    assert html == "<p>Hej &lt;script&gt;alert(1)&lt;/script&gt;, du har 7 poäng och 6 timmar.</p>"


def test_a_placeholder_value_is_never_read_as_markdown():
    html = render("Ditt svar: {{ answer }}", {"answer": "[klicka här](https://evil.example) och **fet**"})
    assert "<a" not in html and "<strong>" not in html
    assert "[klicka här](https://evil.example) och **fet**" in html


def test_unknown_names_lists_and_hidden_names_stay_as_written():
    html = render("{{ missing }} {{ scores }} {{ _secret }} {{ settings }}",
                  {"scores": [1, 2], "_secret": "x", "settings": {"a": 1}})
    assert html == "<p>{{ missing }} {{ scores }} {{ _secret }} {{ settings }}</p>"


def test_https_links_get_rel_noopener_noreferrer():
    html = render("Se [filmen (video, 4 min)](https://www.1177.se/film?a=1&b=2).")
    assert html == ('<p>Se <a href="https://www.1177.se/film?a=1&amp;b=2" rel="noopener noreferrer">'
                    'filmen (video, 4 min)</a>.</p>')


def test_links_that_are_not_https_keep_their_words_and_lose_the_link():
    for url in ("javascript:alert(1)", "http://example.se", "data:text/html,x", "//evil.example", "/logga-ut",
                'https://x.se"onmouseover="alert(1)'):
        html = render(f"[Läs mer]({url})")
        assert "<a" not in html and "href" not in html, url
        assert "Läs mer" in html
    assert "javascript" not in render("[Läs mer](javascript:alert(1))")


def test_lists_headings_emphasis_and_paragraphs():
    text = ("## Rubrik\n\nFörsta raden\nandra raden med *betoning*.\n\n"
            "1. Ett\n2. Två med **fetstil**\n   som fortsätter\n\n- punkt a\n- punkt b\n\n### Mindre rubrik")
    assert render(text) == (
        "<h2>Rubrik</h2>\n<p>Första raden andra raden med <em>betoning</em>.</p>\n"
        "<ol><li>Ett</li><li>Två med <strong>fetstil</strong> som fortsätter</li></ol>\n"
        "<ul><li>punkt a</li><li>punkt b</li></ul>\n<h3>Mindre rubrik</h3>")


def test_designer_html_is_escaped():
    html = render('<img src=x onerror="alert(1)"> & <b>fet</b>')
    assert html == "<p>&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; &lt;b&gt;fet&lt;/b&gt;</p>"


def test_a_text_line_includes_the_package_text_the_data_names_once():
    texts = {"module_2": "### Modul två\n\nText för modul {{ nr }}.\n\n{{ text: page }}"}
    html = render("{{ text: page }}", {"page": "module_2", "nr": 2}, texts)
    assert html == "<h3>Modul två</h3>\n<p>Text för modul 2.</p>\n<p>{{ text: page }}</p>"
    assert render("{{ text: page }}", {"page": "module_9"}, texts) == "<p>{{ text: page }}</p>"
    assert render("{{ text: page }}", {"page": "../module_2"}, {"../module_2": "x"}) == "<p>{{ text: page }}</p>"


def test_every_module_of_the_depression_program_has_a_page_of_150_to_300_words():
    titles = re.search(r"module_titles = (\[.*?\])", (DEPRESSION / "depression_icbt.bpmn").read_text()).group(1)
    assert len(json.loads(titles)) == 8
    for number in range(1, 9):
        text = (DEPRESSION / "texts" / f"module_{number}.md").read_text(encoding="utf-8")
        assert 150 <= len(text.split()) <= 300, number
        assert "{{" not in str(render(text)), number  # nothing left unfilled


def test_the_resident_reads_the_module_page_the_program_opened(ctx, publish):
    engine.clock.freeze(engine.clock.now())
    org = demo_people.seed()
    db.session.commit()
    version = publish(DEPRESSION)
    outcome = engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id,
                           subject_id=org.residents["bo"].id, owner_id=org.staff["behandlare"].id)
    db.session.commit()
    scenario = json.loads((DEPRESSION / "scenarios" / "low_scores.json").read_text(encoding="utf-8"))
    driver.run(outcome.instance_id, driver.Scenario(scenario), stop_after=1)  # the intake
    resident = sign_in_resident(ctx.test_client(), org.residents["bo"].id)
    page = _open_step(resident, "Läs modulen")
    assert "<h2>Modul 1 av 8: Om depression och beteendeaktivering</h2>" in page
    assert "<h3>Vad är depression?</h3>" in page and "<ol><li>Skriv varje dag" in page
    assert 'href="https://www.1177.se/" rel="noopener noreferrer"' in page

    driver.run(outcome.instance_id, driver.Scenario(scenario | {"read_module": {}}), stop_after=3)
    driver.run(outcome.instance_id, driver.Scenario(scenario), stop_after=1)  # week 2's PHQ-9
    resident = sign_in_resident(ctx.test_client(), org.residents["bo"].id)  # a week later
    page = _open_step(resident, "Läs modulen")
    assert "Modul 2 av 8: Planera aktiviteter som ger energi" in page
    assert "Från registrering till planering" in page and "Vad är depression?" not in page


def _open_step(client, name: str) -> str:
    listing = client.get("/mina-uppgifter").get_data(as_text=True)
    match = re.search(r'href="(/mina-uppgifter/[0-9a-f-]+)"[^>]*>\s*' + re.escape(name), listing)
    assert match, listing
    return client.get(match.group(1)).get_data(as_text=True)


def test_a_form_step_still_submits_after_its_instructions_are_filled(ctx, publish):
    engine.clock.freeze(engine.clock.now())
    org = demo_people.seed()
    db.session.commit()
    version = publish(DEPRESSION)
    engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id, subject_id=org.residents["bo"].id,
                 owner_id=org.staff["behandlare"].id)
    db.session.commit()
    resident = sign_in_resident(ctx.test_client(), org.residents["bo"].id)
    page = _open_step(resident, "Fyll i bedömningsformulär")
    assert "PHQ-9 och MADRS-S" in page and 'name="madrs_s_9"' in page
    path = re.search(r'action="(/mina-uppgifter/[0-9a-f-]+)"', page).group(1)
    answers = {f"phq9_{n}": "0" for n in range(1, 10)} | {f"madrs_s_{n}": "0" for n in range(1, 10)}
    assert post(resident, path, answers | {"reason_for_contact": "Nedstämd"}).status_code == 302


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40  # the signature is what the checks look at


def test_a_picture_line_needs_alt_text_and_a_package_picture():
    def url(path):
        return f"/p/{path}"
    assert render("![Spiralen: mindre aktivitet, sämre mående](media/spiral.png)", media_url=url) == (
        '<p class="media"><img src="/p/media/spiral.png" alt="Spiralen: mindre aktivitet, sämre mående"></p>')
    for line in ("![](media/spiral.png)", "![Bild](https://evil.example/x.png)", "![Bild](media/../x.png)",
                 "![Bild](media/x.svg)", "![Bild](texts/module_1.md)"):
        assert "<img" not in render(line, media_url=url), line
    assert 'alt="Bild&#34; onerror=&#34;x"' in render('![Bild" onerror="x](media/x.png)', media_url=url)
    assert "<img" not in render("![Bild](media/spiral.png)")  # no address for pictures here


def test_a_package_takes_only_real_small_pictures_in_media(tmp_path):
    files = _program_files()
    assert engine.check_package(files | {"media/spiral.png": PNG}).content_hash
    for name, data, reason in [
        ("media/spiral.png", b"<svg onload=alert(1)>", "not the kind of picture its name says"),
        ("media/spiral.webp", PNG, "not the kind of picture its name says"),
        ("spiral.png", PNG, "pictures belong in media/"),
        ("media/big.png", PNG + b"\x00" * (1024 * 1024), "larger than 1024 kB"),
        ("texts/module_1.md", "Hej".encode("utf-16"), "not UTF-8"),
    ]:
        with pytest.raises(engine.ValidationFailed) as err:
            engine.check_package(files | {name: data})
        assert any(p.file == name and reason in p.reason for p in err.value.problems), (name, err.value.problems)


def test_a_stored_picture_is_served_to_signed_in_people_only(ctx):
    version = engine.store_version(engine.check_package(_program_files() | {"media/spiral.png": PNG}))
    db.session.commit()
    address = f"/programinnehall/{version.content_hash}/media/spiral.png"
    assert ctx.test_client().get(address).status_code == 404
    engine.clock.freeze(engine.clock.now())
    org = demo_people.seed()
    db.session.commit()
    resident = sign_in_resident(ctx.test_client(), org.residents["bo"].id)
    response = resident.get(address)
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert resident.get(f"/programinnehall/{version.content_hash}/media/other.png").status_code == 404
    assert resident.get(f"/programinnehall/{version.content_hash}/media/simple.bpmn").status_code == 404


def _program_files() -> dict:
    return engine.read_paths([ROOT / "tests" / "fixtures" / "simple"])
