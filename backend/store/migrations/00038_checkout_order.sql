-- +goose Up
-- Which checkout of a session came last: SQLite keeps rowid, the insertion order, on every
-- table; PostgreSQL has none, so its migration adds a column counting inserts. Nothing to
-- do here.
SELECT 1;

-- +goose Down
SELECT 1;
