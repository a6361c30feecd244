-- +goose Up
-- One row: what tells this data folder's keychain entries apart from another's (a second
-- data folder, a test) on the same machine. Random, and not a secret.
CREATE TABLE installation (
    id               BIGINT PRIMARY KEY CHECK (id = 1),
    secret_namespace TEXT NOT NULL
);
INSERT INTO installation (id, secret_namespace) VALUES (1, replace(gen_random_uuid()::text, '-', ''));

-- One row: Settings → Sign-in. The Google client secret is in the keychain, never here;
-- client_secret_set only says whether one was stored.
CREATE TABLE signin_settings (
    id                  BIGINT PRIMARY KEY CHECK (id = 1),
    google_client_id    TEXT NOT NULL DEFAULT '',
    client_secret_set   BIGINT NOT NULL DEFAULT 0,
    google_issuer       TEXT NOT NULL DEFAULT 'https://accounts.google.com',
    hosted_domain       TEXT NOT NULL DEFAULT '',
    allow_registrations BIGINT NOT NULL DEFAULT 1,
    link_by_email       BIGINT NOT NULL DEFAULT 1,
    -- Deleting the chosen role puts new Google users back on the built-in Client role.
    default_role_id     TEXT NOT NULL DEFAULT 'client' REFERENCES roles (id) ON DELETE SET DEFAULT,
    updated_at          TEXT NOT NULL DEFAULT ''
);
INSERT INTO signin_settings (id) VALUES (1);

-- External identities (Google accounts) linked to users. Once linked, an account is found
-- by (issuer, subject), never by email; one identity per issuer and user.
CREATE TABLE identities (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider     TEXT NOT NULL,
    issuer       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    email        TEXT NOT NULL, -- as the provider said at linking, for people to recognise it
    linked_via   TEXT NOT NULL, -- 'email' (matched an existing account) or 'registration'
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    UNIQUE (issuer, subject),
    UNIQUE (user_id, issuer)
);

-- "Keep me signed in" in the window: the refresh token lives in the keychain, only its
-- SHA-256 here. Ended by sign-out, deactivation and any password change or reset.
CREATE TABLE remembered_sessions (
    id           TEXT PRIMARY KEY,
    token_hash   BYTEA NOT NULL UNIQUE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX remembered_sessions_user ON remembered_sessions (user_id);

-- +goose Down
DROP TABLE remembered_sessions;
DROP TABLE identities;
DROP TABLE signin_settings;
DROP TABLE installation;
