package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/backend/store"
	"gatehouse/backend/testkit/testdb"
)

func openTemp(t *testing.T) *store.Store {
	t.Helper()
	st := testdb.Open(t, t.TempDir())
	t.Cleanup(func() { st.Close() })
	return st
}

// Every pooled connection must run with synchronous=FULL and foreign keys on: the pragmas
// are per connection, so a test of one connection proves nothing about the others.
func TestEveryPooledConnectionHasThePragmas(t *testing.T) {
	testdb.SQLiteOnly(t, "pragmas are SQLite's; PostgreSQL enforces foreign keys and durable commits always")
	st := openTemp(t)
	ctx := context.Background()
	const n = 8
	conns := make([]*sql.Conn, n)
	for i := range conns {
		c, err := st.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sync, fk int
			var journal string
			if err := c.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
				t.Error(err)
				return
			}
			if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
				t.Error(err)
				return
			}
			if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal); err != nil {
				t.Error(err)
				return
			}
			if sync != 2 || fk != 1 || journal != "wal" {
				t.Errorf("connection %d: synchronous=%d foreign_keys=%d journal_mode=%s; want 2, 1, wal", i, sync, fk, journal)
			}
		}()
	}
	wg.Wait()
	for _, c := range conns {
		c.Close()
	}
	if got := st.DB().Stats().OpenConnections; got < n {
		t.Fatalf("only %d connections were open; the test did not cover the pool", got)
	}
}

// schema describes every table and index but goose's own, for comparing.
func schema(t *testing.T, db *sql.DB, d store.Dialect) string {
	t.Helper()
	q := `SELECT type, name, COALESCE(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY type, name`
	if d == store.Postgres {
		q = `SELECT 'table', table_name || '.' || column_name, data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '')
			FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'goose_db_version'
		UNION ALL SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'goose_db_version'
		ORDER BY 1, 2`
	}
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, sql string
		if err := rows.Scan(&typ, &name, &sql); err != nil {
			t.Fatal(err)
		}
		b.WriteString(typ + " " + name + ": " + sql + "\n")
	}
	return b.String()
}

// Every migration runs up, all the way down and up again, ending with an identical schema.
func TestMigrationsUpDownUp(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	p, err := st.Migrator()
	if err != nil {
		t.Fatal(err)
	}
	first := schema(t, st.DB(), st.Dialect())
	if !strings.Contains(first, "table users") {
		t.Fatalf("schema after Open lacks users:\n%s", first)
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatal("down:", err)
	}
	if empty := schema(t, st.DB(), st.Dialect()); empty != "" {
		t.Fatalf("schema after migrating down is not empty:\n%s", empty)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal("up again:", err)
	}
	if again := schema(t, st.DB(), st.Dialect()); again != first {
		t.Fatalf("schema differs after up/down/up:\nfirst:\n%s\nagain:\n%s", first, again)
	}
	if len(p.ListSources()) == 0 {
		t.Fatal("no migrations found")
	}
}

func TestUserEmailsAreUniqueIgnoringCase(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	u := &store.User{ID: "u1", Name: "Ann", Email: "Ann@Example.com", PasswordHash: "x", RoleID: "staff", Status: store.StatusActive, CreatedAt: time.Now()}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	dup := *u
	dup.ID, dup.Email = "u2", " ann@example.COM "
	if err := st.CreateUser(ctx, &dup); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate email: got %v, want ErrConflict", err)
	}
	got, err := st.UserByEmail(ctx, "ANN@example.com")
	if err != nil || got.ID != "u1" || got.RoleName != "Staff" {
		t.Fatalf("UserByEmail = %+v, %v", got, err)
	}
	if _, err := st.User(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing user: got %v, want ErrNotFound", err)
	}
}

func TestForeignKeysAreEnforced(t *testing.T) {
	st := openTemp(t)
	err := st.CreateUser(context.Background(), &store.User{ID: "u1", Name: "A", Email: "a@example.com", PasswordHash: "x",
		RoleID: "no-such-role", Status: store.StatusActive, CreatedAt: time.Now()})
	if err == nil {
		t.Fatal("a user with an unknown role was stored: foreign keys are off")
	}
}

func TestRunInTxRollsBackEverything(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := st.RunInTx(ctx, func(tx *store.Store) error {
		if err := tx.CreateUser(ctx, &store.User{ID: "u1", Name: "A", Email: "a@example.com", PasswordHash: "x",
			RoleID: "staff", Status: store.StatusActive, CreatedAt: time.Now()}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if n, _ := st.UserCount(ctx); n != 0 {
		t.Fatalf("%d users after a rolled-back transaction", n)
	}
}

func TestDatabaseFileIsOwnerOnly(t *testing.T) {
	testdb.SQLiteOnly(t, "the database file's mode")
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("database mode %v, want 0600", fi.Mode().Perm())
	}
}

// Client companies: every client user there was gets a company of their own (two of the
// same name are told apart by their email); team members get none; down removes it all.
func TestCompaniesMigrationGivesEachClientACompany(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	p, err := st.Migrator()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 13); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, u := range []*store.User{
		{ID: "c1", Name: "Carl Client", Email: "carl@a.test", RoleID: "client"},
		{ID: "c2", Name: "Carl Client", Email: "carl@b.test", RoleID: "client"},
		{ID: "d1", Name: "Dora", Email: "dora@c.test", RoleID: "client"},
		{ID: "s1", Name: "Sam Staff", Email: "sam@acme.test", RoleID: "staff"},
	} {
		u.PasswordHash, u.Status, u.CreatedAt, u.UpdatedAt = "x", store.StatusActive, now, now
		if _, err := st.DB().Exec(st.Rebind(`INSERT INTO users (id, name, name_key, email, email_key, password_hash, role_id, status, created_at, updated_at)
			VALUES (?, ?, lower(?), ?, lower(?), 'x', ?, 'active', ?, ?)`), u.ID, u.Name, u.Name, u.Email, u.Email, u.RoleID, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	cs, err := st.Companies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, c := range cs {
		got[c.Name] = c.People
	}
	want := map[string][]string{"Carl Client (carl@a.test)": {"c1"}, "Carl Client (carl@b.test)": {"c2"}, "Dora": {"d1"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("companies after the migration: %v, want %v", got, want)
	}
	if u, err := st.User(ctx, "s1"); err != nil || u.CompanyID != "" {
		t.Fatalf("a team member's company: %+v %v", u, err)
	}
	if _, err := p.DownTo(ctx, 13); err != nil {
		t.Fatal("down:", err)
	}
	if strings.Contains(schema(t, st.DB(), st.Dialect()), "compan") {
		t.Fatal("the down migration left company tables")
	}
}

// A data folder written by a newer Gatehouse is refused with what to do, and left as it was.
func TestANewerDataFolderIsRefusedUntouched(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := testdb.Open(t, dir)
	p, err := st.Migrator()
	if err != nil {
		t.Fatal(err)
	}
	_, knows, err := store.SchemaVersions(ctx, p)
	if err != nil || knows == 0 {
		t.Fatalf("versions: %d %v", knows, err)
	}
	if _, err := st.DB().ExecContext(ctx, st.Rebind(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, true)`), knows+7); err != nil {
		t.Fatal(err)
	}
	d := st.Dialect()
	before := schema(t, st.DB(), d)
	st.Close()
	_, err = testdb.TryOpen(t, dir)
	var newer *store.NewerVersionError
	if !errors.As(err, &newer) || newer.Has != knows+7 || newer.Knows != knows || !strings.Contains(err.Error(), "Install that newer version") {
		t.Fatalf("opening a newer folder: %v", err)
	}
	again := testdb.Raw(t, dir)
	if schema(t, again, d) != before {
		t.Error("the refused folder was changed")
	}
}

// A data folder may have any name: SQLite reads the file's name as a URI, in which %, ?
// and # would otherwise end the path.
func TestAFolderNameWithURICharacters(t *testing.T) {
	testdb.SQLiteOnly(t, "the SQLite file's name")
	dir := filepath.Join(t.TempDir(), "Team #1 ?50% off")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "gatehouse.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not where it was asked for: %v", err)
	}
}
