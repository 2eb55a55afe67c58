"""Flask-Migrate (Alembic) binding; migration scripts live in web/migrations_alembic/."""
from flask_migrate import Migrate

migrate = Migrate(compare_type=True, render_as_batch=True)
