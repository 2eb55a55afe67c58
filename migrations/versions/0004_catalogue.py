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
    op.create_table('catalogue_entry',
    sa.Column('version_hash', sa.String(length=64), nullable=False),
    sa.Column('program_key', sa.String(length=100), nullable=False),
    sa.Column('version_label', sa.String(length=20), nullable=False),
    sa.Column('major', sa.Integer(), nullable=False),
    sa.Column('minor', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('journal_items', sa.JSON(), nullable=True),
    sa.Column('open_program', sa.Boolean(), nullable=False),
    sa.Column('publisher_unit_id', sa.String(length=32), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['publisher_unit_id'], ['publisher_unit.id'],
                            name=op.f('fk_catalogue_entry_publisher_unit_id_publisher_unit')),
    sa.ForeignKeyConstraint(['version_hash'], ['program_version.content_hash'],
                            name=op.f('fk_catalogue_entry_version_hash_program_version')),
    sa.PrimaryKeyConstraint('version_hash', name=op.f('pk_catalogue_entry')),
    sa.UniqueConstraint('program_key', 'major', 'minor', name=op.f('uq_catalogue_entry_program_key_major_minor'))
    )
    with op.batch_alter_table('catalogue_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalogue_entry_program_key'), ['program_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalogue_entry_publisher_unit_id'), ['publisher_unit_id'], unique=False)

    op.create_table('activation',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('program_key', sa.String(length=100), nullable=False),
    sa.Column('version_hash', sa.String(length=64), nullable=False),
    sa.Column('activated_by', sa.String(length=32), nullable=False),
    sa.Column('activated_at', sa.DateTime(), nullable=False),
    sa.Column('deactivated_by', sa.String(length=32), nullable=True),
    sa.Column('deactivated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_activation_unit_id_unit')),
    sa.ForeignKeyConstraint(['version_hash'], ['catalogue_entry.version_hash'],
                            name=op.f('fk_activation_version_hash_catalogue_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activation'))
    )
    with op.batch_alter_table('activation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activation_program_key'), ['program_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_activation_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('activation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activation_unit_id'))
        batch_op.drop_index(batch_op.f('ix_activation_program_key'))

    op.drop_table('activation')
    with op.batch_alter_table('catalogue_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalogue_entry_publisher_unit_id'))
        batch_op.drop_index(batch_op.f('ix_catalogue_entry_program_key'))

    op.drop_table('catalogue_entry')
