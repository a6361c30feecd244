-- +goose Up
-- Whether an entry involves a client (portal) account in any way: as the target, as the
-- one who acted (a client's review), or named in the details (a client made a follower).
-- Reading such entries takes activity.clients; target_kind alone missed the last two.
ALTER TABLE audit_log ADD COLUMN client_related BIGINT NOT NULL DEFAULT 0;
UPDATE audit_log SET client_related = 1
 WHERE target_kind = 'client'
    OR actor_id IN (SELECT u.id FROM users u JOIN roles r ON r.id = u.role_id WHERE r.kind = 'client')
    OR (action IN ('task.follower_add', 'task.follower_remove')
        AND (details::json ->> 'userId') IN (SELECT u.id FROM users u JOIN roles r ON r.id = u.role_id WHERE r.kind = 'client'));

-- +goose Down
ALTER TABLE audit_log DROP COLUMN client_related;
