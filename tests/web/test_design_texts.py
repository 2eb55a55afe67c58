"""The design tool's text and picture screens (web/design/text_editor.py), through the test client and
the real database: a module page written, previewed with the resident's safe Markdown (a package
picture shown, designer HTML escaped), saved as a revision, 409 keeping the text; pictures uploaded
into media/, a refused upload named with nothing stored."""
from __future__ import annotations

import io

from design.models import DesignRevision
from design.revisions import files_of
from engine.db import db
from tests.web.signin import csrf_token, demo  # noqa: F401
from tests.web.test_design_screens import create, head

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def head_files(program_id):
    return files_of(db.session.get(DesignRevision, head(program_id)))


def texts(program_id):
    return f"/design/program/{program_id}/texter"


def post_text(client, program_id, name, text, based_on, action="save", message=""):
    path = f"{texts(program_id)}/{name}"
    return client.post(path, data={"text": text, "based_on": based_on, "action": action, "message": message,
                                   "csrf_token": csrf_token(client, path)})


def upload(client, program_id, filename, data, based_on):
    path = texts(program_id)
    form = {"csrf_token": csrf_token(client, path), "based_on": based_on, "picture": (io.BytesIO(data), filename)}
    return client.post(f"/design/program/{program_id}/bilder", data=form, content_type="multipart/form-data")


def test_a_text_is_written_previewed_and_saved(demo):
    client = demo.staff("designer")
    program_id = create(client)
    new = client.post(texts(program_id), data={"name": "modul_1", "csrf_token": csrf_token(client, texts(program_id))})
    assert new.status_code == 303 and new.headers["Location"].endswith(f"{texts(program_id)}/modul_1")
    base = head(program_id)
    body = "# Sömn\n\nSov **gott**.\n\n<script>alert(1)</script>\n\n- ett\n- två"
    shown = post_text(client, program_id, "modul_1", body, base, action="preview")
    assert shown.status_code == 200
    preview = shown.text.split('id="text-preview">', 1)[1]
    assert "<h2>Sömn</h2>" in preview and "<strong>gott</strong>" in preview and "<li>två</li>" in preview
    assert "<script>alert" not in shown.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in preview
    assert head(program_id) == base and "texts/modul_1.md" not in head_files(program_id)  # a preview stores nothing
    assert post_text(client, program_id, "modul_1", body, base, message="modul ett").status_code == 303
    assert head_files(program_id)["texts/modul_1.md"] == body.encode()
    assert "modul_1.md" in client.get(texts(program_id)).text
    assert "Sov **gott**." in client.get(f"{texts(program_id)}/modul_1").text


def test_a_stale_text_save_answers_409_and_keeps_the_text(demo):
    client = demo.staff("designer")
    program_id = create(client)
    base = head(program_id)
    assert post_text(client, program_id, "modul_1", "Första", base, message="först").status_code == 303
    newer = head(program_id)
    response = post_text(client, program_id, "modul_1", "Min egen text", base)
    assert response.status_code == 409 and "Dora Designer" in response.text and "först" in response.text
    assert ">Min egen text</textarea>" in response.text and f'name="based_on" value="{newer}"' in response.text
    assert head_files(program_id)["texts/modul_1.md"] == "Första".encode()


def test_a_picture_is_uploaded_and_shown_in_the_preview(demo):
    client = demo.staff("designer")
    program_id = create(client)
    response = upload(client, program_id, "Min bild.PNG", PNG, head(program_id))
    assert response.status_code == 303
    assert head_files(program_id)["media/Min-bild.png"] == PNG
    listing = client.get(texts(program_id)).text
    assert "media/Min-bild.png" in listing and "![" in listing  # the name and how to use it
    shown = post_text(client, program_id, "modul_1", "![En bild av en säng](media/Min-bild.png)", head(program_id),
                      action="preview")
    src = shown.text.split('<img src="', 1)[1].split('"', 1)[0]
    assert 'alt="En bild av en säng"' in shown.text
    picture = client.get(src)
    assert picture.status_code == 200 and picture.data == PNG and picture.mimetype == "image/png"
    assert demo.staff("behandlare").get(src).status_code == 403


def test_a_refused_picture_is_named_and_nothing_is_stored(demo):
    client = demo.staff("designer")
    program_id = create(client)
    base = head(program_id)
    not_png = upload(client, program_id, "bild.png", b"GIF89a" + b"\x00" * 20, base)
    assert not_png.status_code == 400 and 'role="alert"' in not_png.text
    assert "bild.png" in not_png.text and "bilden är inte av den typ som namnet anger" in not_png.text
    svg = upload(client, program_id, "ritning.svg", b"<svg/>", base)
    assert svg.status_code == 400 and "ritning.svg" in svg.text and "hör inte hemma i ett programpaket" in svg.text
    big = upload(client, program_id, "stor.png", PNG + b"\x00" * (1024 * 1024), base)
    assert big.status_code == 400 and "stor.png" in big.text and "filen är större än tillåtet" in big.text
    assert head(program_id) == base and db.session.query(DesignRevision).count() == 1


def test_a_bad_text_name_is_refused_and_a_clinician_may_not_come_in(demo):
    client = demo.staff("designer")
    program_id = create(client)
    bad = client.post(texts(program_id), data={"name": "Modul 1", "csrf_token": csrf_token(client, texts(program_id))})
    assert bad.status_code == 400 and 'role="alert"' in bad.text
    assert client.get(f"{texts(program_id)}/Modul_1").status_code == 404  # texts are lowercase
    assert demo.staff("behandlare").get(texts(program_id)).status_code == 403
