// Package files keeps each project's files, in folders: upload (streamed to the blob
// store, never whole in memory), download, rename, move, share with the project's
// clients, delete, and folders. Who sees and does what is backend/authz's (File and
// Folder resources); every change takes the one write path with its audit entry. The
// content is written (and synced) before its row, so a row never names missing content;
// content no row names any more is removed after the change, or by the sweep at start.
package files

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/blobs"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// DefaultMaxUpload is the largest upload unless configured otherwise (100 MiB).
const DefaultMaxUpload = 100 << 20

// ClientFolderName is the name of the folder clients' uploads land in.
const ClientFolderName = "From the client"

// clientFolderText names the folder in a message, in the reader's language (the UI shows
// the folder by that name too).
var clientFolderText = apperr.Textf(ClientFolderName)

// Service is the files service.
type Service struct {
	store     *store.Store
	authz     *authz.Authorizer
	write     *write.Path
	blobs     *blobs.Store
	now       func() time.Time
	log       *slog.Logger
	MaxUpload int64
	// inFlight is held (shared) by an upload from writing its content until its row is
	// committed, and (exclusive) by removing unused content: content about to be named
	// by a new row is never removed under it.
	inFlight sync.RWMutex
}

// New returns the service over the blob store b.
func New(st *store.Store, az *authz.Authorizer, b *blobs.Store, now func() time.Time, log *slog.Logger) *Service {
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, blobs: b, now: now, log: log, MaxUpload: DefaultMaxUpload}
}

// File and Folder are as the store keeps them.
type (
	File   = store.File
	Folder = store.Folder
)

// Sweep removes content no file refers to (what a crash between writing content and its
// row left behind).
func (s *Service) Sweep(ctx context.Context) (int, error) {
	s.inFlight.Lock()
	defer s.inFlight.Unlock()
	inUse, err := s.store.BlobsInUse(ctx)
	if err != nil {
		return 0, err
	}
	return s.blobs.Sweep(inUse)
}

// CheckName accepts a file or folder name: one line of at most 255 characters, without
// slashes, and not "." or "..".
func CheckName(field, raw string) (string, error) {
	n := strings.TrimSpace(raw)
	switch {
	case n == "":
		return "", apperr.Field(field, "Enter a name.")
	case !utf8.ValidString(n) || strings.ContainsFunc(n, func(r rune) bool {
		return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) || r == '/' || r == '\\'
	}):
		// Format characters (bidi overrides) would show "invoice‮fdp.exe" as "invoiceexe.pdf".
		return "", apperr.Field(field, "A name cannot hold slashes, line breaks, direction overrides or other control characters.")
	case n == "." || n == "..":
		return "", apperr.Field(field, "A name cannot be “.” or “..”.")
	case utf8.RuneCountInString(n) > 255:
		return "", apperr.Field(field, "The name is too long: at most 255 characters.")
	}
	return n, nil
}

// UploadRequest places an upload: a name, and optionally a folder and a task of the
// project. A client's upload always lands in "From the client".
type UploadRequest struct {
	Name, FolderID, TaskID string
}

// ErrTooLarge is the answer to an upload larger than limit bytes.
func ErrTooLarge(limit int64) error {
	return apperr.New(apperr.TooLarge, "too_large", "The file is larger than %s, the most Gatehouse takes in one upload.", mib(limit)).OnField("file")
}

func mib(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MiB" }

// Upload keeps body as a new file of project projectID. The body is streamed to the blob
// store (past MaxUpload it stops and nothing stays); the row and its audit entry are
// written in one transaction after the content is safely on disk.
func (s *Service) Upload(ctx context.Context, actor authz.Actor, projectID string, req UploadRequest, body io.Reader) (*File, error) {
	name, err := CheckName("name", req.Name)
	if err != nil {
		return nil, err
	}
	// Refused requests are refused before the content is read.
	if err := s.authz.Check(actor, authz.FilesUpload, authz.ProjectRef(projectID)); err != nil {
		return nil, err
	}
	if (req.TaskID != "" || req.FolderID != "") && s.authz.IsClient(actor) {
		return nil, clientPlaces
	}
	br := bufio.NewReaderSize(body, 512)
	head, _ := br.Peek(512)
	contentType := http.DetectContentType(head)
	// Reading takes as long as the sender does, with no lock held; only putting the
	// content in place and writing its row hold off removals of unused content.
	pending, err := s.blobs.Put(br, s.MaxUpload)
	switch {
	case errors.Is(err, blobs.ErrTooLarge):
		return nil, ErrTooLarge(s.MaxUpload)
	case errors.Is(err, blobs.ErrEmpty):
		return nil, apperr.Field("file", "The file is empty.")
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, apperr.New(apperr.Malformed, "upload_stalled", "The upload stopped arriving. Try again.")
	case err != nil:
		return nil, err
	}
	s.inFlight.RLock()
	if err := pending.Keep(); err != nil {
		s.inFlight.RUnlock()
		return nil, err
	}
	sum, size := pending.Sum, pending.Size
	now := s.now()
	f, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*File, write.Effect, error) {
		if err := w.Check(actor, authz.FilesUpload, authz.ProjectRef(projectID)); err != nil {
			return nil, write.Effect{}, err
		}
		u, err := tx.User(ctx, actor.UserID)
		if err != nil {
			return nil, write.Effect{}, err
		}
		f := &File{ID: uuid.NewString(), ProjectID: projectID, Name: name, Size: size, ContentType: contentType, SHA256: sum,
			UploadedBy: u.ID, Uploader: u.Name, CreatedAt: now, UpdatedAt: now}
		var eff write.Effect
		if w.IsClient(actor) {
			if req.TaskID != "" || req.FolderID != "" {
				return nil, write.Effect{}, clientPlaces
			}
			folder, made, err := s.clientFolder(ctx, tx, projectID, now)
			if err != nil {
				return nil, write.Effect{}, err
			}
			f.FolderID, f.FromClient = folder.ID, true
			if made != nil {
				eff.Index = func(w *authz.Writer) { w.PutFolder(made) }
			}
		} else {
			if err := s.place(ctx, w, tx, actor, f, req.FolderID); err != nil {
				return nil, write.Effect{}, err
			}
			if req.TaskID != "" {
				if err := s.attach(ctx, w, tx, actor, f, req.TaskID); err != nil {
					return nil, write.Effect{}, err
				}
			}
		}
		if err := tx.CreateFile(ctx, f); err != nil {
			return nil, write.Effect{}, err
		}
		made := eff.Index
		eff.Index = func(w *authz.Writer) {
			if made != nil {
				made(w)
			}
			w.PutFile(f)
		}
		details := map[string]any{"size": size, "project": f.ProjectID}
		if f.FolderID != "" {
			details["folder"] = f.FolderID
		}
		if f.TaskID != "" {
			details["task"] = f.TaskID
		}
		eff.Audit = []audit.Entry{entry("file.upload", f, details)}
		return f, eff, nil
	})
	s.inFlight.RUnlock()
	if err != nil {
		// Refused after all: its content goes before the answer (unless another file has
		// the same), so a refused upload leaves nothing behind by the time it is told so.
		s.dropIfUnused(context.WithoutCancel(ctx), sum)
		return nil, err
	}
	return f, nil
}

var clientPlaces = apperr.Field("folderId", "A client's files go to “%s”.", clientFolderText)

func entry(action string, f *File, details map[string]any) audit.Entry {
	return audit.Entry{Action: action, TargetType: "file", TargetID: f.ID, TargetName: f.Name, Details: details}
}

// clientFolder returns the project's "From the client" folder, made when missing (made
// is then the new folder, for the index).
func (s *Service) clientFolder(ctx context.Context, tx *store.Store, projectID string, now time.Time) (folder, made *Folder, err error) {
	folder, err = tx.ClientFolder(ctx, projectID)
	if err == nil {
		return folder, nil, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, nil, err
	}
	// Nobody else may name a folder so (checkFolderName), so the name is free.
	folder = &Folder{ID: uuid.NewString(), ProjectID: projectID, Name: ClientFolderName, FromClient: true, CreatedAt: now}
	if err := tx.CreateFolder(ctx, folder); err != nil {
		return nil, nil, folderTaken(err)
	}
	return folder, folder, nil
}

// place puts f in folderID ("" for the top) of its project, which the actor may put
// files in; never in "From the client", which only clients' uploads reach.
func (s *Service) place(ctx context.Context, w *authz.Writer, tx *store.Store, actor authz.Actor, f *File, folderID string) error {
	if folderID == "" {
		f.FolderID, f.FromClient = "", false
		return nil
	}
	if err := w.Check(actor, authz.FilesUpload, authz.FolderRef(folderID)); err != nil {
		return apperr.Field("folderId", "No such folder.")
	}
	fo, err := tx.Folder(ctx, folderID)
	if err != nil || fo.ProjectID != f.ProjectID {
		return apperr.Field("folderId", "No such folder in this project.")
	}
	if fo.FromClient && !f.FromClient {
		return apperr.Field("folderId", "“%s” holds clients' uploads only.", clientFolderText)
	}
	f.FolderID = fo.ID
	return nil
}

// attach attaches f to a task of its project that the actor sees; the file is then seen
// as the task is.
func (s *Service) attach(ctx context.Context, w *authz.Writer, tx *store.Store, actor authz.Actor, f *File, taskID string) error {
	if err := w.Check(actor, authz.View, authz.TaskRef(taskID)); err != nil {
		return apperr.Field("taskId", "No such task.")
	}
	t, err := tx.Task(ctx, taskID)
	if err != nil || t.ProjectID != f.ProjectID {
		return apperr.Field("taskId", "No such task in this project.")
	}
	f.TaskID = taskID
	return nil
}

// dropIfUnused removes content that no file refers to (after a refused upload or a
// delete).
func (s *Service) dropIfUnused(ctx context.Context, sum string) {
	s.inFlight.Lock()
	defer s.inFlight.Unlock()
	used, err := s.store.BlobInUse(ctx, sum)
	if err != nil || used {
		return
	}
	if err := s.blobs.Remove(sum); err != nil {
		s.log.Warn("files: could not remove unused content", "err", err)
	}
}

// Listing is what one folder of a project shows the actor.
type Listing struct {
	Folders []*Folder
	Files   []*File
	// Path is the folders from the top down to the one listed.
	Path []*Folder
	// Flat: a client's view, every file they see in one list (folders are the team's).
	Flat bool
}

// List returns what the actor sees in folder folderID ("" for the top) of a project; a
// client gets every file they see, in one list.
func (s *Service) List(ctx context.Context, actor authz.Actor, projectID, folderID string) (*Listing, error) {
	if err := s.authz.Check(actor, authz.FilesView, authz.ProjectRef(projectID)); err != nil {
		return nil, err
	}
	var client bool
	s.authz.Read(func(rd *authz.Reader) error { client = rd.IsClient(actor); return nil })
	out := &Listing{Folders: []*Folder{}, Path: []*Folder{}, Flat: client}
	all, err := s.store.Folders(ctx, projectID)
	if err != nil {
		return nil, err
	}
	byID := map[string]*Folder{}
	for _, f := range all {
		byID[f.ID] = f
	}
	if folderID != "" {
		fo := byID[folderID]
		if fo == nil || s.authz.Check(actor, authz.View, authz.FolderRef(folderID)) != nil {
			return nil, apperr.NotFoundf("No such folder.")
		}
		for at := fo; at != nil; at = byID[at.ParentID] {
			out.Path = append([]*Folder{at}, out.Path...)
		}
	}
	var files []*File
	if client {
		files, err = s.store.Files(ctx, projectID, "", true)
	} else {
		files, err = s.store.Files(ctx, projectID, folderID, false)
		for _, f := range all {
			if f.ParentID == folderID && s.authz.Check(actor, authz.View, authz.FolderRef(f.ID)) == nil {
				out.Folders = append(out.Folders, f)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if out.Files, err = s.visible(actor, files); err != nil {
		return nil, err
	}
	return out, nil
}

// TaskFiles returns the files attached to a task that the actor sees.
func (s *Service) TaskFiles(ctx context.Context, actor authz.Actor, taskID string) ([]*File, error) {
	if err := s.authz.Check(actor, authz.View, authz.TaskRef(taskID)); err != nil {
		return nil, err
	}
	files, err := s.store.TaskFiles(ctx, taskID)
	if err != nil {
		return nil, err
	}
	return s.visible(actor, files)
}

func (s *Service) visible(actor authz.Actor, files []*File) ([]*File, error) {
	return authz.Keep(s.authz, actor, authz.File, files, func(f *File) string { return f.ID })
}

// Folders returns every folder of a project the actor sees (parents may come after
// children; each names its parent), for a picker.
func (s *Service) Folders(ctx context.Context, actor authz.Actor, projectID string) ([]*Folder, error) {
	if err := s.authz.Check(actor, authz.FilesView, authz.ProjectRef(projectID)); err != nil {
		return nil, err
	}
	all, err := s.store.Folders(ctx, projectID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(f *Folder) bool { return s.authz.Check(actor, authz.View, authz.FolderRef(f.ID)) != nil }), nil
}

// Get returns a file the actor sees.
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*File, error) {
	if err := s.authz.Check(actor, authz.View, authz.FileRef(id)); err != nil {
		return nil, err
	}
	return s.store.File(ctx, id)
}

// Open returns a file the actor sees with its content to read (the caller closes it).
func (s *Service) Open(ctx context.Context, actor authz.Actor, id string) (*File, *os.File, error) {
	f, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.blobs.Open(f.SHA256)
	if err != nil {
		return nil, nil, err
	}
	return f, r, nil
}

// RecordDownload records that a client (portal) account downloads file id (file.download,
// for client engagement), before its content is sent. The team's downloads are not
// recorded, nor anything read while viewing as someone (read-only); an image shown in a
// preview is not a download. Every download is an entry: a file downloaded again is the
// client coming back for it.
func (s *Service) RecordDownload(ctx context.Context, actor authz.Actor, id string) error {
	if actor.Viewer != "" || !s.authz.IsClient(actor) {
		return nil
	}
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.View, authz.FileRef(id)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		f, err := tx.File(ctx, id)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{entry("file.download", f, map[string]any{"size": f.Size})}}, nil
	})
	return err
}

// ForViewer is f as the actor may see it: the project and folder ids only to those who
// see the project (a follower of a task sees its files, not where they are), and the
// uploader's name only to those who may learn of them (never another client, for a
// client).
func (s *Service) ForViewer(actor authz.Actor, f *File) *File {
	out := *f
	if s.authz.Check(actor, authz.View, authz.ProjectRef(f.ProjectID)) != nil {
		out.ProjectID, out.FolderID = "", ""
	}
	if f.UploadedBy == "" || len(s.authz.Nameable(actor, []string{f.UploadedBy})) == 0 {
		out.UploadedBy = ""
		if f.UploadedBy != "" {
			out.Uploader = "Another client"
		}
	}
	return &out
}

// Actions lists what the actor may do to a file.
func (s *Service) Actions(actor authz.Actor, id string) []string {
	return s.authz.Allowed(actor, authz.FileRef(id), authz.FilesUpload, authz.FilesDelete, authz.FilesShareClients)
}

// UpdateRequest renames, moves or shares a file; nil fields stay.
type UpdateRequest struct {
	Name, FolderID *string
	Shared         *bool
}

// Update renames or moves a file (files.upload), or shares it with clients or stops
// (files.share_clients). Moving a client's upload out of "From the client" makes it the
// team's (internal until shared).
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, req UpdateRequest) (*File, error) {
	if req.Name != nil {
		n, err := CheckName("name", *req.Name)
		if err != nil {
			return nil, err
		}
		req.Name = &n
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*File, write.Effect, error) {
		if err := w.Check(actor, authz.View, authz.FileRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		f, err := tx.File(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		changes := map[string]any{}
		if req.Shared != nil && *req.Shared != f.Shared {
			if err := w.Check(actor, authz.FilesShareClients, authz.FileRef(id)); err != nil {
				return nil, write.Effect{}, err
			}
			f.Shared, changes["shared"] = *req.Shared, *req.Shared
		}
		if (req.Name != nil && *req.Name != f.Name) || (req.FolderID != nil && *req.FolderID != f.FolderID) {
			if err := w.Check(actor, authz.FilesUpload, authz.FileRef(id)); err != nil {
				return nil, write.Effect{}, err
			}
		}
		if req.Name != nil && *req.Name != f.Name {
			changes["name"] = map[string]string{"from": f.Name, "to": *req.Name}
			f.Name = *req.Name
		}
		if req.FolderID != nil && *req.FolderID != f.FolderID {
			if w.IsClient(actor) {
				return nil, write.Effect{}, apperr.Field("folderId", "A client's files stay in “%s”.", clientFolderText)
			}
			from := f.FolderID
			f.FromClient = false // out of "From the client": the team's now
			if err := s.place(ctx, w, tx, actor, f, *req.FolderID); err != nil {
				return nil, write.Effect{}, err
			}
			changes["folder"] = map[string]string{"from": from, "to": f.FolderID}
		}
		if len(changes) == 0 {
			return f, write.Effect{}, nil
		}
		f.UpdatedAt = s.now()
		if err := tx.UpdateFile(ctx, f); err != nil {
			return nil, write.Effect{}, err
		}
		return f, write.Entry(entry("file.update", f, changes), func(w *authz.Writer) { w.PutFile(f) }), nil
	})
}

// Delete removes a file; its content goes when no other file has the same.
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id string) error {
	f, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*File, write.Effect, error) {
		if err := w.Check(actor, authz.FilesDelete, authz.FileRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		f, err := tx.File(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.DeleteFile(ctx, id); err != nil {
			return nil, write.Effect{}, err
		}
		details := map[string]any{"size": f.Size, "project": f.ProjectID}
		if f.FolderID != "" {
			details["folder"] = f.FolderID
		}
		return f, write.Entry(entry("file.delete", f, details), func(w *authz.Writer) { w.DeleteFile(id) }), nil
	})
	if err != nil {
		return err
	}
	// Uploads hold the lock this takes only while putting content in place and writing
	// its row (never while reading), so waiting for it here is short.
	s.dropIfUnused(context.WithoutCancel(ctx), f.SHA256)
	return nil
}

// CreateFolder makes a folder in a project, at the top or in parentID.
func (s *Service) CreateFolder(ctx context.Context, actor authz.Actor, projectID, name, parentID string) (*Folder, error) {
	n, err := checkFolderName(name)
	if err != nil {
		return nil, err
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Folder, write.Effect, error) {
		if err := w.Check(actor, authz.FilesFolders, authz.ProjectRef(projectID)); err != nil {
			return nil, write.Effect{}, err
		}
		fo := &Folder{ID: uuid.NewString(), ProjectID: projectID, Name: n, CreatedAt: s.now()}
		if err := s.parent(ctx, w, tx, actor, fo, parentID); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.CreateFolder(ctx, fo); err != nil {
			return nil, write.Effect{}, folderTaken(err)
		}
		details := map[string]any{"project": fo.ProjectID}
		if fo.ParentID != "" {
			details["parent"] = fo.ParentID
		}
		return fo, write.Entry(audit.Entry{Action: "folder.create", TargetType: "folder", TargetID: fo.ID, TargetName: fo.Name,
			Details: details}, func(w *authz.Writer) { w.PutFolder(fo) }), nil
	})
}

// checkFolderName is CheckName, and the name of clients' uploads' folder is the project's
// own: nobody can take it before the first client upload.
func checkFolderName(raw string) (string, error) {
	n, err := CheckName("name", raw)
	if err == nil && strings.HasPrefix(strings.ToLower(n), strings.ToLower(ClientFolderName)) {
		return "", apperr.Field("name", "“%s” is the name of the folder clients' uploads land in: choose another.", clientFolderText)
	}
	return n, err
}

func folderTaken(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return apperr.New(apperr.Conflict, "name_taken", "A folder of this name is there already.").OnField("name")
	}
	return err
}

// parent puts fo in parentID ("" for the top): a folder of the same project, not fo
// itself nor one inside it, and not "From the client".
func (s *Service) parent(ctx context.Context, w *authz.Writer, tx *store.Store, actor authz.Actor, fo *Folder, parentID string) error {
	if parentID == "" {
		fo.ParentID = ""
		return nil
	}
	if w.Check(actor, authz.View, authz.FolderRef(parentID)) != nil {
		return apperr.Field("parentId", "No such folder.")
	}
	for at := parentID; at != ""; {
		p, err := tx.Folder(ctx, at)
		if err != nil || p.ProjectID != fo.ProjectID {
			return apperr.Field("parentId", "No such folder in this project.")
		}
		if p.ID == fo.ID {
			return apperr.Field("parentId", "A folder cannot go inside itself.")
		}
		if p.FromClient {
			return apperr.Field("parentId", "“%s” holds clients' uploads only.", clientFolderText)
		}
		at = p.ParentID
	}
	fo.ParentID = parentID
	return nil
}

// UpdateFolder renames or moves a folder.
func (s *Service) UpdateFolder(ctx context.Context, actor authz.Actor, id string, name, parentID *string) (*Folder, error) {
	if name != nil {
		n, err := checkFolderName(*name)
		if err != nil {
			return nil, err
		}
		name = &n
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Folder, write.Effect, error) {
		if err := w.Check(actor, authz.FilesFolders, authz.FolderRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		fo, err := tx.Folder(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		before := *fo
		if name != nil {
			fo.Name = *name
		}
		if parentID != nil && *parentID != fo.ParentID {
			if err := s.parent(ctx, w, tx, actor, fo, *parentID); err != nil {
				return nil, write.Effect{}, err
			}
		}
		if *fo == before {
			return fo, write.Effect{}, nil
		}
		if err := tx.UpdateFolder(ctx, fo); err != nil {
			return nil, write.Effect{}, folderTaken(err)
		}
		return fo, write.Entry(audit.Entry{Action: "folder.update", TargetType: "folder", TargetID: fo.ID, TargetName: fo.Name,
			Details: audit.Changes(audit.Change{Field: "name", From: before.Name, To: fo.Name},
				audit.Change{Field: "parent", From: before.ParentID, To: fo.ParentID})},
			func(w *authz.Writer) { w.PutFolder(fo) }), nil
	})
}

// DeleteFolder removes an empty folder (what is in it is moved or deleted first, so
// nothing goes unseen).
func (s *Service) DeleteFolder(ctx context.Context, actor authz.Actor, id string) error {
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.FilesFolders, authz.FolderRef(id)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		fo, err := tx.Folder(ctx, id)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		files, err := tx.Files(ctx, fo.ProjectID, id, false)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		folders, err := tx.Folders(ctx, fo.ProjectID)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		sub := slices.ContainsFunc(folders, func(f *Folder) bool { return f.ParentID == id })
		if len(files) > 0 || sub {
			return struct{}{}, write.Effect{}, apperr.New(apperr.Conflict, "folder_not_empty",
				"The folder is not empty: move or delete what is in it first.")
		}
		if err := tx.DeleteFolder(ctx, id); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		details := map[string]any{"project": fo.ProjectID}
		if fo.ParentID != "" {
			details["parent"] = fo.ParentID
		}
		return struct{}{}, write.Entry(audit.Entry{Action: "folder.delete", TargetType: "folder", TargetID: id, TargetName: fo.Name,
			Details: details}, func(w *authz.Writer) { w.DeleteFolder(id) }), nil
	})
	return err
}
