"""notification outbox

Revision ID: 0003_outbox
Revises: 0002_access
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_outbox'
down_revision = '0002_access'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
