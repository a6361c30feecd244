package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// ErrBadPostgresURL is the error of a --db address that is not a postgres:// URL.
var ErrBadPostgresURL = errors.New("store: not a PostgreSQL address")

// IsPostgresURL reports whether s names a PostgreSQL database (postgres:// or
// postgresql://).
func IsPostgresURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql")
}

// RedactURL is addr with its password replaced, for messages and logs.
func RedactURL(addr string) string {
	u, err := url.Parse(addr)
	if err != nil {
		return "(an address that does not parse)"
	}
	return u.Redacted()
}

// OpenPostgres opens the PostgreSQL database at addr and migrates it to the newest schema.
// dir is the data folder, which then holds no database, only what is not in it (file
// contents, keys, backups).
//
// The database must use the C collation (created with LC_COLLATE 'C' from template0): names
// then sort and compare byte by byte, as in the SQLite file, so the two engines give the
// same pages in the same order. Any other collation is refused with the command to create
// one that fits.
func OpenPostgres(ctx context.Context, addr, dir string) (*Store, error) {
	if !IsPostgresURL(addr) {
		return nil, fmt.Errorf("%w: %s (expected postgres://user:password@host:port/database)", ErrBadPostgresURL, RedactURL(addr))
	}
	db, err := sql.Open("pgx", addr)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", RedactURL(addr), err)
	}
	// A server for a team: enough connections for concurrent readers; writes are
	// serialised by the index's lock anyway.
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	db.SetConnMaxIdleTime(10 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, &PostgresError{Addr: RedactURL(addr), Err: err}
	}
	var collate string
	if err := db.QueryRowContext(ctx, `SELECT datcollate FROM pg_database WHERE datname = current_database()`).Scan(&collate); err != nil {
		db.Close()
		return nil, &PostgresError{Addr: RedactURL(addr), Err: err}
	}
	if collate != "C" && collate != "POSIX" {
		db.Close()
		return nil, fmt.Errorf("store: the PostgreSQL database at %s sorts text with the collation %q; Gatehouse needs \"C\" "+
			"(names compare byte by byte, as in the SQLite file). Create one with: "+
			"CREATE DATABASE gatehouse TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'", RedactURL(addr), collate)
	}
	if err := migrate(ctx, db, Postgres); err != nil {
		db.Close()
		return nil, err
	}
	if err := writable(ctx, db); err != nil {
		db.Close()
		return nil, &PostgresError{Addr: RedactURL(addr), Err: err}
	}
	// No statement cache of ours (cache nil): pgx keeps one per connection already, and
	// preparing on the pool as well would prepare every statement twice.
	return &Store{db: db, q: prepared{db: db, pg: true},
		mailQueued: make(chan struct{}, 1), dir: dir, dialect: Postgres}, nil
}

// PostgresError is why a PostgreSQL database could not be opened: the server cannot be
// reached, refuses the sign-in, or the database is read-only. The address in it has no
// password.
type PostgresError struct {
	Addr string
	Err  error
}

func (e *PostgresError) Error() string {
	return fmt.Sprintf("store: the PostgreSQL database at %s cannot be used: %v", e.Addr, e.Err)
}

func (e *PostgresError) Unwrap() error { return e.Err }
