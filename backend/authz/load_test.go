package authz

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"gatehouse/backend/store"
	"gatehouse/backend/testkit/testdb"
)

// Tasks read in parallel ranges arrive, range after range, exactly as one reader sees
// them: every task once, in creation order, with its followers — however many ranges
// there are, with gaps left by deleted tasks, and with more ranges than tasks.
func TestTasksReadInRangesArriveInOrder(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t, t.TempDir())
	defer st.Close()
	now := time.Now()
	if err := st.CreateUser(ctx, &store.User{ID: "u1", Name: "U", Email: "u@example.com", PasswordHash: "x", RoleID: RoleStaff,
		Status: store.StatusActive, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateProject(ctx, &store.Project{ID: "p1", Name: "P", Status: "active", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	for i := range 23 {
		id := fmt.Sprintf("t%02d", i)
		if err := st.CreateTask(ctx, &store.Task{ID: id, ProjectID: "p1", Title: id, ClientVisible: i%2 == 0, CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		if i%5 == 0 {
			if err := st.SetTaskFollowers(ctx, id, []string{"u1"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, id := range []string{"t03", "t04", "t11", "t22"} {
		if err := st.DeleteTask(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	row := func(t *store.Task) string {
		return fmt.Sprint(t.Seq, t.ID, t.ProjectID, t.ClientVisible, t.Followers)
	}
	var want []string
	if err := st.EachIndexTask(ctx, 0, 1<<62, func(t *store.Task) { want = append(want, row(t)) }); err != nil {
		t.Fatal(err)
	}
	if len(want) != 19 {
		t.Fatalf("one reader saw %d tasks, want 19", len(want))
	}
	newest, err := st.MaxTaskSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2, 3, 4, 7, 40} {
		var got []string
		for _, p := range readTasks(ctx, st, newest, n) {
			for b := range p.batches {
				for i := range b {
					got = append(got, row(&b[i]))
				}
			}
			if err := <-p.err; err != nil {
				t.Fatal(err)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d ranges:\n got %v\nwant %v", n, got, want)
		}
	}
}

// A load cancelled while a reader waits to hand over rows it has read ends in an error,
// never as a complete index with tasks missing.
func TestCancelledTaskReadIsAnError(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t, t.TempDir())
	defer st.Close()
	now := time.Now()
	if err := st.CreateProject(ctx, &store.Project{ID: "p1", Name: "P", Status: "active", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	// More tasks than a reader may hold unsent, so it must wait for the indexing.
	const n = 70_000
	err := st.RunInTx(ctx, func(tx *store.Store) error {
		for i := range n {
			if err := tx.CreateTask(ctx, &store.Task{ID: fmt.Sprintf("t%05d", i), ProjectID: "p1", Title: "T", CreatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := readTasks(cctx, st, n, 1)[0]
	got := 0
	for b := range p.batches {
		got += len(b)
		if got >= 4*1024 {
			time.Sleep(200 * time.Millisecond) // the reader reads on and fills its channel
			cancel()
			break
		}
	}
	for b := range p.batches {
		got += len(b)
	}
	if err := <-p.err; err == nil && got < n {
		t.Fatalf("the reader handed over %d of %d tasks and reported no error", got, n)
	}
}
