-- +goose Up
-- Access review campaigns: a review snapshots, when it starts, a checklist of people ×
-- access (each person's role, project memberships, team memberships and board
-- invitations), split among its reviewers. Names are kept as they were then, so the report
-- still reads when a person or thing is deleted meanwhile; ids are not foreign keys for
-- the same reason. decision is '' (undecided), keep, revoke or change; outcome is what
-- closing the review did with it: '' (not yet), kept, applied or failed (with why).
CREATE TABLE access_reviews (
    id              TEXT NOT NULL PRIMARY KEY,
    scope           TEXT NOT NULL,              -- all | role | project
    scope_id        TEXT NOT NULL DEFAULT '',
    scope_name      TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'open', -- open | closed
    started_by      TEXT NOT NULL,
    started_by_name TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    closed_by_name  TEXT NOT NULL DEFAULT '',
    closed_at       TEXT
);
CREATE INDEX access_reviews_closed ON access_reviews (status, closed_at);

CREATE TABLE access_review_items (
    id              TEXT    NOT NULL PRIMARY KEY,
    review_id       TEXT    NOT NULL REFERENCES access_reviews (id) ON DELETE CASCADE,
    position        BIGINT NOT NULL,
    user_id         TEXT    NOT NULL,
    user_name       TEXT    NOT NULL,
    user_email      TEXT    NOT NULL DEFAULT '',
    kind            TEXT    NOT NULL,           -- role | project | team | board | grant
    thing_id        TEXT    NOT NULL,
    thing_name      TEXT    NOT NULL,
    detail          TEXT    NOT NULL DEFAULT '', -- project: member | client; board: editor | member
    reviewer_id     TEXT    NOT NULL,
    reviewer_name   TEXT    NOT NULL,
    decision        TEXT    NOT NULL DEFAULT '',
    new_role_id     TEXT    NOT NULL DEFAULT '',
    new_role_name   TEXT    NOT NULL DEFAULT '',
    note            TEXT    NOT NULL DEFAULT '',
    decided_at      TEXT,
    outcome         TEXT    NOT NULL DEFAULT '',
    outcome_message TEXT    NOT NULL DEFAULT '',
    applied_at      TEXT
);
CREATE INDEX access_review_items_review ON access_review_items (review_id, position);
CREATE INDEX access_review_items_reviewer ON access_review_items (reviewer_id, review_id);

-- The quarter's reminder ("2026-Q4") to the owner that a review is due: one row, written
-- with its outbox mail in one transaction, so it is sent once per quarter.
CREATE TABLE access_review_reminders (
    quarter  TEXT NOT NULL PRIMARY KEY,
    user_id  TEXT NOT NULL,
    mail_id  TEXT NOT NULL DEFAULT '',
    sent_at  TEXT NOT NULL
);

-- +goose Down
DROP TABLE access_review_reminders;
DROP TABLE access_review_items;
DROP TABLE access_reviews;
