-- +goose Up
-- The roles a role's holders may give to others (Kubernetes' "bind"): a People Manager
-- may add Staff and Client accounts without holding their permissions. Either role's
-- deletion takes the row with it, so a deleted role is never given and never gives.
CREATE TABLE role_assignable (
    role_id            TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    assignable_role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (role_id, assignable_role_id)
);
CREATE INDEX role_assignable_by_assignable ON role_assignable (assignable_role_id);

-- +goose Down
DROP TABLE role_assignable;
