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

//go:embed migrations/*.sql
var migrationFiles embed.FS

// NewMigrator returns a goose Provider over the embedded migrations (no global goose
// state, so tests can run several at once).
func NewMigrator(db *sql.DB) (*goose.Provider, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
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

// Migrate brings db to the newest schema; a folder of a newer schema is refused
// (*NewerVersionError), untouched.
func Migrate(ctx context.Context, db *sql.DB) error {
	p, err := NewMigrator(db)
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
	return rekeyCompanies(ctx, db)
}
