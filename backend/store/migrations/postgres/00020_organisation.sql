-- +goose Up
-- Settings → General: who the organisation is (its name and logo, shown in the window's
-- title, on the sign-in screen, in the portal, in mails and on invoices), its accent
-- colour, the time zone every date is shown in, how dates and numbers are written, and
-- the language people get until they choose their own. The currency stays in
-- installation (00015), beside the amounts kept in it.
CREATE TABLE organisation (
    id            BIGINT PRIMARY KEY CHECK (id = 1),
    name          TEXT NOT NULL DEFAULT '',
    accent        TEXT NOT NULL DEFAULT 'indigo',
    timezone      TEXT NOT NULL DEFAULT 'UTC',
    date_format   TEXT NOT NULL DEFAULT 'locale',
    number_format TEXT NOT NULL DEFAULT 'locale',
    language      TEXT NOT NULL DEFAULT 'en',
    logo          BYTEA,
    logo_type     TEXT NOT NULL DEFAULT '',
    logo_version  BIGINT NOT NULL DEFAULT 0,
    updated_at    TEXT NOT NULL DEFAULT ''
);
INSERT INTO organisation (id) VALUES (1);

-- +goose Down
DROP TABLE organisation;
