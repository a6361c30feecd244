// Package store owns the SQLite file: opening it with the right pragmas, running the
// embedded goose migrations, and every SQL statement of the application. Nothing outside
// this package writes SQL; nothing in it makes access decisions.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3" // also registers the "sqlite3" driver

	"gatehouse/backend/apperr"
)

// Sentinel errors (apperr's vocabulary); callers test them with errors.Is. The store wraps
// them with a prefix that says which operation failed.
var (
	ErrNotFound = apperr.ErrNotFound
	ErrConflict = apperr.ErrConflict
	ErrGone     = apperr.ErrGone
)

// querier is what *sql.DB and *sql.Tx have in common, so every store method works both
// inside and outside a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Store is the application's database. The zero value is not usable; call Open.
type Store struct {
	db *sql.DB
	q  querier
}

// DSN returns the connection string for path. Each pragma is here for a reason:
//   - _journal_mode=WAL: readers never block the writer, so the UI stays responsive
//     while a write commits.
//   - _synchronous=FULL: a committed change (a role downgrade, a deactivation) survives a
//     power cut; access control must not roll back silently.
//   - _foreign_keys=1: SQLite leaves them off by default; our schema relies on them.
//   - _busy_timeout=5000: a second connection waits for the writer instead of failing.
//   - _txlock=immediate: transactions take the write lock at BEGIN, so two read-then-write
//     transactions cannot deadlock into SQLITE_BUSY half-way through.
//
// mattn/go-sqlite3 applies these to every new pooled connection.
func DSN(path string) string {
	v := url.Values{}
	v.Set("_journal_mode", "WAL")
	v.Set("_synchronous", "FULL")
	v.Set("_foreign_keys", "1")
	v.Set("_busy_timeout", "5000")
	v.Set("_txlock", "immediate")
	return "file:" + path + "?" + v.Encode()
}

// Open opens (creating if needed) the database at path and migrates it to the newest
// schema.
func Open(ctx context.Context, path string) (*Store, error) {
	db, err := sql.Open("sqlite3", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// A desktop app with one user at a time needs few connections; keeping some idle
	// avoids re-running the pragmas on every request.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(10 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// The database holds password hashes and the audit log: owner-only, whatever the
	// umask or the folder it was put in.
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(f, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			db.Close()
			return nil, fmt.Errorf("store: restrict %s: %w", f, err)
		}
	}
	if err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, q: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the pool for tests and migrations.
func (s *Store) DB() *sql.DB { return s.db }

// RunInTx runs fn in one transaction: every write fn makes commits together or not at
// all. The *Store passed to fn runs its statements inside the transaction.
func (s *Store) RunInTx(ctx context.Context, fn func(tx *Store) error) error {
	if _, ok := s.q.(*sql.Tx); ok {
		return fn(s) // already in a transaction
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(&Store{db: s.db, q: tx}); err != nil {
		tx.Rollback()
		if isForeignKeyViolation(err) {
			return fmt.Errorf("store: %w: %w", ErrGone, err)
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		if isForeignKeyViolation(err) {
			return fmt.Errorf("store: commit: %w: %w", ErrGone, err)
		}
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// timeFormat has a fixed width so that timestamps sort correctly as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) time.Time {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func nullTime(s sql.NullString) *time.Time {
	if !s.Valid || s.String == "" {
		return nil
	}
	t := parseTime(s.String)
	return &t
}

// isUniqueViolation reports whether err is SQLite's UNIQUE (or primary key) constraint
// failure, by its extended error code.
func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// isForeignKeyViolation reports whether err is SQLite's FOREIGN KEY constraint failure:
// a row refers to one that is gone.
func isForeignKeyViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
}

// likePattern escapes a user's search text for LIKE ... ESCAPE '\'.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
