-- +goose Up
-- Extra grants to one person beyond their role, optionally until a date: one permission
-- (with its scope), a role for a while (role_id; previous_role_id is the role they
-- return to), a project membership, a board invitation (with its level) or a follow of a
-- task (target_id). A grant that ended (revoked, expired) keeps its row, with when and how,
-- so an expiry is applied exactly once however often Gatehouse starts; reminded_at records
-- that the reminder mail went, so it goes once. Times are UTC text (store.formatTime).
CREATE TABLE user_grants (
    id               TEXT NOT NULL PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('permission', 'role', 'project', 'board', 'follow')),
    permission       TEXT NOT NULL DEFAULT '',
    scope            TEXT NOT NULL DEFAULT '',
    role_id          TEXT NOT NULL DEFAULT '',
    previous_role_id TEXT NOT NULL DEFAULT '',
    target_id        TEXT NOT NULL DEFAULT '',
    level            TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    given_by         TEXT NOT NULL DEFAULT '',
    given_by_name    TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    until            TEXT,
    reminded_at      TEXT,
    ended_at         TEXT,
    ended_how        TEXT NOT NULL DEFAULT '' CHECK (ended_how IN ('', 'revoked', 'expired')),
    ended_by_name    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX user_grants_user ON user_grants (user_id);
CREATE INDEX user_grants_open ON user_grants (ended_at, until);

-- +goose Down
DROP TABLE user_grants;
