package store

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/mattn/go-sqlite3"

	"gatehouse/backend/apperr"
)

// What a storage fault is said as. A fault is never a 500 "something went wrong": it
// names what happened and what to do, and the write it stopped changed nothing (SQLite
// rolls the transaction back; the store checks the file before every commit).
var (
	errDiskFull = apperr.New(apperr.Unavailable, "disk_full",
		"The disk holding Gatehouse's data is full: nothing was saved. Free some space and try again.")
	errReadOnly = apperr.New(apperr.Unavailable, "read_only",
		"Gatehouse cannot write its database (the file, its folder or the disk is read-only): nothing was saved. Make the data folder writable, then restart Gatehouse.")
	errDamaged = apperr.New(apperr.Unavailable, "damaged",
		"Gatehouse's database is damaged: nothing was saved. Close Gatehouse and restore the latest backup (Settings → Backups says how).")
	errIO = apperr.New(apperr.Unavailable, "io_error",
		"The disk holding Gatehouse's data could not be read or written: nothing was saved. Check the disk, then restart Gatehouse.")
	errFileGone = apperr.New(apperr.Unavailable, "database_gone",
		"Gatehouse's database file was deleted or replaced while Gatehouse ran, so nothing more can be saved. Restart Gatehouse; if the file is lost, restore the latest backup.")
)

func init() { apperr.RegisterCause(fault) }

// fault is what a SQLite error a person can act on is said as (nil for the rest).
func fault(err error) *apperr.Error {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return nil
	}
	switch se.Code {
	case sqlite3.ErrFull:
		return errDiskFull
	case sqlite3.ErrReadonly:
		return errReadOnly
	case sqlite3.ErrCorrupt, sqlite3.ErrNotADB:
		return errDamaged
	case sqlite3.ErrIoErr, sqlite3.ErrCantOpen:
		return errIO
	}
	return nil
}

// guard is the database file as it was opened: a write is refused once the file at its
// path is gone or another (deleted while running, replaced by a copy), since SQLite
// would keep writing to the open, unlinked file and acknowledge writes that the next
// start cannot see.
type guard struct {
	path string
	file os.FileInfo
}

func newGuard(path string) (*guard, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	return &guard{path: path, file: fi}, nil
}

// check says whether the file is still the one opened.
func (g *guard) check() error {
	if g == nil {
		return nil
	}
	fi, err := os.Stat(g.path)
	if err != nil || !os.SameFile(fi, g.file) {
		return fmt.Errorf("store: %s is no longer the database opened: %w", g.path, errFileGone)
	}
	return nil
}

// OpenError is why a data folder's database cannot be used, said for a person (the
// command line and the window show it as it is). Nothing was changed.
type OpenError struct {
	Path, Problem, Advice string
}

func (e *OpenError) Error() string {
	return fmt.Sprintf("%s %s. Nothing was changed. %s", e.Path, e.Problem, e.Advice)
}

// damagedAdvice says what to do with a damaged database.
const damagedAdvice = "Restore the latest backup with the command gatehouse admin restore --from FILE (Settings → Backups makes them; a copy of the folder taken while Gatehouse ran is often damaged like this), or move the folder aside to start afresh."

// openFault turns an error met while opening path into an *OpenError when it is one a
// person can act on.
func openFault(path string, err error) error {
	switch fault(err) {
	case errReadOnly:
		return &OpenError{Path: path, Problem: "cannot be written (the file, its folder or the disk is read-only)",
			Advice: "Make the file and its folder writable by the account running Gatehouse, then start it again."}
	case errDamaged:
		return &OpenError{Path: path, Problem: "is damaged (" + strings.TrimPrefix(err.Error(), "store: ") + ")", Advice: damagedAdvice}
	case errDiskFull:
		return &OpenError{Path: path, Problem: "cannot be opened: the disk is full", Advice: "Free some space, then start Gatehouse again."}
	case errIO:
		return &OpenError{Path: path, Problem: "cannot be read (" + strings.TrimPrefix(err.Error(), "store: ") + ")",
			Advice: "Check the disk and the file's permissions, then start Gatehouse again."}
	}
	return err
}
