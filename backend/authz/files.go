package authz

import (
	"gatehouse/backend/apperr"
	"gatehouse/backend/store"
)

// Project files and folders: a file belongs to a project, sits in a folder (or at the
// top), and may be attached to a task, whose visibility it then follows. Files are
// internal unless shared with the project's clients; what a client uploads lands in the
// project's "From the client" folder, seen by the team and by that client only.

type fileRec struct {
	id         string
	project    handle
	folder     handle // none: at the top
	task       handle // none: not attached
	uploader   handle
	shared     bool
	fromClient bool
	alive      bool
}

type folderRec struct {
	id         string
	project    handle
	parent     handle // none: at the top
	fromClient bool
	alive      bool
}

func (f fileRec) live() bool   { return f.alive }
func (f folderRec) live() bool { return f.alive }

// liveRec is the record of id among recs when it exists and is alive.
func liveRec[T interface{ live() bool }](n *interner, recs []T, id string) (*T, handle) {
	if h, ok := n.lookup(id); ok && recs[h].live() {
		return &recs[h], h
	}
	return nil, none
}

func (x *index) file(id string) (*fileRec, handle)     { return liveRec(&x.fileIDs, x.files, id) }
func (x *index) folder(id string) (*folderRec, handle) { return liveRec(&x.foldIDs, x.folders, id) }

// PutFolder adds or replaces a folder.
func (w *Writer) PutFolder(f *store.Folder) {
	x := w.x
	_, ph := x.project(f.ProjectID)
	if ph == none {
		return
	}
	h := handleOf(&x.foldIDs, &x.folders, f.ID, func() folderRec { return folderRec{} })
	rec := folderRec{id: f.ID, project: ph, parent: none, fromClient: f.FromClient, alive: true}
	if f.ParentID != "" {
		if _, parent := x.folder(f.ParentID); parent != none {
			rec.parent = parent
		}
	}
	x.folders[h] = rec
}

// DeleteFolder forgets a folder, and (as the database does) the folders and files in it.
func (w *Writer) DeleteFolder(id string) {
	x := w.x
	_, h := x.folder(id)
	if h == none {
		return
	}
	gone := func(fh handle) bool {
		for ; fh != none; fh = x.folders[fh].parent {
			if fh == h {
				return true
			}
		}
		return false
	}
	w.dropFiles(func(f *fileRec) bool { return gone(f.folder) }, func(fo *folderRec) bool { return gone(x.folderHandle(fo)) })
}

func (x *index) folderHandle(fo *folderRec) handle {
	h, _ := x.foldIDs.lookup(fo.id)
	return h
}

// dropFiles forgets the files and folders the predicates pick (a deleted project's, a
// deleted folder's).
func (w *Writer) dropFiles(file func(*fileRec) bool, folder func(*folderRec) bool) {
	x := w.x
	for i := range x.files {
		if f := &x.files[i]; f.alive && file(f) {
			f.alive = false
		}
	}
	// Children before parents would change nothing: a folder's own handle is all the
	// predicate reads.
	var drop []int
	for i := range x.folders {
		if fo := &x.folders[i]; fo.alive && folder(fo) {
			drop = append(drop, i)
		}
	}
	for _, i := range drop {
		x.folders[i].alive = false
	}
}

// PutFile adds or replaces a file.
func (w *Writer) PutFile(f *store.File) {
	x := w.x
	_, ph := x.project(f.ProjectID)
	if ph == none {
		return
	}
	h := handleOf(&x.fileIDs, &x.files, f.ID, func() fileRec { return fileRec{} })
	rec := fileRec{id: f.ID, project: ph, folder: none, task: none, uploader: none, shared: f.Shared, fromClient: f.FromClient, alive: true}
	if f.FolderID != "" {
		_, rec.folder = x.folder(f.FolderID)
	}
	if f.TaskID != "" {
		_, rec.task = x.task(f.TaskID)
	}
	if f.UploadedBy != "" {
		rec.uploader = x.userHandle(f.UploadedBy)
	}
	x.files[h] = rec
}

// DeleteFile forgets a file.
func (w *Writer) DeleteFile(id string) {
	if f, _ := w.x.file(id); f != nil {
		f.alive = false
	}
}

var (
	hiddenFile   = apperr.NotFoundf("No such file.")
	hiddenFolder = apperr.NotFoundf("No such folder.")
	ownUploads   = apperr.New(apperr.Forbidden, "forbidden", "A client (portal) account changes only the files it uploaded.")
)

// seesFile is who sees a file: files.view, and the task it is attached to or else its
// project; a client only files shared with clients (a task's file: as the task), or
// what they uploaded themselves.
func (rd *Reader) seesFile(v *view, f *fileRec, y *why) bool {
	if !f.alive {
		return false
	}
	if !v.has(FilesView) {
		return y.miss("The role %s does not hold files.view.", v.r.name)
	}
	if f.task >= 0 {
		t := &rd.x.tasks[f.task]
		if !t.alive || !rd.seesTask(v, t, y) {
			return y.miss("The file is attached to a task this person cannot see.")
		}
		y.path(Path{Kind: "task_file", Via: rd.x.more(t).id})
	} else if !rd.seesProject(v, f.project, y) {
		return false
	}
	if v.client {
		switch {
		case f.fromClient:
			if f.uploader != v.uh {
				return y.miss("The file came from another client: only the team and that client see it.")
			}
			y.path(Path{Kind: "uploader"})
		case f.task >= 0: // as the task
		case !f.shared:
			return y.miss("The file is internal: it is not shared with clients.")
		default:
			y.path(Path{Kind: "shared"})
		}
	}
	return v.also == nil || rd.seesFile(v.also, f, nil)
}

func (rd *Reader) decideFile(v *view, a Action, id string, y *why) error {
	f, _ := rd.x.file(id)
	if f == nil || !rd.seesFile(v, f, y) {
		return hiddenFile
	}
	switch a {
	case View, FilesView:
		return nil
	case FilesUpload, FilesDelete: // renaming and moving a file is work of uploading
		if !v.has(a) {
			return forbidden(a)
		}
		if v.client && f.uploader != v.uh {
			return ownUploads
		}
		// Following a task lets one see its files, not change them.
		if f.task >= 0 && !rd.seesTaskNormally(v, &rd.x.tasks[f.task], nil) {
			return apperr.New(apperr.Forbidden, "follower_only", "You follow this task; following lets you see its files, not change them.")
		}
		return nil
	case FilesShareClients:
		if !v.has(a) || v.client {
			return forbidden(a)
		}
		if f.task >= 0 {
			return apperr.New(apperr.Conflict, "follows_task", "A file attached to a task is seen as the task is: share the task with clients instead.")
		}
		if f.fromClient {
			return apperr.New(apperr.Conflict, "from_client", "A client's upload is seen by the team and that client only: move it out of “From the client” first.")
		}
		return nil
	}
	return notApplicable(a, File)
}

// seesFolder: the project's team with files.view sees its folders; a client only the
// project's "From the client" folder (folders are the team's way of sorting; a client
// sees the files shared with them as one list).
func (rd *Reader) seesFolder(v *view, fo *folderRec) bool {
	return fo.alive && v.has(FilesView) && rd.seesProject(v, fo.project, nil) && (!v.client || fo.fromClient)
}

func (rd *Reader) decideFolder(v *view, a Action, id string) error {
	fo, _ := rd.x.folder(id)
	if fo == nil || !rd.seesFolder(v, fo) {
		return hiddenFolder
	}
	switch a {
	case View, FilesView:
		return nil
	case FilesUpload: // putting a file in it
		if !v.has(a) {
			return forbidden(a)
		}
		return nil
	case FilesFolders: // renaming, moving, deleting it
		if !v.has(a) || v.client {
			return forbidden(a)
		}
		if fo.fromClient {
			return apperr.New(apperr.Conflict, "from_client", "“From the client” is where clients' uploads land: it cannot be renamed, moved or deleted.")
		}
		return nil
	}
	return notApplicable(a, Folder)
}

// projectFiles decides the file actions on a project as a whole: listing its files,
// uploading into it, making folders in it.
func (rd *Reader) projectFiles(v *view, a Action, p *projectRec) error {
	if !v.has(a) || (a == FilesFolders && v.client) {
		return forbidden(a)
	}
	if a != FilesView && !p.active {
		return apperr.New(apperr.Conflict, "archived", "This project is archived; reopen it to add or sort files.")
	}
	return nil
}
