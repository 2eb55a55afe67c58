"""onboarding: connection applications (R36) and their cases

Revision ID: 0017_onboarding
Revises: 0016_incidents

onboarding_application holds one connection form sent in: its kind, the organisation and the
care provider's HSA-id, the checked details (units, publisher units, the named person per R17 role,
agreements) as JSON, the applicant, the onboarding process instance and the decision. Nothing
else is written before national management approves (onboarding/approval.py).
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_onboarding'
down_revision = '0016_incidents'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('onboarding_application',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('provider_hsa_id', sa.String(length=64), nullable=False),
    sa.Column('region_provider_id', sa.String(length=32), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('applicant_id', sa.String(length=32), nullable=False),
    sa.Column('instance_id', sa.String(length=32), nullable=True),
    sa.Column('rounds', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=32), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['region_provider_id'], ['care_provider.id'],
                            name=op.f('fk_onboarding_application_region_provider_id_care_provider')),
    sa.ForeignKeyConstraint(['applicant_id'], ['staff.id'],
                            name=op.f('fk_onboarding_application_applicant_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onboarding_application')),
    )
    op.create_index(op.f('ix_onboarding_application_kind'), 'onboarding_application', ['kind'])
    op.create_index(op.f('ix_onboarding_application_state'), 'onboarding_application', ['state'])
    op.create_index(op.f('ix_onboarding_application_region_provider_id'), 'onboarding_application',
                    ['region_provider_id'])
    op.create_index(op.f('ix_onboarding_application_applicant_id'), 'onboarding_application', ['applicant_id'])
    op.create_index(op.f('ix_onboarding_application_instance_id'), 'onboarding_application', ['instance_id'])


def downgrade():
    for column in ('instance_id', 'applicant_id', 'region_provider_id', 'state', 'kind'):
        op.drop_index(op.f(f'ix_onboarding_application_{column}'), table_name='onboarding_application')
    op.drop_table('onboarding_application')
