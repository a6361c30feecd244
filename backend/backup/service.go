package backup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// Service is Settings → Backups. A backup holds every record, password hash and file, so
// making, downloading or scheduling one is settings.licence with Trust: it needs every
// permission of the Admin role (authz's trust rule). Seeing the page is settings.licence.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	write *write.Path
	now   func() time.Time
	log   *slog.Logger
	app   string

	// busy lets one backup run at a time: two would only compete for the disk.
	busy sync.Mutex
}

// New returns the service; app is this build's version, written into each manifest.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time, log *slog.Logger, app string) *Service {
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, now: now, log: log, app: app}
}

// Retention of automatic backups: the newest of each of the last Daily days that have
// one, and the newest of each of the last Weekly weeks.
const (
	Daily  = 7
	Weekly = 4
)

// autoName is an automatic backup's file name; only these are ever removed by retention.
var autoName = regexp.MustCompile(`^gatehouse-auto-(\d{8}-\d{6})` + regexp.QuoteMeta(Ext) + `$`)

// Listed is one backup in the folder.
type Listed struct {
	Name      string
	Size      int64
	CreatedAt time.Time
	Automatic bool
}

// Settings is what the page shows.
type Settings struct {
	store.BackupSettings
	DataFolder string
	// MayBackUp says whether the reader may make, download or schedule backups.
	MayBackUp bool
	// OnPostgres says the data is in a PostgreSQL database, which these backups (copies
	// of the SQLite file) do not cover: its server backs it up.
	OnPostgres bool
	Backups    []Listed
}

var withTrust = authz.Change{Trust: true}

// Settings returns the page's facts to a holder of settings.licence.
func (s *Service) Settings(ctx context.Context, actor authz.Actor) (*Settings, error) {
	if err := s.authz.Check(actor, authz.SettingsLicence, authz.Ref{}); err != nil {
		return nil, err
	}
	b, err := s.store.BackupSettings(ctx)
	if err != nil {
		return nil, err
	}
	out := &Settings{BackupSettings: *b, DataFolder: s.store.Dir(), Backups: []Listed{}, OnPostgres: s.store.Dialect() == store.Postgres}
	out.MayBackUp = s.authz.Check(actor, authz.SettingsLicence, authz.Ref{}, withTrust) == nil
	if b.Folder != "" {
		out.Backups = list(b.Folder)
	}
	return out, nil
}

// list returns the backups in folder, newest first (at most 50).
func list(folder string) []Listed {
	ents, err := os.ReadDir(folder)
	if err != nil {
		return []Listed{}
	}
	out := []Listed{}
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), Ext) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, Listed{Name: e.Name(), Size: info.Size(), CreatedAt: info.ModTime().UTC(), Automatic: autoName.MatchString(e.Name())})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	if len(out) > 50 {
		out = out[:50]
	}
	return out
}

// Update sets the folder and whether a backup is made there every day.
func (s *Service) Update(ctx context.Context, actor authz.Actor, folder string, automatic bool) (*Settings, error) {
	if err := s.authz.Check(actor, authz.SettingsLicence, authz.Ref{}, withTrust); err != nil {
		return nil, err
	}
	if err := s.sqliteOnly(); err != nil {
		return nil, err
	}
	folder = strings.TrimSpace(folder)
	if folder == "" && automatic {
		return nil, apperr.Field("folder", "Choose the folder daily backups are written to.")
	}
	if folder != "" {
		var err error
		if folder, err = s.checkFolder(folder); err != nil {
			return nil, err
		}
	}
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.SettingsLicence, authz.Ref{}, withTrust); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		old, err := tx.BackupSettings(ctx)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.UpdateBackupSettings(ctx, folder, automatic, s.now()); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		changed := audit.Changes(audit.Change{Field: "folder", From: old.Folder, To: folder},
			audit.Change{Field: "automatic", From: strconv.FormatBool(old.Automatic), To: strconv.FormatBool(automatic)})
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "settings.backups", TargetType: "settings", TargetName: "Backups", Details: changed}}}, nil
	})
	if err != nil {
		return nil, err
	}
	return s.Settings(ctx, actor)
}

// checkFolder makes sure folder is a full path outside the data folder that Gatehouse can
// write in (creating it when needed), and returns it cleaned.
func (s *Service) checkFolder(folder string) (string, error) {
	if !filepath.IsAbs(folder) {
		return "", apperr.Field("folder", "Give the folder's full path, such as /home/ana/Backups.")
	}
	folder = filepath.Clean(folder)
	data := resolved(filepath.Clean(s.store.Dir()))
	inData := func(f string) bool {
		return f == data || strings.HasPrefix(f, data+string(filepath.Separator))
	}
	errInData := apperr.Field("folder", "Choose a folder outside the data folder: a backup kept beside the data it copies is lost with it.")
	// Where the folder really is: a symbolic link (the folder's or a parent's) into the
	// data folder is the data folder, and nothing is created there.
	if inData(folder) || inData(resolved(folder)) {
		return "", errInData
	}
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return "", apperr.Field("folder", "Gatehouse cannot create this folder: %s", reason(err))
	}
	// Kept as the real path, so a link changed later does not move the backups.
	real, err := filepath.EvalSymlinks(folder)
	if err != nil {
		return "", apperr.Field("folder", "Gatehouse cannot read this folder: %s", reason(err))
	}
	if folder = real; inData(folder) {
		return "", errInData
	}
	f, err := os.CreateTemp(folder, ".gatehouse-write-check-*")
	if err != nil {
		return "", apperr.Field("folder", "Gatehouse cannot write in this folder: %s", reason(err))
	}
	f.Close()
	os.Remove(f.Name())
	return folder, nil
}

// resolved is path with the symbolic links of its longest existing part followed; the
// part that does not exist yet is joined as it is.
func resolved(path string) string {
	rest := ""
	for p := path; ; p = filepath.Dir(p) {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		if filepath.Dir(p) == p {
			return path
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}

// reason is an OS error without the path (the person typed the path).
func reason(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// errOnPostgres refuses a backup of data that is not in the SQLite file.
var errOnPostgres = apperr.New(apperr.Conflict, "backups_on_postgres",
	"The data is in a PostgreSQL database, which Gatehouse's backups do not copy: back it up with the database server's own tools (pg_dump, or the server's backups).")

// sqliteOnly refuses what copies the SQLite file when the data is elsewhere.
func (s *Service) sqliteOnly() error {
	if s.store.Dialect() == store.Postgres {
		return errOnPostgres
	}
	return nil
}

var errBusy = apperr.New(apperr.Conflict, "backup_running", "A backup is being made already; wait for it to finish.")

// Now makes a backup in the chosen folder at once.
func (s *Service) Now(ctx context.Context, actor authz.Actor) (*Listed, error) {
	if err := s.authz.Check(actor, authz.SettingsLicence, authz.Ref{}, withTrust); err != nil {
		return nil, err
	}
	if err := s.sqliteOnly(); err != nil {
		return nil, err
	}
	b, err := s.store.BackupSettings(ctx)
	if err != nil {
		return nil, err
	}
	if b.Folder == "" {
		return nil, apperr.Field("folder", "Choose the folder backups are written to first.")
	}
	if !s.busy.TryLock() {
		return nil, errBusy
	}
	defer s.busy.Unlock()
	now := s.now()
	name := "gatehouse-" + now.UTC().Format("20060102-150405") + Ext
	m, err := Create(ctx, s.store.DB(), s.store.Dir(), filepath.Join(b.Folder, name), s.app, now)
	if err != nil {
		s.log.Warn("backup failed", "err", err)
		return nil, failed(err)
	}
	if err := s.recordMade(ctx, actor, "backup.made", name); err != nil {
		return nil, err
	}
	out := &Listed{Name: name, CreatedAt: m.CreatedAt}
	if info, err := os.Stat(filepath.Join(b.Folder, name)); err == nil {
		out.Size = info.Size()
	}
	return out, nil
}

// failed is a backup's failure as a person reads it (the cause is the system's own).
func failed(err error) error {
	return apperr.New(apperr.Unavailable, "backup_failed", "The backup could not be made: %s", strings.TrimPrefix(err.Error(), "backup: "))
}

// recordMade writes the activity entry of a backup made or downloaded by actor.
func (s *Service) recordMade(ctx context.Context, actor authz.Actor, action, name string) error {
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: action, TargetType: "settings", TargetName: name}}}, nil
	})
	return err
}

// Download makes a backup into a temporary file in the data folder and returns it open,
// with its name; the caller sends it and calls done, which removes it.
func (s *Service) Download(ctx context.Context, actor authz.Actor) (f *os.File, name string, done func(), err error) {
	if err := s.authz.Check(actor, authz.SettingsLicence, authz.Ref{}, withTrust); err != nil {
		return nil, "", nil, err
	}
	if err := s.sqliteOnly(); err != nil {
		return nil, "", nil, err
	}
	if !s.busy.TryLock() {
		return nil, "", nil, errBusy
	}
	defer s.busy.Unlock()
	now := s.now()
	name = "gatehouse-" + now.UTC().Format("20060102-150405") + Ext
	tmp, err := os.MkdirTemp(s.store.Dir(), ".download-")
	if err != nil {
		return nil, "", nil, failed(err)
	}
	path := filepath.Join(tmp, name)
	if _, err := Create(ctx, s.store.DB(), s.store.Dir(), path, s.app, now); err != nil {
		os.RemoveAll(tmp)
		s.log.Warn("backup failed", "err", err)
		return nil, "", nil, failed(err)
	}
	if err := s.recordMade(ctx, actor, "backup.downloaded", name); err != nil {
		os.RemoveAll(tmp)
		return nil, "", nil, err
	}
	if f, err = os.Open(path); err != nil {
		os.RemoveAll(tmp)
		return nil, "", nil, failed(err)
	}
	return f, name, func() { f.Close(); os.RemoveAll(tmp) }, nil
}

// Sweep removes what a crash left of downloads in the data folder (the application holds
// the folder, so none is being sent).
func (s *Service) Sweep() {
	old, _ := filepath.Glob(filepath.Join(s.store.Dir(), ".download-*"))
	for _, d := range old {
		os.RemoveAll(d)
	}
}

// RunDue makes the automatic backup when one is due (none made in the last day), then
// removes automatic backups past the retention. It is run at start and every hour, so a
// laptop that was closed at the hour makes it when it is opened.
func (s *Service) RunDue(ctx context.Context) {
	b, err := s.store.BackupSettings(ctx)
	if err != nil || !b.Automatic || b.Folder == "" || s.sqliteOnly() != nil {
		return
	}
	now := s.now()
	if b.LastAt != nil && now.Sub(*b.LastAt) < 24*time.Hour-10*time.Minute {
		return
	}
	if !s.busy.TryLock() {
		return
	}
	defer s.busy.Unlock()
	name := "gatehouse-auto-" + now.UTC().Format("20060102-150405") + Ext
	_, err = Create(ctx, s.store.DB(), s.store.Dir(), filepath.Join(b.Folder, name), s.app, now)
	failure := ""
	if err != nil {
		failure = strings.TrimPrefix(err.Error(), "backup: ")
		name = ""
		s.log.Warn("automatic backup failed", "err", err)
	} else {
		s.log.Info("automatic backup made", "file", name)
		for _, old := range Expired(b.Folder, now) {
			if err := os.Remove(filepath.Join(b.Folder, old)); err != nil {
				s.log.Warn("could not remove an old automatic backup", "file", old, "err", err)
			}
		}
	}
	if err := s.store.RecordBackup(ctx, now, name, failure); err != nil {
		s.log.Warn("could not record the automatic backup", "err", err)
	}
}

// Expired returns the automatic backups in folder past the retention: all but the newest
// of each of the last Daily days that have one and the newest of each of the last
// Weekly ISO weeks that have one.
func Expired(folder string, now time.Time) []string {
	ents, err := os.ReadDir(folder)
	if err != nil {
		return nil
	}
	type auto struct {
		name string
		at   time.Time
	}
	var autos []auto
	for _, e := range ents {
		m := autoName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		at, err := time.Parse("20060102-150405", m[1])
		if err != nil || at.After(now.Add(time.Minute)) {
			continue
		}
		autos = append(autos, auto{e.Name(), at})
	}
	sort.Slice(autos, func(i, j int) bool { return autos[i].at.After(autos[j].at) })
	keep := map[string]bool{}
	days, weeks := map[string]bool{}, map[string]bool{}
	for _, a := range autos {
		day := a.at.Format("2006-01-02")
		if !days[day] && len(days) < Daily {
			days[day] = true
			keep[a.name] = true
		}
		y, w := a.at.ISOWeek()
		week := fmt.Sprintf("%d-%02d", y, w)
		if !weeks[week] && len(weeks) < Weekly {
			weeks[week] = true
			keep[a.name] = true
		}
	}
	var out []string
	for _, a := range autos {
		if !keep[a.name] {
			out = append(out, a.name)
		}
	}
	return out
}
