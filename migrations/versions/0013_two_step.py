"""Two-step verification for staff (S6): the TOTP key, when it was turned on and the last time
step accepted on users; a key being set up on the server-side session; single-use recovery codes.

SQLite rebuilds the users table (batch mode) for the check that a key and its date come
together; foreign keys are switched off around the rebuild so that dropping the old table
cascades nothing.

The lead re-points down_revision when merging.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-22 14:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

TOTP_COMPLETE = ("(totp_secret IS NULL AND totp_enabled_at IS NULL)"
                 " OR (totp_secret IS NOT NULL AND totp_enabled_at IS NOT NULL)")


def _foreign_keys(on):
    """SQLite: switch foreign keys on or off (a no-op elsewhere)."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
        batch_op.create_check_constraint('totp_complete', TOTP_COMPLETE)
    _foreign_keys(True)
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_pending_secret', sa.String(length=32),
                                      nullable=True))
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_recovery_codes_code_hash'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))
    op.drop_table('recovery_codes')
    _foreign_keys(False)
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_column('totp_pending_secret')
    _foreign_keys(True)
    _foreign_keys(False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_totp_complete'), type_='check')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_secret')
    _foreign_keys(True)
