-- +goose Up
-- Project discussions: threads, each internal or visible to the project's clients, with
-- their messages. A deleted message keeps its place ("deleted") so replies read in order.
CREATE TABLE threads (
    id              TEXT PRIMARY KEY,
    project_id      TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    client_visible  BIGINT NOT NULL DEFAULT 0,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    last_message_at TEXT NOT NULL
);
CREATE INDEX threads_project ON threads (project_id, last_message_at);

CREATE TABLE messages (
    id          TEXT PRIMARY KEY,
    thread_id   TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    author_id   TEXT NOT NULL DEFAULT '',
    author_name TEXT NOT NULL,
    body        TEXT NOT NULL,
    mentions    TEXT NOT NULL DEFAULT '[]',
    created_at  TEXT NOT NULL,
    edited_at   TEXT NOT NULL DEFAULT '',
    deleted     BIGINT NOT NULL DEFAULT 0,
    UNIQUE (thread_id, seq)
);

-- +goose Down
DROP TABLE messages;
DROP TABLE threads;
