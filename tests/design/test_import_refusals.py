"""Import of untrusted packages: every kind of bad input is refused with an error naming the file,
and nothing is stored."""
from __future__ import annotations

import json
import zipfile

import pytest
from sqlalchemy import func, select

import design
from design import zips
from design.models import DesignBlob, DesignProgram, DesignRevision
from engine.db import db
from tests.design.support import SHIPPED, designer, folder_files, zipped
from tests.web.signin import security_events

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32


def _good() -> dict[str, bytes]:
    return folder_files(SHIPPED[-1])


def _nothing_stored():
    for model in (DesignProgram, DesignRevision, DesignBlob):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert security_events("design_program_created") == []


def _refused(org, data: bytes) -> design.DesignError:
    with pytest.raises(design.DesignError) as refused:
        design.import_zip(designer(org.publisher), org.publisher, data)
    _nothing_stored()
    return refused.value


@pytest.mark.parametrize("name", ["../program.json", "forms/../../etc/passwd.form", "/program.json",
                                  "forms\\evil.form", "C:/program.json", "c:program.json", "forms/./a.form"])
def test_a_name_outside_the_package_is_refused(org, name):
    err = _refused(org, zipped({**_good(), name: b"{}"}))
    assert (err.code, err.file) == ("unsafe_path", name)


def test_a_symbolic_link_is_refused(org):
    err = _refused(org, zipped({**_good(), "media/picture.png": b"/etc/passwd"}, symlinks={"media/picture.png"}))
    assert (err.code, err.file) == ("symlink", "media/picture.png")


def test_a_zip_bomb_by_ratio_is_refused(org):
    err = _refused(org, zipped({**_good(), "texts/bomb.md": b"a" * (5 * 1024 * 1024)}))
    assert (err.code, err.file) == ("zip_bomb", "texts/bomb.md")


def test_a_zip_bomb_by_total_size_is_refused_while_unpacking(org, monkeypatch):
    monkeypatch.setattr(zips, "MAX_RATIO", 10**9)  # only the total can catch it now
    entries = {**_good(), **{f"scenarios/s{i}.json": bytes([i]) * (3 * 1024 * 1024) for i in range(4)}}
    err = _refused(org, zipped(entries))
    assert err.code == "too_large" and err.file.startswith("scenarios/s")


def test_a_zip_with_too_many_entries_is_refused(org):
    err = _refused(org, zipped({f"scenarios/s{i}.json": b"{}" for i in range(501)}))
    assert err.code == "too_many_files"


def test_a_non_utf8_text_is_refused(org):
    err = _refused(org, zipped({**_good(), "texts/module_1.md": "Hej världen".encode("latin-1")}))
    assert (err.code, err.file) == ("not_utf8", "texts/module_1.md")


@pytest.mark.parametrize("name, data", [("texts/long.md", "å".encode() * 20_001),
                                        ("media/big.png", PNG + b"\0" * (1024 * 1024)),
                                        ("forms/big.form", b" " * (1024 * 1024 + 1))])
def test_a_file_over_its_size_limit_is_refused(org, name, data):
    err = _refused(org, zipped({**_good(), name: data}, method=zipfile.ZIP_STORED))
    assert (err.code, err.file) == ("file_too_large", name)


@pytest.mark.parametrize("name, data", [("media/photo.png", JPEG), ("media/photo.jpg", PNG),
                                        ("media/photo.webp", b"RIFF\0\0\0\0WAVE"), ("media/script.png", b"<svg/>")])
def test_media_that_is_not_the_picture_it_claims_is_refused(org, name, data):
    err = _refused(org, zipped({**_good(), name: data}))
    assert (err.code, err.file) == ("not_that_picture", name)


@pytest.mark.parametrize("name", ["run.sh", "media/picture.svg", "forms/a.json", "texts/Stor.md", "notes.txt",
                                  "scenarios/deep/x.json"])
def test_an_unknown_kind_of_file_is_refused(org, name):
    err = _refused(org, zipped({**_good(), name: b"x"}))
    assert (err.code, err.file) == ("unknown_file", name)


def test_bpmn_with_a_doctype_is_refused_by_the_hardened_parser(org):
    xxe = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    err = _refused(org, zipped({**_good(), "evil.bpmn": xxe}))
    assert (err.code, err.file) == ("bad_bpmn", "evil.bpmn") and "DOCTYPE" in str(err)


def test_not_a_zip_is_refused(org):
    assert _refused(org, b"PK\x03\x04 not really").code == "bad_zip"


def test_a_single_bpmn_file_with_a_doctype_is_refused(org):
    with pytest.raises(design.DesignError) as refused:
        design.import_bpmn(designer(org.publisher), org.publisher, "x.bpmn", b"<!DOCTYPE x><x/>")
    assert (refused.value.code, refused.value.file) == ("bad_bpmn", "x.bpmn")
    _nothing_stored()


def test_a_single_bpmn_file_from_another_tool_becomes_a_program(org):
    dana = designer(org.publisher)
    bpmn = next(SHIPPED[-1].glob("*.bpmn")).read_bytes()
    program = design.import_bpmn(dana, org.publisher, "C:\\Users\\x\\Min process.bpmn", bpmn)
    files = design.files(dana, program.id)
    assert program.name == "Min_process" and sorted(files) == ["Min_process.bpmn", "program.json"]
    assert json.loads(files["program.json"])["main_process"] == "selfhelp_sleep"
