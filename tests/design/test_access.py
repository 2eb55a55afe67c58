"""Designers see and change only their own publisher unit's programs; the check is in the store."""
from __future__ import annotations

import pytest

import design
from engine.db import db
from tests.design.support import designer, folder_files, zipped, SHIPPED
from tests.web.signin import security_events


@pytest.fixture()
def theirs(org):
    program = design.create_blank(designer(org.other, "other-1"), org.other, "Deras program")
    db.session.commit()
    return program


def test_a_designer_of_another_publisher_unit_is_refused_everything(org, theirs):
    dana = designer(org.publisher)
    attempts = [
        lambda: design.program(dana, theirs.id),
        lambda: design.history(dana, theirs.id),
        lambda: design.files(dana, theirs.id),
        lambda: design.export_zip(dana, theirs.id),
        lambda: design.save(dana, theirs.id, {"a.bpmn": b"<a/>"}, theirs.head_revision_id, "designer-1"),
        lambda: design.restore(dana, theirs.id, theirs.head_revision_id, "designer-1"),
        lambda: design.create_blank(dana, org.other, "Intrång"),
        lambda: design.import_zip(dana, org.other, zipped(folder_files(SHIPPED[-1]))),
    ]
    for attempt in attempts:
        with pytest.raises(design.DesignForbidden):
            attempt()
    assert design.programs(dana) == []
    assert len(security_events("design_refused")) == len(attempts)
    assert len(design.history(designer(org.other, "other-1"), theirs.id)) == 1


@pytest.mark.parametrize("principal", [
    lambda unit: designer(unit, role="behandlare"),
    lambda unit: designer(unit, auth_method="sms_otp"),  # the design tool needs strong sign-in
    lambda unit: designer("some-other-unit"),
])
def test_without_the_designer_role_on_the_unit_by_strong_sign_in_nothing_is_created(org, principal):
    with pytest.raises(design.DesignForbidden):
        design.create_blank(principal(org.publisher), org.publisher, "Nytt")


def test_a_designer_lists_only_their_units_programs(org, theirs):
    dana = designer(org.publisher)
    mine = design.create_blank(dana, org.publisher, "Mitt program")
    assert [p.id for p in design.programs(dana)] == [mine.id]
