-- +goose Up
-- Whether a discussion message's author was a team member or a client when they wrote
-- it, kept with the message: a client reader is told another client's messages only as
-- "Another client", even after that client's account is deleted. Messages of accounts
-- already deleted keep '' (unknown), which client readers see as "Another client" too.
ALTER TABLE messages ADD COLUMN author_kind TEXT NOT NULL DEFAULT '';
UPDATE messages SET author_kind = COALESCE(
    (SELECT r.kind FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = messages.author_id), '');

-- +goose Down
ALTER TABLE messages DROP COLUMN author_kind;
