package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/testkit/testdb"
)

// serve --db: a bad address is refused before anything opens; a server that cannot be
// reached stops the start with that reason and without the password.
func TestServeDatabaseAddressRefusals(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runCmd(t, "", "serve", "--data", dir, "--db", "mysql://root:hunter2@db/gh")
	if code != 2 || !strings.Contains(errs, "--db is a PostgreSQL address") || strings.Contains(errs, "hunter2") {
		t.Fatalf("a non-PostgreSQL address: %d %q", code, errs)
	}
	// Nothing listens on port 1 of this machine.
	code, _, errs = runCmd(t, "", "serve", "--data", dir, "--addr", "127.0.0.1:0", "--db", "postgres://gatehouse:hunter2@127.0.0.1:1/gatehouse?connect_timeout=5")
	if code != 1 || !strings.Contains(errs, "cannot be used") || !strings.Contains(errs, "127.0.0.1:1") || strings.Contains(errs, "hunter2") {
		t.Fatalf("an unreachable server: %d %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "gatehouse.db")); err == nil {
		t.Fatal("serve --db made a SQLite file")
	}
}

// serve --db on a real PostgreSQL server: it migrates the database, answers, says where the
// data is (without the password), and a second start on the same database finds the owner
// made by the first.
func TestServeOnPostgres(t *testing.T) {
	testdb.PostgresOnly(t, "serve --db needs a PostgreSQL server")
	dir := t.TempDir()
	db := testdb.PostgresDatabase(t, dir)
	srv := startChild(t, dir, "--db", db)
	if !strings.Contains(srv.out.String(), "database: postgres://") || strings.Contains(srv.out.String(), "gatehouse.db") {
		t.Fatalf("the start line: %s", srv.out)
	}
	body := `{"name":"Olive Owner","email":"olive@example.com","password":"a long enough password 1"}`
	r, err := http.Post(srv.url+"/api/setup", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != 201 {
		t.Fatalf("setup: %d %s", r.StatusCode, b)
	}
	srv.kill()
	if _, err := os.Stat(filepath.Join(dir, "gatehouse.db")); err == nil {
		t.Fatal("serve --db made a SQLite file")
	}
	again := startChild(t, dir, "--db", db)
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, err := http.Get(again.url + "/api/status")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if strings.Contains(string(b), `"setupRequired":false`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the second start does not know the owner: %s", b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	again.kill()
}
