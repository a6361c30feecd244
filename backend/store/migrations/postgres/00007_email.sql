-- +goose Up
-- Settings → Email. The SMTP password is in the keychain; password_set only says whether
-- one is stored there.
CREATE TABLE email_settings (
    id                 BIGINT PRIMARY KEY CHECK (id = 1),
    host               TEXT NOT NULL DEFAULT '',
    port               BIGINT NOT NULL DEFAULT 587,
    security           TEXT NOT NULL DEFAULT 'starttls' CHECK (security IN ('starttls', 'tls', 'none')),
    username           TEXT NOT NULL DEFAULT '',
    password_set       BIGINT NOT NULL DEFAULT 0,
    from_name          TEXT NOT NULL DEFAULT '',
    from_address       TEXT NOT NULL DEFAULT '',
    app_url            TEXT NOT NULL DEFAULT '',
    notify_project     BIGINT NOT NULL DEFAULT 1,
    notify_assigned    BIGINT NOT NULL DEFAULT 1,
    notify_reviewed    BIGINT NOT NULL DEFAULT 1,
    updated_at         TEXT NOT NULL DEFAULT ''
);
INSERT INTO email_settings (id) VALUES (1);

-- The outbox: a mail is written here in the same transaction as the change that causes
-- it and sent after the commit. Mails are rendered when sent (so they name only what the
-- recipient may see then); params is a JSON object of ids. secret holds the one-time link
-- token or generated password a mail carries, sealed (AES-GCM, key in the keychain), and
-- only until the mail is sent or cancelled (a failed mail keeps it, sealed, for "Retry now").
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    seq             BIGINT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    to_user_id      TEXT NOT NULL DEFAULT '',
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    params          TEXT NOT NULL DEFAULT '{}',
    secret          BYTEA,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed', 'cancelled')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL DEFAULT '',
    sent_at         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_state_seq ON outbox (state, seq);
CREATE INDEX outbox_user ON outbox (to_user_id, state);

-- One-time links (welcome: 72 hours; reset: 30 minutes; email, confirming one's own new
-- address: 24 hours): only the SHA-256 of
-- the token is stored; a link is used once, and a newer link ends the older ones. stamp is
-- a digest of the account's email, role and password hash when the link was made: a link
-- works only while they are unchanged (a corrected email, a new password, a promotion
-- end it), and deactivation ends it too.
CREATE TABLE password_links (
    token_hash BYTEA PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    stamp      BYTEA NOT NULL,
    purpose    TEXT NOT NULL CHECK (purpose IN ('welcome', 'reset', 'email')),
    new_email  TEXT NOT NULL DEFAULT '', -- purpose email: the address being confirmed
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX password_links_user ON password_links (user_id);

-- What each person turned off (everything is on unless a row says otherwise).
CREATE TABLE notification_prefs (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- +goose Down
DROP TABLE notification_prefs;
DROP TABLE password_links;
DROP TABLE outbox;
DROP TABLE email_settings;
