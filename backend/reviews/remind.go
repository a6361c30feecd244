package reviews

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"gatehouse/backend/authz"
	"gatehouse/backend/mail"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// DueState says whether the quarter's access review is due.
type DueState struct {
	Due bool
	// LastClosed is when the latest review was closed (nil: none ever was).
	LastClosed *time.Time
	// Open is how many reviews are open now.
	Open int
}

// due reads whether a review is due now: none was closed in the last 90 days, counted
// from the first account (a team that began last month is not behind yet).
func (s *Service) due(ctx context.Context) (bool, *time.Time, error) {
	last, err := s.store.LastAccessReviewClosed(ctx)
	if err != nil {
		return false, nil, err
	}
	since := last
	if since == nil {
		if since, err = s.store.FirstUserCreated(ctx); err != nil || since == nil {
			return false, nil, err
		}
	}
	return s.now().Sub(*since) >= DueAfter, last, nil
}

// Due returns whether the quarter's review is due, for who runs reviews (roles.manage).
func (s *Service) Due(ctx context.Context, actor authz.Actor) (*DueState, error) {
	if err := s.authz.Read(func(rd *authz.Reader) error { return manages(rd, actor) }); err != nil {
		return nil, err
	}
	due, last, err := s.due(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.store.AccessReviews(ctx)
	if err != nil {
		return nil, err
	}
	st := &DueState{Due: due, LastClosed: last}
	for _, r := range all {
		if r.Status == store.ReviewOpen {
			st.Open++
		}
	}
	return st, nil
}

// Quarter names the calendar quarter of t, such as 2026-Q4.
func Quarter(t time.Time) string { return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1) }

// Remind queues the reminder mail to the owner (the earliest active Admin account) when
// a review is due and this quarter's reminder was not sent yet: the reminder row and its
// outbox mail are one transaction, so it goes once a quarter, across restarts. It reports
// whether it queued one. The app calls it at start and every hour.
func (s *Service) Remind(ctx context.Context) (bool, error) {
	due, _, err := s.due(ctx)
	if err != nil || !due {
		return false, err
	}
	q := Quarter(s.now().UTC())
	if done, err := s.store.AccessReviewReminded(ctx, q); err != nil || done {
		return false, err
	}
	owners, _, err := s.store.Users(ctx, store.UserFilter{RoleID: authz.RoleAdmin, Status: store.StatusActive, Sort: "createdAt", Limit: 1})
	if err != nil || len(owners) == 0 {
		return false, err
	}
	owner := owners[0]
	return write.Do(ctx, s.write, authz.Actor{UserID: owner.ID}, func(w *authz.Writer, tx *store.Store) (bool, write.Effect, error) {
		if done, err := tx.AccessReviewReminded(ctx, q); err != nil || done {
			return false, write.Effect{}, err
		}
		m := &store.Mail{ID: uuid.NewString(), Kind: mail.KindReviewDue, ToUserID: owner.ID, To: owner.Email, Subject: mail.SubjectReviewDue,
			Params: map[string]string{"quarter": q}, CreatedAt: s.now()}
		if err := tx.AddAccessReviewReminder(ctx, q, owner.ID, m.ID, s.now()); err != nil {
			return false, write.Effect{}, err
		}
		return true, write.Effect{Mail: []*store.Mail{m}}, nil
	})
}
