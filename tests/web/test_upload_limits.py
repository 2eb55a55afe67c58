"""A design package zip may be up to the package limit (engine.MAX_PACKAGE_BYTES, 10 MB), more
than MAX_CONTENT_LENGTH (4 MB) that holds for every other form; too large answers the translated
413 page naming the limit of the view it was sent to."""
from __future__ import annotations

import os

from design.models import DesignProgram
from engine.db import db
from tests.design.support import SHIPPED, folder_files, zipped
from tests.web.signin import demo  # noqa: F401
from tests.web.test_design_screens import upload

PNG = b"\x89PNG\r\n\x1a\n"


def package_with_pictures(count: int) -> bytes:
    """The shipped sleep program with ``count`` pictures of just under 1 MB each that do not compress."""
    files = folder_files(next(p for p in SHIPPED if p.name == "selfhelp_sleep"))
    for n in range(count):
        files[f"media/bild{n}.png"] = PNG + os.urandom(1000 * 1000 - len(PNG))
    return zipped(files)


def test_a_design_package_above_the_global_limit_is_imported(demo):
    data = package_with_pictures(6)
    assert 4 * 1024 * 1024 < len(data) < 10 * 1024 * 1024
    response = upload(demo.staff("designer"), "/design/nytt/zip", "package", "stort.zip", data,
                      unit=demo.org.publishers["national"].id)
    assert response.status_code == 303, response.text[:2000]
    assert db.session.query(DesignProgram).count() == 1


def test_a_design_package_above_the_package_limit_gets_the_413_page_naming_10_mb(demo):
    response = upload(demo.staff("designer"), "/design/nytt/zip", "package", "for-stort.zip",
                      os.urandom(10 * 1024 * 1024 + 100 * 1024), unit=demo.org.publishers["national"].id)
    assert response.status_code == 413
    assert "Det du skickade är för stort" in response.text and "10 MB" in response.text
    assert db.session.query(DesignProgram).count() == 0


def test_other_uploads_keep_the_global_limit(demo):
    # A BPMN file of 5 MB: within the package limit, over the 4 MB every other form may send.
    response = upload(demo.staff("designer"), "/design/nytt/bpmn", "bpmn", "stor.bpmn", b" " * (5 * 1024 * 1024),
                      unit=demo.org.publishers["national"].id)
    assert response.status_code == 413 and "4 MB" in response.text
