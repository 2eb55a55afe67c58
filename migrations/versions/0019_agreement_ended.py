"""agreement ended (R33): the case table, and publisher units that can be deactivated

Revision ID: 0019_agreement_ended
Revises: 0018_enrolment

agreement_ending holds a region's report that a private care provider's agreement has ended and
its case (onboarding/agreement_ended.py). publisher_unit.active lets a deactivated provider's
publisher units stop counting for their grants. Chained on 0017 here; 0018 is added in parallel
and the chain is fixed on merge.
"""
from alembic import op
import sqlalchemy as sa


revision = '0019_agreement_ended'
down_revision = '0018_enrolment'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agreement_ending',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('provider_id', sa.String(length=32), nullable=False),
    sa.Column('region_provider_id', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=False),
    sa.Column('reported_by', sa.String(length=32), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('instance_id', sa.String(length=32), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=32), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('deactivated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['provider_id'], ['care_provider.id'], ),
    sa.ForeignKeyConstraint(['region_provider_id'], ['care_provider.id'], ),
    sa.ForeignKeyConstraint(['reported_by'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agreement_ending', schema=None) as batch_op:
        batch_op.create_index('ix_agreement_ending_provider_id', ['provider_id'], unique=False)
        batch_op.create_index('ix_agreement_ending_region_provider_id', ['region_provider_id'], unique=False)
        batch_op.create_index('ix_agreement_ending_state', ['state'], unique=False)
        batch_op.create_index('ix_agreement_ending_instance_id', ['instance_id'], unique=False)
    with op.batch_alter_table('publisher_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('publisher_unit', schema=None) as batch_op:
        batch_op.drop_column('active')
    op.drop_table('agreement_ending')
