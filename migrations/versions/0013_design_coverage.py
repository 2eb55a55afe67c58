"""path coverage of design revisions: what scenario runs and test runs took of a revision's paths

Revision ID: 0013_design_coverage
Revises: 0012_test_runs

design_coverage holds one row per revision and source: the revision's last "Kör alla scenarier"
(source_kind 'scenarios', source_id '', replaced on every run) or one test run (source_kind
'test_run', source_id its design_test_run id, refreshed after each step). The element and flow ids
taken are JSON lists; the revision's full set comes from its BPMN files (design/coverage.py).
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_design_coverage'
down_revision = '0012_test_runs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('design_coverage',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('revision_id', sa.String(length=64), nullable=False),
    sa.Column('source_kind', sa.String(length=16), nullable=False),
    sa.Column('source_id', sa.String(length=32), nullable=False),
    sa.Column('elements', sa.JSON(), nullable=False),
    sa.Column('flows', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['design_revision.id'],
                            name=op.f('fk_design_coverage_revision_id_design_revision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_design_coverage')),
    sa.UniqueConstraint('revision_id', 'source_kind', 'source_id',
                        name=op.f('uq_design_coverage_revision_id_source_kind_source_id')),
    )
    op.create_index(op.f('ix_design_coverage_revision_id'), 'design_coverage', ['revision_id'])


def downgrade():
    op.drop_index(op.f('ix_design_coverage_revision_id'), table_name='design_coverage')
    op.drop_table('design_coverage')
