"""Coded results (issue 22): a codeframe marked final by an analyst (codeframes.final_at,
final_by_id) is what reports, exports, the API and public pages count; a board item may be a
code of a final codeframe (priority_board_items.code_id) as well as a theme.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('codeframes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('final_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('final_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_codeframes_final_by_id_users'), 'users',
                                    ['final_by_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('priority_board_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_priority_board_items_code_id_codes'), 'codes',
                                    ['code_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('priority_board_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_priority_board_items_code_id_codes'),
                                 type_='foreignkey')
        batch_op.drop_column('code_id')
    with op.batch_alter_table('codeframes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_codeframes_final_by_id_users'), type_='foreignkey')
        batch_op.drop_column('final_by_id')
        batch_op.drop_column('final_at')
