-- +goose Up
-- Invoices to client companies, in integer minor units of their currency. A draft has no
-- number; sending it takes the next number of its year in the same transaction, so numbers
-- have no gaps (a crash or a refusal rolls the counter back with everything else).
-- Partly paid and paid come from the payments recorded; overdue from the due date.
CREATE TABLE invoice_numbers (
    year BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE invoices (
    id          TEXT PRIMARY KEY,
    number      TEXT UNIQUE,
    company_id  TEXT NOT NULL REFERENCES companies (id) ON DELETE RESTRICT,
    project_id  TEXT REFERENCES projects (id) ON DELETE SET NULL,
    currency    TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('draft', 'sent', 'void')),
    issue_date  TEXT NOT NULL DEFAULT '',
    due_date    TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    total       BIGINT NOT NULL DEFAULT 0 CHECK (total >= 0),
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    sent_at     TEXT NOT NULL DEFAULT '',
    voided_at   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX invoices_company ON invoices (company_id);

CREATE TABLE invoice_lines (
    invoice_id     TEXT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position       BIGINT NOT NULL,
    description    TEXT NOT NULL,
    quantity_milli BIGINT NOT NULL CHECK (quantity_milli > 0),
    unit_price     BIGINT NOT NULL CHECK (unit_price >= 0),
    tax_rate_bp    BIGINT NOT NULL CHECK (tax_rate_bp >= 0 AND tax_rate_bp <= 10000),
    PRIMARY KEY (invoice_id, position)
);

CREATE TABLE payments (
    id          TEXT PRIMARY KEY,
    invoice_id  TEXT NOT NULL REFERENCES invoices (id) ON DELETE RESTRICT,
    amount      BIGINT NOT NULL CHECK (amount > 0),
    method      TEXT NOT NULL CHECK (method IN ('bank_transfer', 'cash', 'card', 'other', 'stripe')),
    received_on TEXT NOT NULL,
    reference   TEXT NOT NULL DEFAULT '',
    gateway_ref TEXT UNIQUE,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX payments_invoice ON payments (invoice_id);

-- +goose Down
DROP TABLE payments;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP TABLE invoice_numbers;
