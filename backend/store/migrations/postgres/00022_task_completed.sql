-- +goose Up
-- When a task reached a "done" stage (reports count what was completed each week); empty
-- while it is not done. Tasks done already count from their last change.
ALTER TABLE tasks ADD COLUMN completed_at TEXT NOT NULL DEFAULT '';
UPDATE tasks SET completed_at = updated_at WHERE stage_id IN (SELECT id FROM board_stages WHERE kind = 'done');

-- +goose Down
ALTER TABLE tasks DROP COLUMN completed_at;
