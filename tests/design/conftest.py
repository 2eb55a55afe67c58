import pytest

from access import directory
from engine.db import db
from tests.design.support import Org


@pytest.fixture()
def org(ctx) -> Org:
    publisher = directory.create_publisher_unit("SE2321000016-P001", "Redaktionen")
    other = directory.create_publisher_unit("SE2321000016-P003", "Annan redaktion")
    db.session.commit()
    return Org(publisher.id, other.id)
