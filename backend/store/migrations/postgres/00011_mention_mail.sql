-- +goose Up
-- The notification mail "someone mentions me in a discussion", on by default like the others.
ALTER TABLE email_settings ADD COLUMN notify_mentioned BIGINT NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE email_settings DROP COLUMN notify_mentioned;
