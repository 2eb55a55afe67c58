"""program catalogue and activation

Revision ID: 0004_catalogue
Revises: 0003_outbox
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_catalogue'
down_revision = '0003_outbox'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
