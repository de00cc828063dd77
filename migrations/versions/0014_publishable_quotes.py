"""Publishable quotes (S24): staff mark which representative quotes of a theme may reach the
public page, the insight report and the partner API; who marked it and when.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 21:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def _foreign_keys(on):
    """SQLite: switch foreign keys on or off (a no-op elsewhere)."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    with op.batch_alter_table('theme_quotes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publishable', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('publishable_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('publishable_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_theme_quotes_publishable_by_id_users'),
                                    'users', ['publishable_by_id'], ['id'],
                                    ondelete='SET NULL')
    _foreign_keys(True)


def downgrade():
    _foreign_keys(False)
    with op.batch_alter_table('theme_quotes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_theme_quotes_publishable_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('publishable_at')
        batch_op.drop_column('publishable_by_id')
        batch_op.drop_column('publishable')
    _foreign_keys(True)
