-- +goose Up
-- Client companies ("Customer > Project"): a company has a name and contact details; each
-- portal user belongs to one company, and a project may belong to one. Every client user
-- there already was gets a company of their own, named after them.
CREATE TABLE companies (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    email      TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    address    TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE company_users (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    company_id TEXT NOT NULL REFERENCES companies (id) ON DELETE RESTRICT
);
CREATE INDEX company_users_company ON company_users (company_id);

CREATE TABLE company_projects (
    project_id TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    company_id TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE
);
CREATE INDEX company_projects_company ON company_projects (company_id);

-- One company per existing client user; two clients of the same name get "Name (email)".
INSERT INTO companies (id, name, name_key, email, created_at)
SELECT 'company-' || u.id,
       CASE WHEN (SELECT COUNT(*) FROM users o JOIN roles ro ON ro.id = o.role_id
                  WHERE ro.kind = 'client' AND lower(o.name) = lower(u.name)) > 1
            THEN u.name || ' (' || u.email || ')' ELSE u.name END,
       CASE WHEN (SELECT COUNT(*) FROM users o JOIN roles ro ON ro.id = o.role_id
                  WHERE ro.kind = 'client' AND lower(o.name) = lower(u.name)) > 1
            THEN lower(u.name || ' (' || u.email || ')') ELSE lower(u.name) END,
       u.email, u.created_at
FROM users u JOIN roles r ON r.id = u.role_id
WHERE r.kind = 'client';
INSERT INTO company_users (user_id, company_id)
SELECT u.id, 'company-' || u.id FROM users u JOIN roles r ON r.id = u.role_id WHERE r.kind = 'client';

-- +goose Down
DROP TABLE company_projects;
DROP TABLE company_users;
DROP TABLE companies;
