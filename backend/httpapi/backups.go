package httpapi

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"gatehouse/backend/backup"
	"gatehouse/backend/identity"
)

// Settings → Backups (settings.licence; making, downloading or scheduling one needs every
// permission of the Admin role).

type backupListedJSON struct {
	Name      string `json:"name"`
	Size      int64  `json:"size"`
	CreatedAt string `json:"createdAt"`
	Automatic bool   `json:"automatic"`
}

type backupSettingsJSON struct {
	Folder     string             `json:"folder"`
	Automatic  bool               `json:"automatic"`
	LastAt     *string            `json:"lastAt"`
	LastFile   string             `json:"lastFile"`
	LastError  string             `json:"lastError"`
	DataFolder string             `json:"dataFolder"`
	MayBackUp  bool               `json:"mayBackUp"`
	Database   string             `json:"database"`
	Backups    []backupListedJSON `json:"backups"`
}

type backupSettingsRequest struct {
	Folder    string `json:"folder"`
	Automatic bool   `json:"automatic"`
}

func listedJSON(l backup.Listed) backupListedJSON {
	return backupListedJSON{Name: l.Name, Size: l.Size, CreatedAt: l.CreatedAt.UTC().Format(time.RFC3339), Automatic: l.Automatic}
}

func backupSettingsOut(s *backup.Settings) backupSettingsJSON {
	out := backupSettingsJSON{Folder: s.Folder, Automatic: s.Automatic, LastFile: s.LastFile, LastError: s.LastError,
		DataFolder: s.DataFolder, MayBackUp: s.MayBackUp, Database: "sqlite", Backups: make([]backupListedJSON, len(s.Backups))}
	if s.OnPostgres {
		out.Database = "postgres"
	}
	if s.LastAt != nil {
		at := s.LastAt.UTC().Format(time.RFC3339)
		out.LastAt = &at
	}
	for i, l := range s.Backups {
		out.Backups[i] = listedJSON(l)
	}
	return out
}

func (a *API) getBackupSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	s, err := a.cfg.Backups.Settings(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, backupSettingsOut(s))
}

func (a *API) putBackupSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req backupSettingsRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	s, err := a.cfg.Backups.Update(r.Context(), p.Actor, req.Folder, req.Automatic)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, backupSettingsOut(s))
}

func (a *API) makeBackup(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	l, err := a.cfg.Backups.Now(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, listedJSON(*l))
}

func (a *API) downloadBackup(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	f, name, done, err := a.cfg.Backups.Download(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	defer done()
	if info, err := f.Stat(); err == nil {
		w.Header().Set("Content-Length", strconv.FormatInt(info.Size(), 10))
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err = io.Copy(w, f)
	return err
}
