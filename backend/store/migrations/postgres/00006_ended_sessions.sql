-- +goose Up
-- Sessions ended by someone else's act (a deactivation, a password change or reset), kept
-- for a while by token hash only, so the next request of such a session can be told why
-- it ended instead of a bare "sign in again".
CREATE TABLE ended_sessions (
    token_hash BYTEA PRIMARY KEY,
    reason     TEXT NOT NULL,
    ended_at   TEXT NOT NULL
);

-- +goose Down
DROP TABLE ended_sessions;
