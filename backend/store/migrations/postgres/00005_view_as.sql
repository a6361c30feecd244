-- +goose Up
-- Whom a session views the app as (read-only), once that was started and audited: ''
-- when nobody. Kept with the session, so it ends with it and is bounded by it.
ALTER TABLE sessions ADD COLUMN view_as TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sessions DROP COLUMN view_as;
