// Package backup makes and restores a data folder's backups: one archive (a zip file)
// holding a consistent copy of the database, taken with SQLite's VACUUM INTO while the
// application runs, the file contents it refers to, and a manifest with each part's size
// and SHA-256. It also keeps the automatic daily backups of Settings → Backups.
//
// Restoring checks the whole archive before anything is touched, refuses one written by
// a newer version, opens (and migrates) the restored copy beside the data folder first,
// and only then moves the current data aside — kept, never deleted — and the copy in.
package backup

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"gatehouse/backend/store"
)

// Ext is a backup archive's file name extension.
const Ext = ".gatehouse-backup"

// format is the archive layout this build writes and reads.
const format = 1

const (
	manifestName = "manifest.json"
	dbName       = "gatehouse.db"
	filesDir     = "files"
)

// Manifest describes an archive.
type Manifest struct {
	Format int `json:"format"`
	// App is the version of Gatehouse that wrote it; Schema the database's schema version.
	App       string    `json:"app"`
	Schema    int64     `json:"schema"`
	CreatedAt time.Time `json:"createdAt"`
	Parts     []Part    `json:"parts"`
	// Secrets are the secrets this data uses that live in the system keychain, not in the
	// archive: after a restore on another machine they must be entered again.
	Secrets []Secret `json:"secrets"`
	// Users, Tasks and Files count what the copy holds (shown before a restore).
	Users int64 `json:"users"`
	Tasks int64 `json:"tasks"`
	Files int64 `json:"files"`
}

// Part is one file of the archive.
type Part struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Secret is one keychain secret the data relies on, and where to enter it again.
type Secret struct {
	Key   string `json:"key"`
	Where string `json:"where"`
	// Count, for per-person secrets (two-factor), is how many people are concerned.
	Count int64 `json:"count,omitempty"`
}

// Create writes a backup of the database db (the data folder dataDir's) to dest, which
// must not exist: it is written under a temporary name in dest's folder, synced, and
// renamed, so a crash never leaves a half-written archive under a real name. db may be
// in use: VACUUM INTO copies one consistent state of it.
func Create(ctx context.Context, db *sql.DB, dataDir, dest, app string, now time.Time) (*Manifest, error) {
	folder := filepath.Dir(dest)
	if _, err := os.Stat(dest); err == nil {
		return nil, fmt.Errorf("backup: %s already exists", dest)
	}
	work, err := os.MkdirTemp(folder, ".gatehouse-backup-*")
	if err != nil {
		return nil, fmt.Errorf("backup: cannot write in %s: %w", folder, err)
	}
	defer os.RemoveAll(work)
	snap := filepath.Join(work, dbName)
	if _, err := db.ExecContext(ctx, `VACUUM INTO '`+strings.ReplaceAll(snap, "'", "''")+`'`); err != nil {
		return nil, fmt.Errorf("backup: copying the database: %w", err)
	}
	m := &Manifest{Format: format, App: app, CreatedAt: now.UTC().Truncate(time.Second), Parts: []Part{}, Secrets: []Secret{}}
	sums, err := describe(ctx, snap, m)
	if err != nil {
		return nil, err
	}
	tmp := filepath.Join(work, "archive.zip")
	if err := writeArchive(tmp, snap, filepath.Join(dataDir, filesDir), sums, m); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dest); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	syncDir(folder)
	return m, nil
}

// describe reads the copy snap: its schema, its integrity, the file contents it refers
// to, what it counts, and the keychain secrets it relies on.
func describe(ctx context.Context, snap string, m *Manifest) ([]string, error) {
	db, err := sql.Open("sqlite3", "file:"+snap+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	if err := integrity(ctx, db); err != nil {
		return nil, fmt.Errorf("backup: the database copy is damaged (%v); the data folder itself may be: nothing was written", err)
	}
	p, err := store.NewMigrator(db)
	if err != nil {
		return nil, err
	}
	if m.Schema, _, err = store.SchemaVersions(ctx, p); err != nil {
		return nil, err
	}
	for _, c := range []struct {
		n *int64
		q string
	}{{&m.Users, `SELECT COUNT(*) FROM users`}, {&m.Tasks, `SELECT COUNT(*) FROM tasks`}, {&m.Files, `SELECT COUNT(*) FROM files`}} {
		if err := db.QueryRowContext(ctx, c.q).Scan(c.n); err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
	}
	for _, s := range []struct {
		key, where, q string
	}{
		{"google-client-secret", "Settings → Sign-in: the Google client secret", `SELECT client_secret_set FROM signin_settings WHERE id = 1`},
		{"smtp-password", "Settings → Email: the mail server's password", `SELECT password_set FROM email_settings WHERE id = 1`},
		{"stripe-secret-key", "Settings → Payments: Stripe's keys", `SELECT COUNT(*) FROM invoicing_settings WHERE gateway = 'stripe'`},
		{"two-factor-key", "Two-factor sign-in: these people sign in with a recovery code, or an Admin resets their second factor (gatehouse admin reset-two-factor)", `SELECT COUNT(*) FROM two_factor`},
		{"outbox-key", "Queued mail holding a link (welcome, password reset) cannot be sent: send those links again", `SELECT COUNT(*) FROM outbox WHERE state = 'queued' AND secret IS NOT NULL`},
	} {
		var n int64
		if err := db.QueryRowContext(ctx, s.q).Scan(&n); err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		if n > 0 {
			sec := Secret{Key: s.key, Where: s.where}
			if s.key == "two-factor-key" || s.key == "outbox-key" {
				sec.Count = n
			}
			m.Secrets = append(m.Secrets, sec)
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT sha256 FROM files ORDER BY sha256`)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer rows.Close()
	var sums []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		sums = append(sums, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return sums, nil
}

func integrity(ctx context.Context, db *sql.DB) error {
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check(1)`).Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return errors.New(res)
	}
	return nil
}

var sumShape = regexp.MustCompile(`^[0-9a-f]{64}$`)

// writeArchive writes the zip: the database, each content (checked against its sum while
// it is copied), and the manifest last.
func writeArchive(path, snap, blobDir string, sums []string, m *Manifest) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("backup: %w", cerr)
		}
	}()
	z := zip.NewWriter(f)
	add := func(name, src string, method uint16, want string) error {
		in, err := os.Open(src)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) && want != "" {
				return fmt.Errorf("backup: a file's content (%s) is missing from the data folder; it was deleted while the backup ran, or the folder is damaged. Try again", want[:12])
			}
			return fmt.Errorf("backup: %w", err)
		}
		defer in.Close()
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: m.CreatedAt})
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(w, h), in)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		sum := hex.EncodeToString(h.Sum(nil))
		if want != "" && sum != want {
			return fmt.Errorf("backup: a file's content (%s) in the data folder is damaged: its checksum does not match", want[:12])
		}
		m.Parts = append(m.Parts, Part{Name: name, Size: n, SHA256: sum})
		return nil
	}
	if err := add(dbName, snap, zip.Deflate, ""); err != nil {
		return err
	}
	for _, s := range sums {
		if !sumShape.MatchString(s) {
			return fmt.Errorf("backup: the database names a file content %q that is not a checksum", s)
		}
		if err := add(filesDir+"/"+s[:2]+"/"+s[2:], filepath.Join(blobDir, s[:2], s[2:]), zip.Store, s); err != nil {
			return err
		}
	}
	w, err := z.Create(manifestName)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// ErrDamaged is the error of an archive that is not whole: a part missing, or one whose
// size or checksum differs from the manifest's.
var ErrDamaged = errors.New("backup: the archive is damaged")

// NewerError is the error of an archive written by a newer version of Gatehouse.
type NewerError struct {
	App           string
	Schema, Knows int64
}

func (e *NewerError) Error() string {
	return fmt.Sprintf("this backup was made by a newer version of Gatehouse (%s, schema %d; this version knows up to %d): install that version or a later one to restore it. Nothing was changed",
		e.App, e.Schema, e.Knows)
}

// Verify reads the whole archive at path and checks every part against the manifest, and
// that this build can open its schema (knows is the newest schema this build has).
func Verify(path string, knows int64) (*Manifest, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s is not a Gatehouse backup (%v). Nothing was changed", ErrDamaged, filepath.Base(path), err)
	}
	defer z.Close()
	m, err := readManifest(&z.Reader)
	if err != nil {
		return nil, err
	}
	if m.Format > format || m.Schema > knows {
		return nil, &NewerError{App: m.App, Schema: m.Schema, Knows: knows}
	}
	parts := map[string]*zip.File{}
	for _, f := range z.File {
		parts[f.Name] = f
	}
	if len(m.Parts) == 0 || m.Parts[0].Name != dbName {
		return nil, fmt.Errorf("%w: it has no database. Nothing was changed", ErrDamaged)
	}
	for _, p := range m.Parts {
		f := parts[p.Name]
		if f == nil || !safeName(p.Name) {
			return nil, fmt.Errorf("%w: %s is missing. Nothing was changed", ErrDamaged, p.Name)
		}
		if err := checkPart(f, p); err != nil {
			return nil, err
		}
	}
	if len(parts) != len(m.Parts)+1 {
		return nil, fmt.Errorf("%w: it holds files its manifest does not list. Nothing was changed", ErrDamaged)
	}
	return m, nil
}

func readManifest(z *zip.Reader) (*Manifest, error) {
	f, err := z.Open(manifestName)
	if err != nil {
		return nil, fmt.Errorf("%w: it has no manifest. Nothing was changed", ErrDamaged)
	}
	defer f.Close()
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(f, 64<<20)).Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: its manifest cannot be read (%v). Nothing was changed", ErrDamaged, err)
	}
	return &m, nil
}

// safeName: a part's name is the database or files/xx/<rest of a sum>, nothing that could
// reach outside the folder it is extracted to.
func safeName(name string) bool {
	if name == dbName {
		return true
	}
	rest, ok := strings.CutPrefix(name, filesDir+"/")
	return ok && len(rest) == 65 && rest[2] == '/' && sumShape.MatchString(rest[:2]+rest[3:])
}

func checkPart(f *zip.File, p Part) error {
	r, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: %s cannot be read (%v). Nothing was changed", ErrDamaged, p.Name, err)
	}
	defer r.Close()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil || n != p.Size || hex.EncodeToString(h.Sum(nil)) != p.SHA256 {
		return fmt.Errorf("%w: %s fails its checksum. Nothing was changed", ErrDamaged, p.Name)
	}
	return nil
}
