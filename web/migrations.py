"""Flask-Migrate (Alembic) binding; migration scripts live in the top-level migrations/.

Importing the models here puts every table in the metadata Alembic compares against."""
from flask_migrate import Migrate

import access.models  # noqa: F401
import access.blocks  # noqa: F401
import access.records  # noqa: F401
import catalogue.models  # noqa: F401
import community.models  # noqa: F401
import design.models  # noqa: F401
import incidents.models  # noqa: F401
import onboarding.models  # noqa: F401
import video.models  # noqa: F401
import support.models  # noqa: F401
import purging.models  # noqa: F401
import engine  # noqa: F401 - the facade loads the engine's own tables
import messaging.models  # noqa: F401
import notify.models  # noqa: F401

migrate = Migrate(compare_type=True, render_as_batch=True)
