// Package testdb gives tests the database a data folder has: the SQLite file, or, when
// GATEHOUSE_TEST_POSTGRES names a server (scripts/with-postgres.sh), a PostgreSQL database
// of its own. It imports only the store, so any package's tests can use it.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver

	"gatehouse/backend/store"
)

// PostgresEnv names the environment variable that runs the tests on PostgreSQL: a
// superuser URL of a throwaway server (scripts/with-postgres.sh sets it). Every backend a
// test starts then gets a database of its own on that server, instead of a SQLite file.
const PostgresEnv = "GATEHOUSE_TEST_POSTGRES"

// OnPostgres reports whether this test run uses PostgreSQL.
func OnPostgres() bool { return os.Getenv(PostgresEnv) != "" }

// SQLiteOnly skips t when the run is on PostgreSQL: for what only the SQLite file has (its
// bytes on disk, its backups, its faults), saying why.
func SQLiteOnly(t testing.TB, why string) {
	t.Helper()
	if OnPostgres() {
		t.Skip("SQLite only: " + why)
	}
}

// PostgresOnly skips t when the run is on SQLite: for what only a PostgreSQL database
// does, saying why.
func PostgresOnly(t testing.TB, why string) {
	t.Helper()
	if !OnPostgres() {
		t.Skip("PostgreSQL only: " + why)
	}
}

// dbMarker is the file in a test's data folder that names its PostgreSQL database, so a
// second start on the folder (a restart) opens the same one.
const dbMarker = "postgres-database"

// Open opens the store of the data folder dir as the application would: the SQLite
// file in it, or, on a PostgreSQL run, the database made for that folder (made, migrated,
// and dropped when t ends, on the first call).
func Open(t testing.TB, dir string) *store.Store {
	t.Helper()
	st, err := TryOpen(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TryOpen is Open that returns the store's error (a refused database) instead of failing.
func TryOpen(t testing.TB, dir string) (*store.Store, error) {
	t.Helper()
	ctx := context.Background()
	if !OnPostgres() {
		return store.Open(ctx, filepath.Join(dir, "gatehouse.db"))
	}
	return store.OpenPostgres(ctx, PostgresDatabase(t, dir), dir)
}

// Raw opens the database of dir without the store (no migrations, no checks), closed
// when t ends.
func Raw(t testing.TB, dir string) *sql.DB {
	t.Helper()
	driver, addr := "sqlite3", filepath.Join(dir, "gatehouse.db")
	if OnPostgres() {
		driver, addr = "pgx", PostgresDatabase(t, dir)
	}
	db, err := sql.Open(driver, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresDatabase returns the URL of the PostgreSQL database of the data folder dir,
// creating it (empty) when the folder has none yet.
func PostgresDatabase(t testing.TB, dir string) string {
	t.Helper()
	if b, err := os.ReadFile(filepath.Join(dir, dbMarker)); err == nil {
		return withDatabase(t, string(b))
	}
	var r [6]byte
	rand.Read(r[:])
	name := "t_" + hex.EncodeToString(r[:])
	admin := adminDB(t)
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + template(t)); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, dbMarker), []byte(name), 0o600); err != nil {
		t.Fatal(err)
	}
	// Dropped in the background: the next test need not wait for it, and the throwaway
	// server goes with whatever is left when the run ends.
	t.Cleanup(func() { go admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	return withDatabase(t, name)
}

func withDatabase(t testing.TB, name string) string {
	u, err := url.Parse(os.Getenv(PostgresEnv))
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error

	templateOnce sync.Once
	templateName string
	templateErr  error
)

func adminDB(t testing.TB) *sql.DB {
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", os.Getenv(PostgresEnv))
		if adminErr == nil {
			adminErr = admin.Ping()
		}
	})
	if adminErr != nil {
		t.Fatalf("%s: %v", PostgresEnv, adminErr)
	}
	return admin
}

// template is a database migrated once per test process, which each test's database is a
// copy of (copying is much faster than running every migration again).
func template(t testing.TB) string {
	templateOnce.Do(func() {
		var r [6]byte
		rand.Read(r[:])
		templateName = "tmpl_" + hex.EncodeToString(r[:])
		if _, templateErr = adminDB(t).Exec(`CREATE DATABASE ` + templateName); templateErr != nil {
			return
		}
		st, err := store.OpenPostgres(context.Background(), withDatabase(t, templateName), "")
		if err != nil {
			templateErr = err
			return
		}
		templateErr = st.Close()
	})
	if templateErr != nil {
		t.Fatalf("PostgreSQL template database: %v", templateErr)
	}
	return templateName
}

// Tables lists the application's tables, in name order.
func Tables(t testing.TB, st *store.Store) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if st.Dialect() == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`
	}
	rows, err := st.DB().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return tables
}
