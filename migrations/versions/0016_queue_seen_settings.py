"""Ask the Mayor moderation (issue 15): when each member of staff last looked at the queue
("new since you last looked": two nullable columns on users, added without rebuilding the
table), and settings an administrator changes (separation of duties).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 21:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def _foreign_keys(on):
    """SQLite: switch foreign keys on or off around a rebuild of users (a no-op elsewhere)."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade():
    op.add_column('users', sa.Column('queue_seen_at', sa.DateTime(timezone=True),
                                     nullable=True))
    op.add_column('users', sa.Column('queue_previous_seen_at', sa.DateTime(timezone=True),
                                     nullable=True))
    op.create_table('service_settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_service_settings_changed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_service_settings'))
    )


def downgrade():
    op.drop_table('service_settings')
    _foreign_keys(False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('queue_previous_seen_at')
        batch_op.drop_column('queue_seen_at')
    _foreign_keys(True)
