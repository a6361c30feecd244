-- +goose Up
-- A sent invoice keeps who issued it as it was when it was sent (its PDF never changes
-- when the invoice details do later); a draft prints the details as they are.
ALTER TABLE invoices ADD COLUMN issuer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN issuer_email TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN issuer_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN issuer_address TEXT NOT NULL DEFAULT '';
UPDATE invoices SET (issuer_name, issuer_email, issuer_phone, issuer_address) =
    (SELECT issuer_name, issuer_email, issuer_phone, issuer_address FROM invoicing_settings WHERE id = 1)
    WHERE state <> 'draft';
-- A checkout session counts once: when its payment was counted (or found to be beyond
-- what was owed), whichever confirmation came first.
ALTER TABLE checkout_sessions ADD COLUMN counted_at TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE checkout_sessions DROP COLUMN counted_at;
ALTER TABLE invoices DROP COLUMN issuer_address;
ALTER TABLE invoices DROP COLUMN issuer_phone;
ALTER TABLE invoices DROP COLUMN issuer_email;
ALTER TABLE invoices DROP COLUMN issuer_name;
