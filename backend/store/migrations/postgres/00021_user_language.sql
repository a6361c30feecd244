-- +goose Up
-- The language a person chose for themselves (My account); without a row, the
-- organisation's default (Settings → General).
CREATE TABLE user_languages (
    user_id  TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    language TEXT NOT NULL
);

-- +goose Down
DROP TABLE user_languages;
