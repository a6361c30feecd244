package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// AccessReview is an access review campaign, with how far its checklist is decided.
type AccessReview struct {
	ID            string
	Scope         string // all | role | project
	ScopeID       string
	ScopeName     string
	Status        string // open | closed
	StartedBy     string
	StartedByName string
	StartedAt     time.Time
	ClosedByName  string
	ClosedAt      *time.Time
	Items         int // read only
	Decided       int // read only
}

// Access review statuses.
const (
	ReviewOpen   = "open"
	ReviewClosed = "closed"
)

// AccessReviewItem is one line of a review's checklist: one person's one access.
type AccessReviewItem struct {
	ID             string
	ReviewID       string
	Position       int
	UserID         string
	UserName       string
	UserEmail      string
	Kind           string // role | project | team | board
	ThingID        string
	ThingName      string
	Detail         string
	ReviewerID     string
	ReviewerName   string
	Decision       string // "" | keep | revoke | change
	NewRoleID      string
	NewRoleName    string
	Note           string
	DecidedAt      *time.Time
	Outcome        string // "" | kept | applied | failed
	OutcomeMessage string
	AppliedAt      *time.Time
}

const reviewColumns = `r.id, r.scope, r.scope_id, r.scope_name, r.status, r.started_by, r.started_by_name, r.started_at,
	r.closed_by_name, r.closed_at,
	(SELECT COUNT(*) FROM access_review_items i WHERE i.review_id = r.id),
	(SELECT COUNT(*) FROM access_review_items i WHERE i.review_id = r.id AND i.decision <> '')`

func scanReview(row interface{ Scan(...any) error }) (*AccessReview, error) {
	var r AccessReview
	var started string
	var closed sql.NullString
	if err := row.Scan(&r.ID, &r.Scope, &r.ScopeID, &r.ScopeName, &r.Status, &r.StartedBy, &r.StartedByName, &started,
		&r.ClosedByName, &closed, &r.Items, &r.Decided); err != nil {
		return nil, err
	}
	r.StartedAt, r.ClosedAt = parseTime(started), nullTime(closed)
	return &r, nil
}

// CreateAccessReview inserts a review and its checklist.
func (s *Store) CreateAccessReview(ctx context.Context, r *AccessReview, items []*AccessReviewItem) error {
	if _, err := s.q.ExecContext(ctx, `INSERT INTO access_reviews (id, scope, scope_id, scope_name, status, started_by, started_by_name, started_at)
		VALUES (?,?,?,?,?,?,?,?)`, r.ID, r.Scope, r.ScopeID, r.ScopeName, r.Status, r.StartedBy, r.StartedByName, formatTime(r.StartedAt)); err != nil {
		return fmt.Errorf("store: create access review: %w", err)
	}
	for _, it := range items {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO access_review_items (id, review_id, position, user_id, user_name, user_email, kind,
			thing_id, thing_name, detail, reviewer_id, reviewer_name) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
			it.ID, r.ID, it.Position, it.UserID, it.UserName, it.UserEmail, it.Kind, it.ThingID, it.ThingName, it.Detail,
			it.ReviewerID, it.ReviewerName); err != nil {
			return fmt.Errorf("store: create access review item: %w", err)
		}
	}
	return nil
}

// AccessReviews returns every review, newest first.
func (s *Store) AccessReviews(ctx context.Context) ([]*AccessReview, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+reviewColumns+` FROM access_reviews r ORDER BY r.started_at DESC, r.id`)
	if err != nil {
		return nil, fmt.Errorf("store: access reviews: %w", err)
	}
	defer rows.Close()
	var out []*AccessReview
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			return nil, fmt.Errorf("store: access reviews: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AccessReview returns one review.
func (s *Store) AccessReview(ctx context.Context, id string) (*AccessReview, error) {
	r, err := scanReview(s.q.QueryRowContext(ctx, `SELECT `+reviewColumns+` FROM access_reviews r WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: access review %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: access review: %w", err)
	}
	return r, nil
}

const reviewItemColumns = `id, review_id, position, user_id, user_name, user_email, kind, thing_id, thing_name, detail,
	reviewer_id, reviewer_name, decision, new_role_id, new_role_name, note, decided_at, outcome, outcome_message, applied_at`

func scanReviewItem(row interface{ Scan(...any) error }) (*AccessReviewItem, error) {
	var it AccessReviewItem
	var decided, applied sql.NullString
	if err := row.Scan(&it.ID, &it.ReviewID, &it.Position, &it.UserID, &it.UserName, &it.UserEmail, &it.Kind, &it.ThingID,
		&it.ThingName, &it.Detail, &it.ReviewerID, &it.ReviewerName, &it.Decision, &it.NewRoleID, &it.NewRoleName, &it.Note,
		&decided, &it.Outcome, &it.OutcomeMessage, &applied); err != nil {
		return nil, err
	}
	it.DecidedAt, it.AppliedAt = nullTime(decided), nullTime(applied)
	return &it, nil
}

// AccessReviewItems returns a review's checklist in order.
func (s *Store) AccessReviewItems(ctx context.Context, reviewID string) ([]*AccessReviewItem, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+reviewItemColumns+` FROM access_review_items WHERE review_id = ? ORDER BY position`, reviewID)
	if err != nil {
		return nil, fmt.Errorf("store: access review items: %w", err)
	}
	defer rows.Close()
	var out []*AccessReviewItem
	for rows.Next() {
		it, err := scanReviewItem(rows)
		if err != nil {
			return nil, fmt.Errorf("store: access review items: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// AccessReviewItem returns one checklist line.
func (s *Store) AccessReviewItem(ctx context.Context, id string) (*AccessReviewItem, error) {
	it, err := scanReviewItem(s.q.QueryRowContext(ctx, `SELECT `+reviewItemColumns+` FROM access_review_items WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: access review item %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: access review item: %w", err)
	}
	return it, nil
}

// DecideAccessReviewItem saves a reviewer's decision on a line.
func (s *Store) DecideAccessReviewItem(ctx context.Context, it *AccessReviewItem) error {
	var at any
	if it.DecidedAt != nil {
		at = formatTime(*it.DecidedAt)
	}
	return s.execOne(ctx, "decide access review item", `UPDATE access_review_items SET decision = ?, new_role_id = ?, new_role_name = ?, note = ?,
		decided_at = ? WHERE id = ?`, it.Decision, it.NewRoleID, it.NewRoleName, it.Note, at, it.ID)
}

// SetAccessReviewItemOutcome records what closing the review did with a line.
func (s *Store) SetAccessReviewItemOutcome(ctx context.Context, id, outcome, message string, at time.Time) error {
	return s.execOne(ctx, "access review outcome", `UPDATE access_review_items SET outcome = ?, outcome_message = ?, applied_at = ? WHERE id = ?`,
		outcome, message, formatTime(at), id)
}

// CloseAccessReview marks a review closed.
func (s *Store) CloseAccessReview(ctx context.Context, id, byName string, at time.Time) error {
	return s.execOne(ctx, "close access review", `UPDATE access_reviews SET status = 'closed', closed_by_name = ?, closed_at = ? WHERE id = ? AND status = 'open'`,
		byName, formatTime(at), id)
}

// LastAccessReviewClosed is when the latest review was closed (nil: none ever was).
func (s *Store) LastAccessReviewClosed(ctx context.Context) (*time.Time, error) {
	var at sql.NullString
	if err := s.q.QueryRowContext(ctx, `SELECT MAX(closed_at) FROM access_reviews WHERE status = 'closed'`).Scan(&at); err != nil {
		return nil, fmt.Errorf("store: last access review: %w", err)
	}
	return nullTime(at), nil
}

// OpenReviewItemCounts returns, for a reviewer, how many lines of open reviews are theirs
// and how many of those are still undecided.
func (s *Store) OpenReviewItemCounts(ctx context.Context, reviewerID string) (total, undecided int, err error) {
	err = s.q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN i.decision = '' THEN 1 ELSE 0 END), 0)
		FROM access_review_items i JOIN access_reviews r ON r.id = i.review_id
		WHERE i.reviewer_id = ? AND r.status = 'open'`, reviewerID).Scan(&total, &undecided)
	if err != nil {
		return 0, 0, fmt.Errorf("store: open review items: %w", err)
	}
	return total, undecided, nil
}

// FirstUserCreated is when the first account was made (nil: there is none).
func (s *Store) FirstUserCreated(ctx context.Context) (*time.Time, error) {
	var at sql.NullString
	if err := s.q.QueryRowContext(ctx, `SELECT MIN(created_at) FROM users`).Scan(&at); err != nil {
		return nil, fmt.Errorf("store: first user: %w", err)
	}
	return nullTime(at), nil
}

// AccessReviewReminded reports whether the reminder of quarter was recorded.
func (s *Store) AccessReviewReminded(ctx context.Context, quarter string) (bool, error) {
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM access_review_reminders WHERE quarter = ?`, quarter).Scan(&n); err != nil {
		return false, fmt.Errorf("store: access review reminder: %w", err)
	}
	return n > 0, nil
}

// AddAccessReviewReminder records the reminder of quarter (ErrConflict when it was already).
func (s *Store) AddAccessReviewReminder(ctx context.Context, quarter, userID, mailID string, at time.Time) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO access_review_reminders (quarter, user_id, mail_id, sent_at) VALUES (?,?,?,?)`,
		quarter, userID, mailID, formatTime(at))
	if isUniqueViolation(err) {
		return fmt.Errorf("store: access review reminder %s: %w", quarter, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: access review reminder: %w", err)
	}
	return nil
}
