-- +goose Up
-- Roles. Built-in roles (admin, staff, client) are rows here so users can reference them,
-- but their permissions come from the Go table in backend/authz, not role_permissions.
CREATE TABLE roles (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE, -- lower-cased trimmed name: names are unique ignoring case
    kind        TEXT NOT NULL CHECK (kind IN ('internal', 'client')),
    built_in    INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE role_permissions (
    role_id  TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    perm_key TEXT NOT NULL,
    scope    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (role_id, perm_key)
);

INSERT INTO roles (id, name, name_key, kind, built_in, description, created_at, updated_at) VALUES
    ('admin', 'Admin', 'admin', 'internal', 1, 'Full, unrestricted access to everything in the system.', '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z'),
    ('staff', 'Staff', 'staff', 'internal', 1, 'Project-level access limited to assignments.', '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z'),
    ('client', 'Client', 'client', 'client', 1, 'Portal-only access limited to their assigned projects.', '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z');

CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    name_key             TEXT NOT NULL, -- lower-cased name, for sorting and search
    email                TEXT NOT NULL,
    email_key            TEXT NOT NULL UNIQUE, -- lower-cased email: the login
    password_hash        TEXT NOT NULL,
    role_id              TEXT NOT NULL REFERENCES roles (id),
    status               TEXT NOT NULL CHECK (status IN ('active', 'deactivated')),
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    last_sign_in_at      TEXT
);
CREATE INDEX users_role ON users (role_id);
CREATE INDEX users_name ON users (name_key, id);
CREATE INDEX users_created ON users (created_at, id);

-- Sessions are bearer tokens; only a SHA-256 of the token is stored.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    token_hash   BLOB NOT NULL UNIQUE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL -- absolute lifetime
);
CREATE INDEX sessions_user ON sessions (user_id);

-- The audit log never holds passwords or tokens; details is a JSON object.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor_id    TEXT NOT NULL DEFAULT '',
    actor_name  TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id   TEXT NOT NULL DEFAULT '',
    target_name TEXT NOT NULL DEFAULT '',
    target_kind TEXT NOT NULL DEFAULT '', -- 'client' when the target is a portal user
    address     TEXT NOT NULL DEFAULT '',
    details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_action ON audit_log (action, id);
CREATE INDEX audit_actor ON audit_log (actor_id, id);
CREATE INDEX audit_target ON audit_log (target_id, id);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE role_permissions;
DROP TABLE roles;
