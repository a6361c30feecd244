package authz

import (
	"context"
	"fmt"
	"runtime"

	"gatehouse/backend/store"
)

// Load fills an empty index from the store: roles, users, then teams, projects, boards,
// task types, tasks and task rules. The tasks are most of the work: they are read in
// parallel ranges on their own connections while the rest is read and indexed, and
// indexed as they arrive, in creation order. (The reads need not share one snapshot:
// every write to what the index holds takes the index's lock, held until loading ends.)
func (w *Writer) Load(ctx context.Context, st *store.Store) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // on an early return, the task readers stop
	newest, err := st.MaxTaskSeq(ctx)
	if err != nil {
		return err
	}
	parts := readTasks(ctx, st, newest, min(runtime.GOMAXPROCS(0), 4))

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
	extras, err := st.OpenUserGrants(ctx, "")
	if err != nil {
		return err
	}
	for _, g := range extras {
		if g.Kind == store.GrantPermission {
			w.PutExtraGrant(g.UserID, ExtraGrant{ID: g.ID, Key: g.Permission, Scope: Scope(g.Scope), By: g.GivenByName, Until: g.Until})
		}
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
	for _, p := range parts {
		for batch := range p.batches {
			for i := range batch {
				w.PutTask(&batch[i])
			}
		}
		if err := <-p.err; err != nil {
			return err
		}
	}
	for uid, r := range wi.Rules {
		w.PutTaskRules(uid, r)
	}
	folders, err := st.AllFolders(ctx)
	if err != nil {
		return err
	}
	for _, f := range folders {
		w.PutFolder(f)
	}
	files, err := st.AllFiles(ctx)
	if err != nil {
		return err
	}
	for _, f := range files {
		w.PutFile(f)
	}
	companies, err := st.Companies(ctx)
	if err != nil {
		return err
	}
	for _, c := range companies {
		w.PutCompany(c)
	}
	links, err := st.CompanyLinks(ctx)
	if err != nil {
		return err
	}
	for _, l := range links {
		if l.UserID != "" {
			w.SetUserCompany(l.UserID, l.CompanyID)
		} else {
			w.SetProjectCompany(l.ProjectID, l.CompanyID)
		}
	}
	invoices, err := st.Invoices(ctx)
	if err != nil {
		return err
	}
	for _, inv := range invoices {
		w.PutInvoice(inv)
	}
	threads, err := st.AllThreads(ctx)
	if err != nil {
		return err
	}
	for _, t := range threads {
		w.PutThread(t)
	}
	return nil
}

// taskPart is one range of tasks being read: its batches in order, then its error.
type taskPart struct {
	batches chan []store.Task
	err     chan error
}

// readTasks starts reading tasks 1..newest in n ranges at once. Each range's reader runs
// ahead of the indexing by up to maxAhead batches (the whole range, at the scale
// Gatehouse is built for), so the ranges are read in parallel with bounded memory.
func readTasks(ctx context.Context, st *store.Store, newest int64, n int) []taskPart {
	const batchLen, maxAhead = 1024, 64
	n = max(n, 1)
	span := newest/int64(n) + 1
	parts := make([]taskPart, n)
	for i := range parts {
		after, upTo := int64(i)*span, min(int64(i+1)*span, newest)
		p := taskPart{batches: make(chan []store.Task, min(int(span)/batchLen+1, maxAhead)), err: make(chan error, 1)}
		parts[i] = p
		go func() {
			defer close(p.batches)
			send := func(b []store.Task) {
				select {
				case p.batches <- b:
				case <-ctx.Done():
				}
			}
			batch := make([]store.Task, 0, batchLen)
			var err error
			if after < upTo {
				err = st.EachIndexTask(ctx, after, upTo, func(t *store.Task) {
					if batch = append(batch, *t); len(batch) == batchLen {
						send(batch)
						batch = make([]store.Task, 0, batchLen)
					}
				})
			}
			if err == nil && len(batch) > 0 {
				send(batch)
			}
			if err == nil {
				err = ctx.Err() // a batch not sent: the load must not end as if complete
			}
			p.err <- err
		}()
	}
	return parts
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
