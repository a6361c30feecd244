// Package write is the one path every change takes. Under the index's exclusive lock, an
// operation decides (the Writer is a Reader of exactly the state being changed), reads
// what it needs and validates it, and writes its rows, all in one database transaction
// with its audit entries; after the commit it changes the index, and returns the rows it
// wrote (nothing is read back). A refused or invalid request rolls back and changes
// nothing; a concurrent change can never slip between a decision and its write.
package write

import (
	"context"
	"time"

	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
)

// Path is the write path over one store and its index.
type Path struct {
	Store *store.Store
	Authz *authz.Authorizer
	Now   func() time.Time
	// Notifier makes notification mails (nil: none are sent).
	Notifier Notifier
}

// Notifier makes the notification mail of kind to userID, or nil when none is to be sent
// (email off, the owner or the person turned it off, the person is the actor); it reads
// in tx, the write's transaction.
type Notifier interface {
	Notify(ctx context.Context, tx *store.Store, actor authz.Actor, kind, userID string, params map[string]string) (*store.Mail, error)
}

// Notify adds to eff the notification of kind to each of userIDs, when they want it.
func (p *Path) Notify(ctx context.Context, tx *store.Store, actor authz.Actor, eff *Effect, kind string, params map[string]string, userIDs ...string) error {
	if p.Notifier == nil {
		return nil
	}
	for _, id := range userIDs {
		m, err := p.Notifier.Notify(ctx, tx, actor, kind, id, params)
		if err != nil {
			return err
		}
		if m != nil {
			eff.Mail = append(eff.Mail, m)
		}
	}
	return nil
}

// Effect is what an operation asks of the write path besides its rows: the audit entries
// and outbox mails to record in the same transaction, and the index change to make after
// the commit.
type Effect struct {
	Audit []audit.Entry
	// Mail is queued in the same transaction and sent after the commit: a mail exists
	// exactly when its cause does.
	Mail  []*store.Mail
	Index func(w *authz.Writer)
}

// Do runs one write for actor: op decides, validates and writes in tx, returning the
// written value and its effect.
func Do[T any](ctx context.Context, p *Path, actor authz.Actor, op func(w *authz.Writer, tx *store.Store) (T, Effect, error)) (T, error) {
	var out T
	err := p.Authz.Update(func(w *authz.Writer) error {
		var eff Effect
		err := p.Store.RunInTx(ctx, func(tx *store.Store) error {
			var err error
			if out, eff, err = op(w, tx); err != nil {
				return err
			}
			now := p.Now()
			for _, e := range eff.Audit {
				if err := audit.Record(ctx, tx, actor, now, e); err != nil {
					return err
				}
			}
			for _, m := range eff.Mail {
				if err := tx.QueueMail(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(eff.Mail) > 0 {
			p.Store.MailQueued()
		}
		if eff.Index != nil {
			eff.Index(w)
		}
		return nil
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// Entry is a shorthand for an Effect of one audit entry and an index change.
func Entry(e audit.Entry, index func(w *authz.Writer)) Effect {
	return Effect{Audit: []audit.Entry{e}, Index: index}
}
