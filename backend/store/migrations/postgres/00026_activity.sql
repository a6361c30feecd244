-- +goose Up
-- The organisation's day of each entry, written with it (in the organisation's time zone
-- then): the activity log shows a person's successful sign-ins as one line per day, and
-- groups them in the query so paging never splits a day. Entries from before this column
-- get their UTC day.
ALTER TABLE audit_log ADD COLUMN day TEXT NOT NULL DEFAULT '';
UPDATE audit_log SET day = substr(at, 1, 10);
CREATE INDEX audit_signin_days ON audit_log (action, actor_id, day, id);
-- Retention removes entries by age.
CREATE INDEX audit_at ON audit_log (at);

-- How many days the activity log keeps an entry (Settings → Security); 0 keeps it for ever.
ALTER TABLE security_settings ADD COLUMN activity_retention_days BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE security_settings DROP COLUMN activity_retention_days;
DROP INDEX audit_at;
DROP INDEX audit_signin_days;
ALTER TABLE audit_log DROP COLUMN day;
