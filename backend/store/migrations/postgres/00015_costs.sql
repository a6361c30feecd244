-- +goose Up
-- Company costs and hour rates, in integer minor units (cents) of the organisation's
-- currency, never floats: a client company's cost per month, a project's budget and its
-- extra costs, a team member's hour rate. NULL: not set.
ALTER TABLE installation ADD COLUMN currency TEXT NOT NULL DEFAULT 'EUR';
ALTER TABLE companies ADD COLUMN cost_per_month BIGINT CHECK (cost_per_month >= 0);
ALTER TABLE projects ADD COLUMN budget BIGINT CHECK (budget >= 0);
CREATE TABLE project_costs (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    amount      BIGINT NOT NULL CHECK (amount > 0),
    spent_on    TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX project_costs_project ON project_costs (project_id, spent_on);
CREATE TABLE user_rates (
    user_id   TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    hour_rate BIGINT NOT NULL CHECK (hour_rate >= 0)
);

-- +goose Down
DROP TABLE user_rates;
DROP TABLE project_costs;
ALTER TABLE projects DROP COLUMN budget;
ALTER TABLE companies DROP COLUMN cost_per_month;
ALTER TABLE installation DROP COLUMN currency;
