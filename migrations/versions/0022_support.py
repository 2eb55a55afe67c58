"""support cases (R63–R69, R84): a case raised by a member of staff and its screenshots

Revision ID: 0022_support
Revises: 0021_video

support_case holds one row per case: where and when it was raised (page, product, platform version,
time), its category and question, the program and owning publisher unit of a content question,
the stage the requester sees, the support_case instance and the answer. support_evidence lists the
screenshots; their bytes live outside the web root under an opaque name, like incident evidence.
Chained on 0019 here; the chain is fixed on merge.
"""
from alembic import op
import sqlalchemy as sa


revision = '0022_support'
down_revision = '0021_video'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('support_case',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('requester_id', sa.String(length=32), nullable=False),
    sa.Column('care_provider_id', sa.String(length=32), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('product', sa.String(length=32), nullable=False),
    sa.Column('page_url', sa.String(length=2000), nullable=False),
    sa.Column('platform_version', sa.String(length=64), nullable=False),
    sa.Column('observed_at', sa.DateTime(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('program_key', sa.String(length=100), nullable=True),
    sa.Column('publisher_unit_id', sa.String(length=32), nullable=True),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('instance_id', sa.String(length=32), nullable=True),
    sa.Column('passed_on', sa.Boolean(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by', sa.String(length=32), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['requester_id'], ['staff.id'], name=op.f('fk_support_case_requester_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_case')),
    )
    op.create_index(op.f('ix_support_case_requester_id'), 'support_case', ['requester_id'])
    op.create_index(op.f('ix_support_case_care_provider_id'), 'support_case', ['care_provider_id'])
    op.create_index(op.f('ix_support_case_publisher_unit_id'), 'support_case', ['publisher_unit_id'])
    op.create_index(op.f('ix_support_case_instance_id'), 'support_case', ['instance_id'])
    op.create_table('support_evidence',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['support_case.id'], name=op.f('fk_support_evidence_case_id_support_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_evidence')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_support_evidence_stored_name')),
    )
    op.create_index(op.f('ix_support_evidence_case_id'), 'support_evidence', ['case_id'])


def downgrade():
    op.drop_index(op.f('ix_support_evidence_case_id'), table_name='support_evidence')
    op.drop_table('support_evidence')
    op.drop_index(op.f('ix_support_case_instance_id'), table_name='support_case')
    op.drop_index(op.f('ix_support_case_publisher_unit_id'), table_name='support_case')
    op.drop_index(op.f('ix_support_case_care_provider_id'), table_name='support_case')
    op.drop_index(op.f('ix_support_case_requester_id'), table_name='support_case')
    op.drop_table('support_case')
