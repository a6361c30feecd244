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
	"path/filepath"
	"strings"
	"sync"
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
	// mailQueued wakes the outbox's sender after a commit that queued mail.
	mailQueued chan struct{}
	// dir is the folder the database file is in (the data folder).
	dir string
	// file is the database file as opened (nil for PostgreSQL, and for a database opened
	// by tests' helpers).
	file *guard
	// dialect is the engine: SQLite or PostgreSQL.
	dialect Dialect
}

// prepared runs every statement as a prepared one, prepared once per query text and
// reused (inside a transaction, bound to it): parsing and planning SQL each time cost more
// than running it, and a write takes several statements under the index lock.
type prepared struct {
	db    *sql.DB
	tx    *sql.Tx
	cache *stmtCache
	// file is checked before a statement outside a transaction (which commits at once).
	file *guard
	// pg rewrites placeholders and arguments for PostgreSQL.
	pg bool
}

// stmtCache holds the prepared statements of one database, at most maxStmts of them
// (queries built for a list of ids vary with its length; past the bound they run
// unprepared).
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

const maxStmts = 512

func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string, pg bool) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st
	}
	if len(c.stmts) >= maxStmts {
		return nil
	}
	text := query
	if pg {
		text = rebind(query)
	}
	st, err := db.PrepareContext(ctx, text)
	if err != nil {
		return nil // the query runs unprepared and reports its own error
	}
	c.stmts[query] = st
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = map[string]*sql.Stmt{}
}

func (p prepared) stmt(ctx context.Context, query string) *sql.Stmt {
	if p.cache == nil {
		return nil
	}
	st := p.cache.get(ctx, p.db, query, p.pg)
	if st != nil && p.tx != nil {
		st = p.tx.StmtContext(ctx, st)
	}
	return st
}

func (p prepared) ExecContext(ctx context.Context, query string, args ...any) (res sql.Result, err error) {
	if p.pg && p.tx != nil {
		// A failed statement in a PostgreSQL transaction aborts all of it; in SQLite only
		// the statement is undone, and callers count on that (a name taken: try the next).
		// A savepoint around each write gives PostgreSQL the same statement-level atomicity.
		if _, err := p.tx.ExecContext(ctx, "SAVEPOINT stmt"); err != nil {
			return nil, err
		}
		defer func() {
			undo := "RELEASE SAVEPOINT stmt"
			if err != nil {
				undo = "ROLLBACK TO SAVEPOINT stmt"
			}
			if _, uerr := p.tx.ExecContext(ctx, undo); uerr != nil && err == nil {
				err = uerr
			}
		}()
	}
	if p.tx == nil {
		// A statement outside a transaction commits at once: the same check as a commit.
		if err := p.file.check(); err != nil {
			return nil, err
		}
	}
	if p.pg {
		args = pgArgs(args)
	}
	if st := p.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	if p.pg {
		query = rebind(query)
	}
	if p.tx != nil {
		return p.tx.ExecContext(ctx, query, args...)
	}
	return p.db.ExecContext(ctx, query, args...)
}

func (p prepared) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if p.pg {
		args = pgArgs(args)
	}
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	if p.pg {
		query = rebind(query)
	}
	if p.tx != nil {
		return p.tx.QueryContext(ctx, query, args...)
	}
	return p.db.QueryContext(ctx, query, args...)
}

func (p prepared) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if p.pg {
		args = pgArgs(args)
	}
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	if p.pg {
		query = rebind(query)
	}
	if p.tx != nil {
		return p.tx.QueryRowContext(ctx, query, args...)
	}
	return p.db.QueryRowContext(ctx, query, args...)
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
	// SQLite reads the name as a URI: %, ? and # in a folder's name must be escaped, or the
	// name ends at them (and the rest is read as parameters).
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path) + "?" + v.Encode()
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
		return nil, openFault(path, fmt.Errorf("store: open %s: %w", path, err))
	}
	// The database holds password hashes and the audit log: owner-only, whatever the
	// umask or the folder it was put in.
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(f, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			db.Close()
			return nil, fmt.Errorf("store: restrict %s: %w", f, err)
		}
	}
	if err := check(ctx, db); err != nil {
		db.Close()
		return nil, openFault(path, err)
	}
	if err := migrate(ctx, db, SQLite); err != nil {
		db.Close()
		return nil, openFault(path, err)
	}
	if err := writable(ctx, db); err != nil {
		db.Close()
		return nil, openFault(path, err)
	}
	g, err := newGuard(path)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return &Store{db: db, q: prepared{db: db, cache: &stmtCache{stmts: map[string]*sql.Stmt{}}, file: g}, mailQueued: make(chan struct{}, 1),
		dir: filepath.Dir(path), file: g}, nil
}

// check runs SQLite's quick check: a damaged file is refused at the start rather than
// served with rows silently missing (a damaged page can read as a shorter table).
func check(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `PRAGMA quick_check(5)`)
	if err != nil {
		return fmt.Errorf("store: quick check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return fmt.Errorf("store: quick check: %w", err)
		}
		if p != "ok" {
			problems = append(problems, p)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: quick check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("store: quick check: %s: %w", strings.Join(problems, "; "), sqlite3.Error{Code: sqlite3.ErrCorrupt})
	}
	return nil
}

// writable makes sure a write can be made (a read-only file opens and reads; only a
// write fails), in a transaction that is rolled back.
func writable(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: write check: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE installation SET id = id`); err != nil {
		return fmt.Errorf("store: write check: %w", err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	if c := s.q.(prepared).cache; c != nil {
		c.close()
	}
	return s.db.Close()
}

// Dir is the folder the database file is in: the data folder.
func (s *Store) Dir() string { return s.dir }

// MailQueued tells the outbox's sender that a committed change queued mail.
func (s *Store) MailQueued() {
	select {
	case s.mailQueued <- struct{}{}:
	default: // a wake-up is pending already
	}
}

// MailWakeups is where the outbox's sender waits for MailQueued.
func (s *Store) MailWakeups() <-chan struct{} { return s.mailQueued }

// DB exposes the pool for tests and migrations.
func (s *Store) DB() *sql.DB { return s.db }

// RunInTx runs fn in one transaction: every write fn makes commits together or not at
// all. The *Store passed to fn runs its statements inside the transaction.
func (s *Store) RunInTx(ctx context.Context, fn func(tx *Store) error) error {
	p := s.q.(prepared)
	if p.tx != nil {
		return fn(s) // already in a transaction
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(&Store{db: s.db, q: prepared{db: s.db, tx: tx, cache: p.cache, pg: p.pg}, mailQueued: s.mailQueued, dir: s.dir, file: s.file, dialect: s.dialect}); err != nil {
		tx.Rollback()
		if isForeignKeyViolation(err) {
			return fmt.Errorf("store: %w: %w", ErrGone, err)
		}
		return err
	}
	// Nothing is acknowledged that the next start would not see.
	if err := s.file.check(); err != nil {
		tx.Rollback()
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

// likePattern escapes a user's search text for LIKE ... ESCAPE '\'.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
