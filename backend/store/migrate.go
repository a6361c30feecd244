package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// The same migrations twice, one folder per engine, with the same version numbers: the
// PostgreSQL ones differ only where the engines do (BIGINT and BYTEA for SQLite's INTEGER
// and BLOB, an identity column for AUTOINCREMENT).
//
//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// NewMigrator returns a goose Provider over the embedded SQLite migrations (no global
// goose state, so tests can run several at once).
func NewMigrator(db *sql.DB) (*goose.Provider, error) { return newMigrator(db, SQLite) }

// Migrator returns a goose Provider over this store's migrations, for its engine.
func (s *Store) Migrator() (*goose.Provider, error) { return newMigrator(s.db, s.dialect) }

func newMigrator(db *sql.DB, d Dialect) (*goose.Provider, error) {
	dir, gd := "migrations", goose.DialectSQLite3
	if d == Postgres {
		dir, gd = "migrations/postgres", goose.DialectPostgres
	}
	sub, err := fs.Sub(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	p, err := goose.NewProvider(gd, db, sub)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// ErrNewerVersion is the error of a data folder written by a newer Gatehouse: opening it
// (and migrating nothing) is refused rather than guessed at.
var ErrNewerVersion = errors.New("store: the data folder was written by a newer version of Gatehouse")

// NewerVersionError says which schema the folder has and which this build knows.
type NewerVersionError struct{ Has, Knows int64 }

func (e *NewerVersionError) Error() string {
	return fmt.Sprintf("this data folder was written by a newer version of Gatehouse (its schema is %d; this version knows up to %d). "+
		"Install that newer version (or a later one) to open it; nothing was changed", e.Has, e.Knows)
}

func (e *NewerVersionError) Unwrap() error { return ErrNewerVersion }

// SchemaVersions returns the schema version of db and the newest this build knows.
func SchemaVersions(ctx context.Context, p *goose.Provider) (has, knows int64, err error) {
	if has, err = p.GetDBVersion(ctx); err != nil {
		return 0, 0, fmt.Errorf("store: schema version: %w", err)
	}
	if src := p.ListSources(); len(src) > 0 {
		knows = src[len(src)-1].Version
	}
	return has, knows, nil
}

// migrate brings db to the newest schema; a database of a newer schema is refused
// (*NewerVersionError), untouched.
func migrate(ctx context.Context, db *sql.DB, d Dialect) error {
	p, err := newMigrator(db, d)
	if err != nil {
		return err
	}
	if has, knows, err := SchemaVersions(ctx, p); err == nil && has > knows {
		return &NewerVersionError{Has: has, Knows: knows}
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	// What SQL alone could not do right: keys compared in Go.
	return rekeyCompanies(ctx, prepared{db: db, pg: d == Postgres})
}
