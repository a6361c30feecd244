package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// Dialect is the database engine a Store runs on. The SQL of this package is written once
// for both where it can be (SQLite's ? placeholders, rewritten to $1, $2 … for PostgreSQL
// by the querier); where the two differ, a statement picks its text with Store.pick.
type Dialect int

const (
	// SQLite is the single file in the data folder: the window's database, and serve's
	// by default.
	SQLite Dialect = iota
	// Postgres is a PostgreSQL database, for `gatehouse serve --db postgres://…`.
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "PostgreSQL"
	}
	return "SQLite"
}

// Dialect is the engine this store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// pick returns the statement written for this store's engine.
func (s *Store) pick(sqlite, postgres string) string {
	if s.dialect == Postgres {
		return postgres
	}
	return sqlite
}

// Size is how many bytes the database takes: the SQLite file with its WAL, or the
// PostgreSQL database on its server.
func (s *Store) Size(ctx context.Context) (int64, error) {
	if s.dialect == Postgres {
		var n int64
		if err := s.q.QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&n); err != nil {
			return 0, fmt.Errorf("store: size: %w", err)
		}
		return n, nil
	}
	var n int64
	for _, name := range []string{"gatehouse.db", "gatehouse.db-wal"} {
		if st, err := os.Stat(filepath.Join(s.dir, name)); err == nil {
			n += st.Size()
		}
	}
	return n, nil
}

// Rebind is q, written with ? placeholders, for this store's engine (tests' own SQL).
func (s *Store) Rebind(q string) string {
	if s.dialect == Postgres {
		return rebind(q)
	}
	return q
}

// rebind rewrites SQLite's ? placeholders to PostgreSQL's $1, $2 …, leaving string
// literals and quoted names alone.
func rebind(q string) string {
	if !strings.ContainsRune(q, '?') {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// pgArgs converts what SQLite takes as is but PostgreSQL's integer columns do not: the
// schema keeps flags as integers 0 and 1 on both engines.
func pgArgs(args []any) []any {
	for i, a := range args {
		if _, ok := a.(bool); !ok {
			continue
		}
		out := make([]any, len(args))
		copy(out, args)
		for j := i; j < len(out); j++ {
			if v, ok := out[j].(bool); ok {
				out[j] = boolInt(v)
			}
		}
		return out
	}
	return args
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// PostgreSQL's error codes for the same constraint failures (SQLSTATE class 23).
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
)

// isUniqueViolation reports whether err is a UNIQUE (or primary key) constraint failure,
// by the engine's error code.
func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgUniqueViolation
}

// isForeignKeyViolation reports whether err is a FOREIGN KEY constraint failure: a row
// refers to one that is gone.
func isForeignKeyViolation(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintForeignKey
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgForeignKeyViolation
}
