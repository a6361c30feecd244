package backup

import (
	"archive/zip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"gatehouse/backend/store"
)

// Restored says what a restore did.
type Restored struct {
	Manifest *Manifest
	// Aside is the folder the data that was there before was moved to ("" when the data
	// folder held none); it is kept for the owner to delete once they are content.
	Aside string
}

// KnownSchema is the newest schema this build can open.
func KnownSchema() (int64, error) { return knownSchema() }

// Restore replaces the data in dataDir with the archive's. The caller holds the data
// folder (datadir.Acquire), so nothing else has the database open. The archive is
// checked whole first; then it is extracted into a new folder inside dataDir, opened and
// migrated there and checked again; only then are the current database and file contents
// moved into a folder "before-restore-<time>" and the restored ones moved in. If the
// restored copy cannot be opened in place, the current data is moved back.
func Restore(ctx context.Context, archive, dataDir string, now time.Time) (*Restored, error) {
	knows, err := knownSchema()
	if err != nil {
		return nil, err
	}
	m, err := Verify(archive, knows)
	if err != nil {
		return nil, err
	}
	stamp := now.UTC().Format("20060102-150405")
	staging := filepath.Join(dataDir, "restoring-"+stamp)
	if err := os.Mkdir(staging, 0o700); err != nil {
		return nil, fmt.Errorf("backup: cannot prepare the restore in %s: %w. Nothing was changed", dataDir, err)
	}
	defer os.RemoveAll(staging)
	if err := extract(archive, staging, m); err != nil {
		return nil, err
	}
	if err := openAndCheck(ctx, filepath.Join(staging, dbName)); err != nil {
		return nil, fmt.Errorf("backup: the restored copy does not open (%v). Nothing was changed", err)
	}
	aside := filepath.Join(dataDir, "before-restore-"+stamp)
	moved, err := moveAside(dataDir, aside)
	if err != nil {
		return nil, err
	}
	putBack := func(cause error) error {
		for _, name := range []string{dbName, dbName + "-wal", dbName + "-shm", filesDir} {
			os.RemoveAll(filepath.Join(dataDir, name))
		}
		for _, name := range moved {
			if err := os.Rename(filepath.Join(aside, name), filepath.Join(dataDir, name)); err != nil {
				return fmt.Errorf("backup: the restore failed (%v) and the previous data could not be put back (%v): it is in %s", cause, err, aside)
			}
		}
		os.Remove(aside)
		return fmt.Errorf("backup: the restore failed (%v); the previous data is back in place", cause)
	}
	for _, name := range []string{dbName, dbName + "-wal", dbName + "-shm", filesDir} {
		src := filepath.Join(staging, name)
		if _, err := os.Stat(src); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := os.Rename(src, filepath.Join(dataDir, name)); err != nil {
			return nil, putBack(err)
		}
	}
	syncDir(dataDir)
	if err := openAndCheck(ctx, filepath.Join(dataDir, dbName)); err != nil {
		return nil, putBack(err)
	}
	out := &Restored{Manifest: m}
	if len(moved) > 0 {
		out.Aside = aside
	} else {
		os.Remove(aside)
	}
	return out, nil
}

func knownSchema() (int64, error) {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	p, err := store.NewMigrator(db)
	if err != nil {
		return 0, err
	}
	src := p.ListSources()
	if len(src) == 0 {
		return 0, errors.New("backup: this build has no migrations")
	}
	return src[len(src)-1].Version, nil
}

// extract writes the archive's parts into dir (the manifest was verified: names are safe).
func extract(archive, dir string, m *Manifest) error {
	z, err := zip.OpenReader(archive)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer z.Close()
	byName := map[string]*zip.File{}
	for _, f := range z.File {
		byName[f.Name] = f
	}
	for _, p := range m.Parts {
		dst := filepath.Join(dir, filepath.FromSlash(p.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return fmt.Errorf("backup: %w. Nothing was changed", err)
		}
		if err := copyPart(byName[p.Name], dst, p); err != nil {
			return err
		}
	}
	return nil
}

func copyPart(f *zip.File, dst string, p Part) (err error) {
	r, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer r.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w. Nothing was changed", err)
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("backup: %w. Nothing was changed", cerr)
		}
	}()
	n, err := io.Copy(out, io.LimitReader(r, p.Size+1))
	if err != nil {
		return fmt.Errorf("backup: writing %s: %w. Nothing was changed", p.Name, err)
	}
	if n != p.Size {
		return fmt.Errorf("%w: %s changed while it was read. Nothing was changed", ErrDamaged, p.Name)
	}
	return out.Sync()
}

// openAndCheck opens the database at path as Gatehouse does (migrating it to this
// build's schema) and checks its integrity.
func openAndCheck(ctx context.Context, path string) error {
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	return integrity(ctx, st.DB())
}

// moveAside moves the data folder's database (with its journal files) and file contents
// into aside, returning the names moved.
func moveAside(dataDir, aside string) ([]string, error) {
	var moved []string
	for _, name := range []string{dbName, dbName + "-wal", dbName + "-shm", filesDir} {
		src := filepath.Join(dataDir, name)
		if _, err := os.Lstat(src); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if len(moved) == 0 {
			if err := os.Mkdir(aside, 0o700); err != nil {
				return nil, fmt.Errorf("backup: cannot set the current data aside: %w. Nothing was changed", err)
			}
		}
		if err := os.Rename(src, filepath.Join(aside, name)); err != nil {
			for _, n := range moved {
				os.Rename(filepath.Join(aside, n), filepath.Join(dataDir, n))
			}
			os.Remove(aside)
			return nil, fmt.Errorf("backup: cannot set the current data aside: %w. Nothing was changed", err)
		}
		moved = append(moved, name)
	}
	return moved, nil
}
