-- +goose Up
-- Settings → Backups: the folder automatic daily backups are written to (none when
-- empty), whether they are on, and how the last one went (shown on the page).
CREATE TABLE backup_settings (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    folder      TEXT    NOT NULL DEFAULT '',
    automatic   BIGINT NOT NULL DEFAULT 0,
    last_at     TEXT    NOT NULL DEFAULT '',
    last_file   TEXT    NOT NULL DEFAULT '',
    last_error  TEXT    NOT NULL DEFAULT '',
    updated_at  TEXT    NOT NULL DEFAULT ''
);
INSERT INTO backup_settings (id) VALUES (1);

-- +goose Down
DROP TABLE backup_settings;
