-- +goose Up
-- Every change to a discussion or a chat channel (a message posted, edited or deleted)
-- takes the next revision of its thread or channel, and the message keeps it: a reader
-- polls "changed after revision N" and sees edits and deletions as well as new messages.
ALTER TABLE threads ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;
UPDATE messages SET rev = seq;
UPDATE threads SET rev = COALESCE((SELECT MAX(seq) FROM messages WHERE messages.thread_id = threads.id), 0);
CREATE INDEX messages_rev ON messages (thread_id, rev);

ALTER TABLE chat_channels ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;
ALTER TABLE chat_messages ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;
UPDATE chat_messages SET rev = seq;
UPDATE chat_channels SET rev = last_seq;
CREATE INDEX chat_messages_rev ON chat_messages (channel_id, rev);

-- +goose Down
DROP INDEX chat_messages_rev;
ALTER TABLE chat_messages DROP COLUMN rev;
ALTER TABLE chat_channels DROP COLUMN rev;
DROP INDEX messages_rev;
ALTER TABLE messages DROP COLUMN rev;
ALTER TABLE threads DROP COLUMN rev;
