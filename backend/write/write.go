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
}

// Effect is what an operation asks of the write path besides its rows: the audit entries
// to record in the same transaction, and the index change to make after the commit.
type Effect struct {
	Audit []audit.Entry
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
			return nil
		})
		if err != nil {
			return err
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
