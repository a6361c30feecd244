-- +goose Up
-- Role history: each custom role's state after every change (created, edited, rolled
-- back), numbered from 1, with who made it and when. Written in the change's own
-- transaction. Built-in roles never change, so they have none. A deleted role's history
-- goes with it. grants is a JSON array of {"key","scope"}.
CREATE TABLE role_versions (
    role_id     TEXT    NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    version     BIGINT NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    kind        TEXT    NOT NULL,
    grants      TEXT    NOT NULL DEFAULT '[]',
    actor_id    TEXT    NOT NULL DEFAULT '',
    actor_name  TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '', -- create, update, clone or rollback:N
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (role_id, version)
);

-- +goose Down
DROP TABLE role_versions;
