"""Scale (issue 21): sent responses counted per survey, UTC day and channel in `sent_counts`,
kept by triggers on `responses` (statement-level with transition tables on PostgreSQL, so a
COPY or a bulk delete updates each count once).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

PG_DAY = "(({t}.submitted_at AT TIME ZONE 'UTC')::date)"
SQLITE_DAY = "date({t}.submitted_at)"

PG_FUNCTIONS = f"""
CREATE FUNCTION sent_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sent_counts AS c (survey_id, day, channel, n)
    SELECT survey_id, {PG_DAY.format(t='new_rows')}, channel, count(*)
    FROM new_rows WHERE status = 'submitted' GROUP BY 1, 2, 3
    ON CONFLICT (survey_id, day, channel) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE FUNCTION sent_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sent_counts AS c SET n = c.n - d.k
    FROM (SELECT survey_id, {PG_DAY.format(t='old_rows')} AS day, channel, count(*) AS k
          FROM old_rows WHERE status = 'submitted' GROUP BY 1, 2, 3) AS d
    WHERE c.survey_id = d.survey_id AND c.day = d.day AND c.channel = d.channel;
    RETURN NULL;
END $$;

CREATE FUNCTION sent_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'submitted' THEN
        UPDATE sent_counts SET n = n - 1
        WHERE survey_id = OLD.survey_id AND day = {PG_DAY.format(t='OLD')}
          AND channel = OLD.channel;
    END IF;
    IF NEW.status = 'submitted' THEN
        INSERT INTO sent_counts AS c (survey_id, day, channel, n)
        VALUES (NEW.survey_id, {PG_DAY.format(t='NEW')}, NEW.channel, 1)
        ON CONFLICT (survey_id, day, channel) DO UPDATE SET n = c.n + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER sent_counts_insert AFTER INSERT ON responses
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sent_counts_inserted();
CREATE TRIGGER sent_counts_delete AFTER DELETE ON responses
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sent_counts_deleted();
CREATE TRIGGER sent_counts_update AFTER UPDATE ON responses FOR EACH ROW
    WHEN ((OLD.status = 'submitted' OR NEW.status = 'submitted')
          AND (OLD.status IS DISTINCT FROM NEW.status
               OR OLD.channel IS DISTINCT FROM NEW.channel
               OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at
               OR OLD.survey_id IS DISTINCT FROM NEW.survey_id))
    EXECUTE FUNCTION sent_counts_updated();
"""

SQLITE_ADD = """
    INSERT OR IGNORE INTO sent_counts (survey_id, day, channel, n)
        VALUES (NEW.survey_id, {day}, NEW.channel, 0);
    UPDATE sent_counts SET n = n + 1
        WHERE survey_id = NEW.survey_id AND day = {day} AND channel = NEW.channel;
""".format(day=SQLITE_DAY.format(t='NEW'))
SQLITE_SUBTRACT = """
    UPDATE sent_counts SET n = n - 1
        WHERE survey_id = OLD.survey_id AND day = {day} AND channel = OLD.channel;
""".format(day=SQLITE_DAY.format(t='OLD'))
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER sent_counts_insert AFTER INSERT ON responses
        WHEN NEW.status = 'submitted' BEGIN {SQLITE_ADD} END""",
    f"""CREATE TRIGGER sent_counts_delete AFTER DELETE ON responses
        WHEN OLD.status = 'submitted' BEGIN {SQLITE_SUBTRACT} END""",
    f"""CREATE TRIGGER sent_counts_update_old AFTER UPDATE ON responses
        WHEN OLD.status = 'submitted' AND (OLD.status IS NOT NEW.status
             OR OLD.channel IS NOT NEW.channel OR OLD.submitted_at IS NOT NEW.submitted_at
             OR OLD.survey_id IS NOT NEW.survey_id) BEGIN {SQLITE_SUBTRACT} END""",
    f"""CREATE TRIGGER sent_counts_update_new AFTER UPDATE ON responses
        WHEN NEW.status = 'submitted' AND (OLD.status IS NOT NEW.status
             OR OLD.channel IS NOT NEW.channel OR OLD.submitted_at IS NOT NEW.submitted_at
             OR OLD.survey_id IS NOT NEW.survey_id) BEGIN {SQLITE_ADD} END""",
]


def upgrade():
    op.create_table('sent_counts',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_sent_counts_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'day', 'channel', name=op.f('pk_sent_counts'))
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    day = (PG_DAY if postgres else SQLITE_DAY).format(t='responses')
    op.execute(f"INSERT INTO sent_counts (survey_id, day, channel, n)"
               f" SELECT survey_id, {day}, channel, count(*) FROM responses"
               f" WHERE status = 'submitted' GROUP BY 1, 2, 3")
    if postgres:
        op.execute(PG_FUNCTIONS)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS sent_counts_{name} ON responses")
        for name in ("inserted", "deleted", "updated"):
            op.execute(f"DROP FUNCTION IF EXISTS sent_counts_{name}()")
    else:
        for name in ("insert", "delete", "update_old", "update_new"):
            op.execute(f"DROP TRIGGER IF EXISTS sent_counts_{name}")
    op.drop_table('sent_counts')
