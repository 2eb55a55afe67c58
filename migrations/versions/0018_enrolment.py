"""enrolment: single-use links with which staff choose a password and set up TOTP

Revision ID: 0018_enrolment
Revises: 0017_onboarding

enrolment_token holds the SHA-256 of each link's random token (never the token), the member of
staff, who issued it, when it expires, and when it was used or replaced by a newer one.
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_enrolment'
down_revision = '0017_onboarding'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('enrolment_token',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('staff_id', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_by', sa.String(length=32), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_enrolment_token_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_enrolment_token_token_hash'))
    )
    with op.batch_alter_table('enrolment_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolment_token_staff_id'), ['staff_id'], unique=False)


def downgrade():
    with op.batch_alter_table('enrolment_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolment_token_staff_id'))
    op.drop_table('enrolment_token')
