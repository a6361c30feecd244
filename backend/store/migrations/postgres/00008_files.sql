-- +goose Up
-- Project files. The content is in the data folder's files/ by SHA-256 (written to a temp
-- name and renamed); a row here is written in the same transaction as what it records.
-- Folders nest; each project has at most one "From the client" folder (from_client), where
-- clients' uploads land.
CREATE TABLE folders (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    parent_id   TEXT REFERENCES folders (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    from_client BIGINT NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX folders_name ON folders (project_id, COALESCE(parent_id, ''), lower(name));
CREATE UNIQUE INDEX folders_from_client ON folders (project_id) WHERE from_client = 1;

CREATE TABLE files (
    id           TEXT PRIMARY KEY,
    project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    folder_id    TEXT REFERENCES folders (id) ON DELETE CASCADE,
    task_id      TEXT REFERENCES tasks (id) ON DELETE CASCADE, -- a task's files go with it
    name         TEXT NOT NULL,
    size         BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    shared       BIGINT NOT NULL DEFAULT 0,
    from_client  BIGINT NOT NULL DEFAULT 0,
    uploaded_by  TEXT NOT NULL DEFAULT '', -- the uploader's id ('' once they are deleted)
    uploader     TEXT NOT NULL,            -- their name, kept
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX files_place ON files (project_id, folder_id, name);
CREATE INDEX files_sha ON files (sha256);
CREATE INDEX files_task ON files (task_id);

-- +goose Down
DROP TABLE files;
DROP TABLE folders;
