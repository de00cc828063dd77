"""channels on one data model: interviewer, proxy, batch, paper sheet, consent; interviewer role,
interviewer targets and second keying of paper sheets

SQLite rebuilds the responses and users tables (batch mode); foreign keys are switched off
around the rebuild so that dropping the old table cascades nothing.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 11:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

OLD_ROLES = ('admin', 'engagement_officer', 'analyst', 'moderator', 'group_member',
             'partner_viewer')
NEW_ROLES = OLD_ROLES + ('interviewer',)


def _roles(roles):
    return "role IN (" + ", ".join(f"'{r}'" for r in roles) + ")"


def _foreign_keys(on):
    """SQLite: switch foreign keys on or off (a no-op elsewhere)."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_role_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_users_role_known'), _roles(NEW_ROLES))

    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interviewer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('entered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('proxy', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('batch', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('sheet_number', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('consent_recorded_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_responses_interviewer_id_users'), 'users',
                                    ['interviewer_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_responses_entered_by_id_users'), 'users',
                                    ['entered_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_responses_interviewer_id'), ['interviewer_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_responses_entered_by_id'), ['entered_by_id'],
                              unique=False)
        batch_op.create_index('ix_responses_survey_channel_batch',
                              ['survey_id', 'channel', 'batch'], unique=False)
        batch_op.create_unique_constraint('uq_responses_survey_batch_sheet',
                                          ['survey_id', 'batch', 'sheet_number'])
        batch_op.create_check_constraint(
            op.f('ck_responses_assisted_has_consent'),
            "channel NOT IN ('face_to_face', 'phone') OR consent_recorded_at IS NOT NULL")
        batch_op.create_check_constraint(
            op.f('ck_responses_online_has_no_interviewer'), "channel <> 'online' OR interviewer_id IS NULL")
        batch_op.create_check_constraint(
            op.f('ck_responses_sheet_number_only_paper'), "sheet_number IS NULL OR channel = 'paper'")
        batch_op.create_check_constraint(
            op.f('ck_responses_paper_has_sheet_number'), "channel <> 'paper' OR sheet_number IS NOT NULL")
        batch_op.create_check_constraint(
            op.f('ck_responses_sheet_number_not_empty'), "sheet_number IS NULL OR sheet_number <> ''")

    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.alter_column('proxy', server_default=None)
    _foreign_keys(True)

    op.create_table('interviewer_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('interviewer_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('target >= 0', name=op.f('ck_interviewer_targets_target_not_negative')),
    sa.ForeignKeyConstraint(['interviewer_id'], ['users.id'], name=op.f('fk_interviewer_targets_interviewer_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_interviewer_targets_set_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_interviewer_targets_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviewer_targets')),
    sa.UniqueConstraint('survey_id', 'interviewer_id', name='uq_interviewer_targets_survey_user')
    )
    with op.batch_alter_table('interviewer_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interviewer_targets_interviewer_id'),
                              ['interviewer_id'], unique=False)

    op.create_table('paper_rekeys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('keyed_by_id', sa.Integer(), nullable=True),
    sa.Column('keyed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['keyed_by_id'], ['users.id'], name=op.f('fk_paper_rekeys_keyed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_paper_rekeys_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_rekeys')),
    sa.UniqueConstraint('response_id', name=op.f('uq_paper_rekeys_response_id'))
    )


def downgrade():
    op.drop_table('paper_rekeys')
    with op.batch_alter_table('interviewer_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interviewer_targets_interviewer_id'))
    op.drop_table('interviewer_targets')

    _foreign_keys(False)
    with op.batch_alter_table('responses', schema=None) as batch_op:
        for name in ('sheet_number_not_empty', 'paper_has_sheet_number',
                     op.f('ck_responses_sheet_number_only_paper'), 'online_has_no_interviewer',
                     'assisted_has_consent'):
            batch_op.drop_constraint(name, type_='check')
        batch_op.drop_constraint('uq_responses_survey_batch_sheet', type_='unique')
        batch_op.drop_index('ix_responses_survey_channel_batch')
        batch_op.drop_index(batch_op.f('ix_responses_entered_by_id'))
        batch_op.drop_index(batch_op.f('ix_responses_interviewer_id'))
        batch_op.drop_constraint(batch_op.f('fk_responses_entered_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_responses_interviewer_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('consent_recorded_at')
        batch_op.drop_column('sheet_number')
        batch_op.drop_column('batch')
        batch_op.drop_column('proxy')
        batch_op.drop_column('entered_by_id')
        batch_op.drop_column('interviewer_id')

    op.execute("DELETE FROM users WHERE role = 'interviewer'")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_role_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_users_role_known'), _roles(OLD_ROLES))
    _foreign_keys(True)
