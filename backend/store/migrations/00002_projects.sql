-- +goose Up
CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    leader  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE projects (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('active', 'archived')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Who a project is visible to besides roles with projects.view:all: internal members, teams,
-- and attached clients (portal users).
CREATE TABLE project_members (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user ON project_members (user_id);

CREATE TABLE project_teams (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    team_id    TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, team_id)
);
CREATE INDEX project_teams_team ON project_teams (team_id);

CREATE TABLE project_clients (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_clients_user ON project_clients (user_id);

CREATE TABLE boards (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('all', 'invited')),
    created_at TEXT NOT NULL
);

CREATE TABLE board_stages (
    id       TEXT PRIMARY KEY,
    board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('open', 'review', 'done')),
    position INTEGER NOT NULL
);
CREATE INDEX board_stages_board ON board_stages (board_id, position);

-- Invitations to invite-only boards: a user or a team, as editor or member.
CREATE TABLE board_access (
    board_id       TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'team')),
    principal_id   TEXT NOT NULL,
    level          TEXT NOT NULL CHECK (level IN ('editor', 'member')),
    PRIMARY KEY (board_id, principal_type, principal_id)
);
CREATE INDEX board_access_principal ON board_access (principal_type, principal_id);

CREATE TABLE task_types (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- Who may create and/or assign tasks of a type. A type with no rows is open to everyone
-- whose role allows creating or assigning tasks; this is not a visibility rule.
CREATE TABLE task_type_access (
    type_id        TEXT NOT NULL REFERENCES task_types (id) ON DELETE CASCADE,
    principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'team')),
    principal_id   TEXT NOT NULL,
    can_create     INTEGER NOT NULL DEFAULT 0,
    can_assign     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (type_id, principal_type, principal_id)
);

CREATE TABLE tasks (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT, -- creation order, for keyset paging
    id             TEXT NOT NULL UNIQUE,
    project_id     TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    board_id       TEXT REFERENCES boards (id) ON DELETE SET NULL,
    stage_id       TEXT REFERENCES board_stages (id) ON DELETE SET NULL,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    assignee_id    TEXT REFERENCES users (id) ON DELETE SET NULL,
    due_date       TEXT,
    type_id        TEXT REFERENCES task_types (id) ON DELETE SET NULL,
    client_visible INTEGER NOT NULL DEFAULT 0,
    review_state   TEXT NOT NULL DEFAULT '' CHECK (review_state IN ('', 'approved', 'changes_requested')),
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX tasks_project ON tasks (project_id, seq);
CREATE INDEX tasks_board ON tasks (board_id, seq);
CREATE INDEX tasks_assignee ON tasks (assignee_id, seq);

CREATE TABLE task_followers (
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, user_id)
);
CREATE INDEX task_followers_user ON task_followers (user_id);

CREATE TABLE task_comments (
    id         TEXT PRIMARY KEY,
    task_id    TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    author_id  TEXT NOT NULL DEFAULT '',
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX task_comments_task ON task_comments (task_id, created_at);

-- Who may open tasks for whom (second article, 2.4): per user, whether others may open
-- tasks for them, and whether they may open tasks for others. No row: both allowed.
CREATE TABLE user_task_rules (
    user_id             TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    receive_from_others INTEGER NOT NULL DEFAULT 1,
    open_for_others     INTEGER NOT NULL DEFAULT 1
);

-- +goose Down
DROP TABLE user_task_rules;
DROP TABLE task_comments;
DROP TABLE task_followers;
DROP TABLE tasks;
DROP TABLE task_type_access;
DROP TABLE task_types;
DROP TABLE board_access;
DROP TABLE board_stages;
DROP TABLE boards;
DROP TABLE project_clients;
DROP TABLE project_teams;
DROP TABLE project_members;
DROP TABLE projects;
DROP TABLE team_members;
DROP TABLE teams;
