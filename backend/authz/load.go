package authz

import (
	"context"
	"fmt"

	"gatehouse/backend/store"
)

// Load fills an empty index from the store: roles, users, then teams, projects, boards,
// task types, tasks and task rules.
func (w *Writer) Load(ctx context.Context, st *store.Store) error {
	roles, err := st.Roles(ctx)
	if err != nil {
		return err
	}
	for _, r := range roles {
		w.PutRole(r)
	}
	users, err := st.UserIndexRows(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		w.PutUser(u.ID, u.RoleID, u.Status == store.StatusActive)
	}
	wi, err := st.LoadWorkIndex(ctx)
	if err != nil {
		return err
	}
	for _, t := range wi.Teams {
		w.PutTeam(t)
	}
	for _, p := range wi.Projects {
		w.PutProject(p)
	}
	for _, b := range wi.Boards {
		w.PutBoard(b)
	}
	for _, t := range wi.Types {
		w.PutTaskType(t)
	}
	for _, t := range wi.Tasks {
		w.PutTask(t)
	}
	for uid, r := range wi.Rules {
		w.PutTaskRules(uid, r)
	}
	return nil
}

// Load builds an Authorizer from the store, waiting until it is ready.
func Load(ctx context.Context, st *store.Store) (*Authorizer, error) {
	a := Start(ctx, st)
	if err := a.Wait(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// Start returns an Authorizer that is filled from the store in the background: every
// decision waits until the index is complete (the window can show meanwhile; the API
// waits), and if loading fails every decision answers that Gatehouse is unavailable.
func Start(ctx context.Context, st *store.Store) *Authorizer {
	a := New()
	a.mu.Lock() // held until loaded: no decision can read a half-built index
	go func() {
		defer a.mu.Unlock()
		w := &Writer{Reader{x: a.x}}
		if err := w.Load(ctx, st); err != nil {
			a.x = newIndex()
			a.loadErr = fmt.Errorf("authz: load the index: %w", err)
		}
		close(a.ready)
	}()
	return a
}
