package httpapi

import (
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gatehouse/backend/files"
	"gatehouse/backend/identity"
)

// Project files and folders.

type folderJSON struct {
	ID         string    `json:"id"`
	ProjectID  string    `json:"projectId"`
	ParentID   string    `json:"parentId"`
	Name       string    `json:"name"`
	FromClient bool      `json:"fromClient"`
	CreatedAt  time.Time `json:"createdAt"`
}

func toFolderJSON(f *files.Folder) folderJSON {
	return folderJSON{ID: f.ID, ProjectID: f.ProjectID, ParentID: f.ParentID, Name: f.Name, FromClient: f.FromClient, CreatedAt: f.CreatedAt}
}

type fileJSON struct {
	ID          string    `json:"id"`
	ProjectID   string    `json:"projectId"`
	FolderID    string    `json:"folderId"`
	TaskID      string    `json:"taskId"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	ContentType string    `json:"contentType"`
	Shared      bool      `json:"shared"`
	FromClient  bool      `json:"fromClient"`
	Uploader    string    `json:"uploader"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
	Actions     []string  `json:"actions"`
}

func (a *API) fileJSON(p *identity.Principal, f *files.File) fileJSON {
	f = a.cfg.Files.ForViewer(p.Actor, f)
	return fileJSON{ID: f.ID, ProjectID: f.ProjectID, FolderID: f.FolderID, TaskID: f.TaskID, Name: f.Name, Size: f.Size,
		ContentType: f.ContentType, Shared: f.Shared, FromClient: f.FromClient, Uploader: f.Uploader, CreatedAt: f.CreatedAt,
		UpdatedAt: f.UpdatedAt, Actions: a.cfg.Files.Actions(p.Actor, f.ID)}
}

type fileListingJSON struct {
	Folders []folderJSON `json:"folders"`
	Files   []fileJSON   `json:"files"`
	Path    []folderJSON `json:"path"`
	Flat    bool         `json:"flat"`
	// MaxUpload is the largest upload, in bytes.
	MaxUpload int64 `json:"maxUpload"`
}

func (a *API) listFiles(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	l, err := a.cfg.Files.List(r.Context(), p.Actor, r.PathValue("id"), r.URL.Query().Get("folderId"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, fileListingJSON{Folders: each(l.Folders, toFolderJSON), Path: each(l.Path, toFolderJSON),
		Files: each(l.Files, func(f *files.File) fileJSON { return a.fileJSON(p, f) }), Flat: l.Flat, MaxUpload: a.cfg.Files.MaxUpload})
}

// uploadFile takes the file's bytes as the request body (any content type), streamed;
// its name and place are in the query.
func (a *API) uploadFile(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	max := a.cfg.Files.MaxUpload
	if r.ContentLength > max {
		return files.ErrTooLarge(max)
	}
	// A large upload takes longer than the server's usual read deadline (in the window
	// there is no connection, and nothing to extend).
	if err := http.NewResponseController(w).SetReadDeadline(time.Now().Add(30 * time.Minute)); err != nil && !a.cfg.InProcess {
		a.cfg.Log.Warn("upload: cannot extend the read deadline", "err", err)
	}
	q := r.URL.Query()
	f, err := a.cfg.Files.Upload(r.Context(), p.Actor, r.PathValue("id"),
		files.UploadRequest{Name: q.Get("name"), FolderID: q.Get("folderId"), TaskID: q.Get("taskId")}, r.Body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a.fileJSON(p, f))
}

func (a *API) listFolders(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	fs, err := a.cfg.Files.Folders(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[folderJSON]{Items: each(fs, toFolderJSON)})
}

func (a *API) listTaskFiles(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	fs, err := a.cfg.Files.TaskFiles(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[fileJSON]{Items: each(fs, func(f *files.File) fileJSON { return a.fileJSON(p, f) })})
}

func (a *API) getFile(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	f, err := a.cfg.Files.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.fileJSON(p, f))
}

// previewable are the types shown inline when asked (?inline=1): raster images only (an
// SVG or HTML file could run script).
var previewable = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// downloadFile sends a file's content with its original name; never as something the
// browser would run.
func (a *API) downloadFile(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	f, content, err := a.cfg.Files.Open(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	defer content.Close()
	inline := r.URL.Query().Get("inline") == "1" && previewable[f.ContentType]
	if !inline {
		if err := a.cfg.Files.RecordDownload(r.Context(), p.Actor, f.ID); err != nil {
			return err
		}
	}
	h := w.Header()
	disposition := "attachment"
	h.Set("Content-Type", "application/octet-stream")
	if inline {
		disposition = "inline"
		h.Set("Content-Type", f.ContentType)
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": f.Name}))
	if h.Get("Content-Disposition") == "" { // a name mime cannot quote: the RFC 5987 form
		h.Set("Content-Disposition", disposition+"; filename*=UTF-8''"+url.PathEscape(f.Name))
	}
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Minute)); err != nil && !a.cfg.InProcess {
		a.cfg.Log.Warn("download: cannot extend the write deadline", "err", err)
	}
	w.WriteHeader(http.StatusOK)
	// Once the answer has started, a failed copy (the client went away) cannot be answered.
	io.Copy(w, content)
	return nil
}

type fileUpdateRequest struct {
	Name     *string `json:"name"`
	FolderID *string `json:"folderId"`
	Shared   *bool   `json:"shared"`
}

func (a *API) updateFile(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req fileUpdateRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	f, err := a.cfg.Files.Update(r.Context(), p.Actor, r.PathValue("id"), files.UpdateRequest(req))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.fileJSON(p, f))
}

func (a *API) deleteFile(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Files.Delete(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}

type folderRequest struct {
	Name     *string `json:"name"`
	ParentID *string `json:"parentId"`
}

func (a *API) createFolder(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req folderRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	name, parent := "", ""
	if req.Name != nil {
		name = *req.Name
	}
	if req.ParentID != nil {
		parent = strings.TrimSpace(*req.ParentID)
	}
	fo, err := a.cfg.Files.CreateFolder(r.Context(), p.Actor, r.PathValue("id"), name, parent)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toFolderJSON(fo))
}

func (a *API) updateFolder(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req folderRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	fo, err := a.cfg.Files.UpdateFolder(r.Context(), p.Actor, r.PathValue("id"), req.Name, req.ParentID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toFolderJSON(fo))
}

func (a *API) deleteFolder(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Files.DeleteFolder(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}
