-- +goose Up
-- Team chat and 1:1 messages. A channel is named by its id ("everyone", "team:<id>",
-- "dm:<a>:<b>"); its row is made with its first message. A team's channel goes with the
-- team; a 1:1 conversation stays when one of its two people is deleted (the other can
-- still read it), and messages keep their author's name.
CREATE TABLE chat_channels (
    id              TEXT PRIMARY KEY,
    team_id         TEXT REFERENCES teams (id) ON DELETE CASCADE,
    user_a          TEXT NOT NULL DEFAULT '',
    user_b          TEXT NOT NULL DEFAULT '',
    last_seq        BIGINT NOT NULL DEFAULT 0,
    last_message_at TEXT NOT NULL
);
CREATE INDEX chat_channels_a ON chat_channels (user_a);
CREATE INDEX chat_channels_b ON chat_channels (user_b);

CREATE TABLE chat_messages (
    id          TEXT PRIMARY KEY,
    channel_id  TEXT NOT NULL REFERENCES chat_channels (id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    author_id   TEXT NOT NULL DEFAULT '',
    author_name TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    edited_at   TEXT NOT NULL DEFAULT '',
    deleted     BIGINT NOT NULL DEFAULT 0,
    UNIQUE (channel_id, seq)
);

-- How far each person has read each channel: unread counts are the others' messages after it.
CREATE TABLE chat_reads (
    channel_id TEXT NOT NULL REFERENCES chat_channels (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);

-- +goose Down
DROP TABLE chat_reads;
DROP TABLE chat_messages;
DROP TABLE chat_channels;
