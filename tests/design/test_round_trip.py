"""A revision exported as a zip is a program folder ``vardflode validate`` and ``simulate`` accept
unchanged: the shipped programs survive import and export byte for byte, and run their scenarios."""
from __future__ import annotations

import json

import pytest

from tests.support.publishing import publish_approved
import catalogue
import design
from access.models import RoleGrant
from cli import packages, simulate
from design.models import DesignProgram
from engine.db import db
from tests.catalogue.programs import stored
from tests.design.support import SHIPPED, designer, folder_files, unzip, zipped
from tests.web.signin import security_events


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda p: p.name)
def test_a_shipped_program_round_trips_and_validates_and_simulates(org, folder, tmp_path, capsys):
    dana = designer(org.publisher)
    original = folder_files(folder)
    # Zipped with its folder name in front, as zipping a folder usually does.
    program = design.import_zip(dana, org.publisher, zipped({f"{folder.name}/{k}": v for k, v in original.items()}))
    db.session.commit()
    assert program.name == json.loads(original["program.json"])["name"]
    [event] = security_events("design_program_created")
    assert "imported" in event.detail
    exported = unzip(design.export_zip(dana, program.id), tmp_path / folder.name)
    assert folder_files(exported) == original
    assert packages.problems_in(exported) == []
    for scenario in sorted((exported / "scenarios").glob("*.json")):
        code = simulate.main(str(exported), str(scenario))
        out, err = capsys.readouterr()
        assert code == 0, f"{scenario.name}: {out[-2000:]}{err[-1000:]}"


def test_the_same_revision_exports_to_the_same_bytes(org):
    dana = designer(org.publisher)
    program = design.create_blank(dana, org.publisher, "Sömn")
    assert design.export_zip(dana, program.id) == design.export_zip(dana, program.id, program.head_revision_id)


def test_the_blank_template_validates_and_runs(org, tmp_path, capsys):
    dana = designer(org.publisher)
    program = design.create_blank(dana, org.publisher, "Sömn för unga")
    exported = unzip(design.export_zip(dana, program.id), tmp_path / "blank")
    assert packages.problems_in(exported) == []
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"first_answer": {"wellbeing": "Bra"}}))
    assert simulate.main(str(exported), str(scenario)) == 0, capsys.readouterr()


def test_a_copy_of_a_published_version_starts_from_its_files(org):
    version = stored(version="1.0")
    publish_approved(version, org.publisher, "utgivare-1")
    db.session.commit()
    dana = designer(org.publisher)
    program = design.create_from_version(dana, org.publisher, version)
    files = design.files(dana, program.id)
    assert program.name == "Veckokoll (kopia)" and set(files) == {"program.json", "simple.bpmn", "forms/weekly.form"}
    assert json.loads(files["program.json"])["version"] == "1.0"
    [first] = design.history(dana, program.id)
    assert first.message == "copied from weekly_check 1.0"


def test_a_version_another_publisher_unit_published_cannot_be_copied(org):
    # Given a version the other publisher unit published, and a designer of both units
    version = stored(version="1.0")
    publish_approved(version, org.other, "utgivare-2")
    db.session.commit()
    both = designer(org.publisher)
    both.grants.append(RoleGrant(staff_id=both.id, role="designer", scope_type="publisher_unit", scope_id=org.other))
    # When they copy it into their own unit's drafts, Then it is refused, logged, and nothing is stored
    with pytest.raises(design.DesignForbidden) as refused:
        design.create_from_version(both, org.publisher, version)
    assert refused.value.code == "another_units_version" and "another publisher unit" in str(refused.value)
    [event] = security_events("design_refused")
    assert event.subject == version and event.outcome == "denied"
    assert db.session.query(DesignProgram).count() == 0
    # The owning unit may copy it
    assert design.create_from_version(both, org.other, version).publisher_unit_id == org.other


def test_a_version_not_in_the_catalogue_cannot_be_copied(org):
    with pytest.raises(design.DesignError) as refused:
        design.create_from_version(designer(org.publisher), org.publisher, stored(version="1.0"))
    assert refused.value.code == "unknown_version"
