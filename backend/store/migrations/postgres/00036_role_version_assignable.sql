-- +goose Up
-- Role history also keeps each version's roles its holders may give (role_assignable), a
-- JSON array of role ids, so the history shows their changes and a rollback restores
-- them. NULL: a version written before this column, whose list was not recorded (a
-- rollback to it leaves the list as it is).
ALTER TABLE role_versions ADD COLUMN assignable TEXT;

-- +goose Down
ALTER TABLE role_versions DROP COLUMN assignable;
