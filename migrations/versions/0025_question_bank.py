"""The question bank (issue 19): questions and blocks saved from a draft, with their
definition in every language, a unique name and who saved them.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 07:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bank_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('source_slug', sa.String(length=80), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('question', 'block')", name=op.f('ck_bank_entries_kind_known')),
    sa.CheckConstraint("name <> ''", name=op.f('ck_bank_entries_name_not_empty')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_bank_entries_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_entries')),
    sa.UniqueConstraint('name', name=op.f('uq_bank_entries_name'))
    )


def downgrade():
    op.drop_table('bank_entries')
