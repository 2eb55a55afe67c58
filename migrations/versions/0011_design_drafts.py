"""the design tool's draft store: programs of a publisher unit, their revisions, file contents

Revision ID: 0011_design_drafts
Revises: 0010_demo_clock

New tables only. design_program.head_revision_id has no foreign key on purpose: program and
revision would point at each other (design/models.py). design_blob holds each file content once,
keyed by its SHA-256; revisions name their files' blobs in a JSON manifest.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_design_drafts'
down_revision = '0010_demo_clock'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('design_program',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('publisher_unit_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('head_revision_id', sa.String(length=64), nullable=True),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['publisher_unit_id'], ['publisher_unit.id'],
                            name=op.f('fk_design_program_publisher_unit_id_publisher_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_design_program'))
    )
    with op.batch_alter_table('design_program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_design_program_publisher_unit_id'), ['publisher_unit_id'], unique=False)

    op.create_table('design_blob',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_design_blob'))
    )

    op.create_table('design_revision',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('program_id', sa.String(length=32), nullable=False),
    sa.Column('parent_id', sa.String(length=64), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('author', sa.String(length=32), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['design_program.id'],
                            name=op.f('fk_design_revision_program_id_design_program')),
    sa.ForeignKeyConstraint(['parent_id'], ['design_revision.id'],
                            name=op.f('fk_design_revision_parent_id_design_revision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_design_revision'))
    )
    with op.batch_alter_table('design_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_design_revision_program_id'), ['program_id'], unique=False)


def downgrade():
    with op.batch_alter_table('design_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_design_revision_program_id'))

    op.drop_table('design_revision')
    op.drop_table('design_blob')
    with op.batch_alter_table('design_program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_design_program_publisher_unit_id'))

    op.drop_table('design_program')
