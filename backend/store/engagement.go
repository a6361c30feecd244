package store

import (
	"context"
	"fmt"
	"time"
)

// Client engagement, read from the audit log.

// Recorded reports whether actorID has an entry of action about targetID at or after
// since (a client's invoice view is recorded once a day).
func (s *Store) Recorded(ctx context.Context, action, actorID, targetID string, since time.Time) (bool, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM audit_log
		WHERE target_id = ? AND actor_id = ? AND action = ? AND at >= ? LIMIT 1)`, targetID, actorID, action, formatTime(since)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: recorded %s: %w", action, err)
	}
	return n > 0, nil
}
