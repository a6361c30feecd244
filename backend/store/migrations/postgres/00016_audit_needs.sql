-- +goose Up
-- An activity-log entry that carries a figure only some may read (a budget, a cost, an
-- hour rate) names the permission it needs; readers without it never get the entry.
ALTER TABLE audit_log ADD COLUMN needs TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_log DROP COLUMN needs;
