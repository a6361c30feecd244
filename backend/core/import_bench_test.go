package core_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/core"
	"gatehouse/backend/identity"
	"gatehouse/backend/secrets"
	"gatehouse/backend/store"
)

// BenchmarkImport1000 imports 1,000 people from CSV (dry run, then the all-or-nothing
// import with a one-time link each) into a fresh database, against a baseline in the same
// run: the same 1,000 account rows inserted bare in one transaction. Target: under 10 s.
func BenchmarkImport1000(b *testing.B) {
	var csv strings.Builder
	csv.WriteString("name,email,role\n")
	for i := range 1000 {
		fmt.Fprintf(&csv, "Imported Person %d,imported%d@example.com,Staff\n", i, i)
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var importTotal, bareTotal time.Duration
	for i := range b.N {
		dir := b.TempDir()
		st, err := store.Open(ctx, filepath.Join(dir, "gatehouse.db"))
		if err != nil {
			b.Fatal(err)
		}
		c, err := core.Assemble(ctx, st, log, time.Now, core.Options{Secrets: secrets.NewFile(filepath.Join(dir, "s.json"))})
		if err != nil {
			b.Fatal(err)
		}
		owner, err := c.Identity.Setup(ctx, identity.OwnerRequest{Name: "Owner", Email: "owner@example.com", Password: "correct horse battery staple"}, "bench")
		if err != nil {
			b.Fatal(err)
		}
		admin := c.Authz.Actor(owner.ID)
		start := time.Now()
		if rep, err := c.Users.CheckImport(ctx, admin, csv.String()); err != nil || rep.Invalid > 0 {
			b.Fatalf("dry run: %v %+v", err, rep)
		}
		job, err := c.Users.Import(ctx, admin, csv.String(), nil)
		if err != nil {
			b.Fatal(err)
		}
		for {
			j, _ := c.Users.ImportStatus(admin, job.ID)
			if j.State == "failed" {
				b.Fatal(j.Err)
			}
			if j.State == "done" {
				if len(j.Links) != 1000 {
					b.Fatalf("%d links", len(j.Links))
				}
				break
			}
			time.Sleep(time.Millisecond)
		}
		importTotal += time.Since(start)
		c.Close()

		// Baseline: the bare rows.
		st2, err := store.Open(ctx, filepath.Join(dir, fmt.Sprintf("bare%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		err = st2.RunInTx(ctx, func(tx *store.Store) error {
			for k := range 1000 {
				u := &store.User{ID: fmt.Sprintf("u%d", k), Name: fmt.Sprintf("P %d", k), Email: fmt.Sprintf("p%d@example.com", k), RoleID: "staff",
					Status: store.StatusActive, CreatedAt: time.Now(), UpdatedAt: time.Now()}
				if err := tx.CreateUser(ctx, u); err != nil {
					return err
				}
			}
			return nil
		})
		bareTotal += time.Since(start)
		st2.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(importTotal.Seconds()/float64(b.N), "s/import")
	b.ReportMetric(float64(importTotal)/float64(bareTotal), "x-bare-inserts")
}
