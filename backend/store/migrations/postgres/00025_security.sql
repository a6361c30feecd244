-- +goose Up
-- One row: Settings → Security. The defaults are what Gatehouse did before the settings
-- existed (12 characters, 8 hours idle, 7 days in all, 5/10/20 failures).
CREATE TABLE security_settings (
    id                     BIGINT PRIMARY KEY CHECK (id = 1),
    min_password_length    BIGINT NOT NULL DEFAULT 12,
    idle_timeout_minutes   BIGINT NOT NULL DEFAULT 480,
    session_lifetime_hours BIGINT NOT NULL DEFAULT 168,
    throttle_account       BIGINT NOT NULL DEFAULT 5,  -- failures on one account from one address
    throttle_account_wide  BIGINT NOT NULL DEFAULT 10, -- on one account from addresses it has not used
    throttle_address       BIGINT NOT NULL DEFAULT 20, -- from one address on any accounts
    updated_at             TEXT NOT NULL DEFAULT ''
);
INSERT INTO security_settings (id) VALUES (1);

-- Roles whose holders must sign in with a second factor. A deleted role's row goes with it.
CREATE TABLE two_factor_roles (
    role_id TEXT PRIMARY KEY REFERENCES roles (id) ON DELETE CASCADE
);

-- A person's authenticator (TOTP, RFC 6238) secret, sealed (AES-256-GCM) with a key that
-- lives in the keychain: never here in clear. confirmed_at is NULL while an enrolment
-- waits for its first code. last_step is the time step of the last code accepted, so each
-- code works once.
CREATE TABLE two_factor (
    user_id       TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_sealed BYTEA NOT NULL,
    started_at    TEXT NOT NULL,
    confirmed_at  TEXT,
    last_step     BIGINT NOT NULL DEFAULT 0
);

-- Ten single-use recovery codes per enrolled person; only their SHA-256 is stored.
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash BYTEA NOT NULL,
    used_at   TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- How a session was opened: 'password', 'two_factor' (password and a code), 'google', and
-- a remembered sign-in keeps the way of the session that made it. A Google sign-in is
-- not asked for Gatehouse's second factor.
ALTER TABLE sessions ADD COLUMN method TEXT NOT NULL DEFAULT 'password';
ALTER TABLE remembered_sessions ADD COLUMN method TEXT NOT NULL DEFAULT 'password';

-- +goose Down
ALTER TABLE remembered_sessions DROP COLUMN method;
ALTER TABLE sessions DROP COLUMN method;
DROP TABLE recovery_codes;
DROP TABLE two_factor;
DROP TABLE two_factor_roles;
DROP TABLE security_settings;
