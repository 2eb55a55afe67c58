"""a resident's spärr of their data at a unit, and emergency access (nödåtkomst) to blocked data

Revision ID: 0008_blocks
Revises: 0007_signin_scope
"""
from alembic import op
import sqlalchemy as sa



revision = '0008_blocks'
down_revision = '0007_signin_scope'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'access_block',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('resident_id', sa.String(length=32), nullable=False),
        sa.Column('unit_id', sa.String(length=32), nullable=False),
        sa.Column('placed_at', sa.DateTime(), nullable=False),
        sa.Column('lifted_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['resident_id'], ['resident.id']),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_access_block_resident_id', 'access_block', ['resident_id'])
    op.create_table(
        'emergency_access',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('staff_id', sa.String(length=32), nullable=False),
        sa.Column('unit_id', sa.String(length=32), nullable=False),
        sa.Column('resident_id', sa.String(length=32), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.Column('opened_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['resident_id'], ['resident.id']),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id']),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_emergency_access_resident_id', 'emergency_access', ['resident_id'])
    op.create_index('ix_emergency_access_staff_id', 'emergency_access', ['staff_id'])


def downgrade():
    op.drop_index('ix_emergency_access_staff_id', table_name='emergency_access')
    op.drop_index('ix_emergency_access_resident_id', table_name='emergency_access')
    op.drop_table('emergency_access')
    op.drop_index('ix_access_block_resident_id', table_name='access_block')
    op.drop_table('access_block')
