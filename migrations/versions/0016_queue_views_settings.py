"""Ask the Mayor moderation (issue 15): when each member of staff last looked at the queue
("new since you last looked"), and settings an administrator changes (separation of duties).

The lead re-points down_revision when merging.

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-06 21:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mayor_queue_views',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('previous_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mayor_queue_views_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_mayor_queue_views'))
    )
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
    op.drop_table('mayor_queue_views')
