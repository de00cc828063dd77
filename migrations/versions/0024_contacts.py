"""Contact lists for survey invitations (issue 19): survey_contacts (who was invited, how their
last message went, whether they responded or opted out: flags only), contact_links (the SHA-256
of each mailed link's token) and contact_reminders (reminders due at a time).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('ward', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivery', sa.String(length=16), nullable=False),
    sa.Column('delivery_detail', sa.String(length=200), nullable=False),
    sa.Column('notify_id', sa.String(length=64), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminders', sa.Integer(), nullable=False),
    sa.Column('responded', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('opted_out', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.CheckConstraint("email <> '' OR mobile <> ''", name=op.f('ck_survey_contacts_email_or_mobile')),
    sa.CheckConstraint("delivery IN ('pending', 'sent', 'delivered', 'failed', 'bounced', 'not_sent')", name=op.f('ck_survey_contacts_delivery_known')),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_contacts_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_contacts'))
    )
    with op.batch_alter_table('survey_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_contacts_survey_id'), ['survey_id'], unique=False)

    op.create_table('contact_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['survey_contacts.id'], name=op.f('fk_contact_links_contact_id_survey_contacts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_contact_links_token_hash'))
    )
    with op.batch_alter_table('contact_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_links_contact_id'), ['contact_id'], unique=False)

    op.create_table('contact_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_contact_reminders_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_contact_reminders_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_contact_reminders_job_id_jobs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_reminders'))
    )
    with op.batch_alter_table('contact_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_reminders_survey_id'), ['survey_id'], unique=False)


def downgrade():
    with op.batch_alter_table('contact_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_reminders_survey_id'))
    op.drop_table('contact_reminders')
    with op.batch_alter_table('contact_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_links_contact_id'))
    op.drop_table('contact_links')
    with op.batch_alter_table('survey_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_contacts_survey_id'))
    op.drop_table('survey_contacts')
