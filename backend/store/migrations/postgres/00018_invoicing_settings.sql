-- +goose Up
-- Who issues the invoices (printed on each PDF), how a client pays when no gateway is
-- connected, and which gateway is (its keys are in the keychain, never here).
CREATE TABLE invoicing_settings (
    id                   BIGINT PRIMARY KEY CHECK (id = 1),
    issuer_name          TEXT NOT NULL DEFAULT '',
    issuer_email         TEXT NOT NULL DEFAULT '',
    issuer_phone         TEXT NOT NULL DEFAULT '',
    issuer_address       TEXT NOT NULL DEFAULT '',
    payment_instructions TEXT NOT NULL DEFAULT '',
    gateway              TEXT NOT NULL DEFAULT '' CHECK (gateway IN ('', 'stripe')),
    updated_at           TEXT NOT NULL DEFAULT ''
);
INSERT INTO invoicing_settings (id) VALUES (1);

-- A payment started at the gateway: the session the gateway named, for which invoice and
-- amount, by whom. A payment counts only when the gateway confirms this session.
CREATE TABLE checkout_sessions (
    id          TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL,
    invoice_id  TEXT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    amount      BIGINT NOT NULL CHECK (amount > 0),
    currency    TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX checkout_sessions_session ON checkout_sessions (session_id);

-- +goose Down
DROP TABLE checkout_sessions;
DROP TABLE invoicing_settings;
