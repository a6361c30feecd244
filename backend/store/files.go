package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Folder is a folder of a project's files.
type Folder struct {
	ID, ProjectID, ParentID, Name string
	FromClient                    bool
	CreatedAt                     time.Time
}

// File is a project file's metadata; its content is in the blob store by SHA256.
type File struct {
	ID, ProjectID, FolderID, TaskID string
	Name                            string
	Size                            int64
	ContentType                     string
	SHA256                          string
	Shared, FromClient              bool
	UploadedBy, Uploader            string
	CreatedAt, UpdatedAt            time.Time
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateFolder inserts a folder; a name taken in the same place is ErrConflict.
func (s *Store) CreateFolder(ctx context.Context, f *Folder) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO folders (id, project_id, parent_id, name, from_client, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		f.ID, f.ProjectID, nullable(f.ParentID), f.Name, f.FromClient, formatTime(f.CreatedAt))
	if isUniqueViolation(err) {
		return fmt.Errorf("store: folder: %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: folder: %w", err)
	}
	return nil
}

// UpdateFolder writes a folder's name and parent.
func (s *Store) UpdateFolder(ctx context.Context, f *Folder) error {
	res, err := s.q.ExecContext(ctx, `UPDATE folders SET name = ?, parent_id = ? WHERE id = ?`, f.Name, nullable(f.ParentID), f.ID)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: folder: %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: folder: %w", err)
	}
	return affectedOne(res, "update folder")
}

// DeleteFolder removes a folder with the folders and files in it.
func (s *Store) DeleteFolder(ctx context.Context, id string) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM folders WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete folder: %w", err)
	}
	return affectedOne(res, "delete folder")
}

const folderColumns = `id, project_id, COALESCE(parent_id, ''), name, from_client, created_at`

func scanFolder(sc interface{ Scan(...any) error }) (*Folder, error) {
	var f Folder
	var created string
	if err := sc.Scan(&f.ID, &f.ProjectID, &f.ParentID, &f.Name, &f.FromClient, &created); err != nil {
		return nil, err
	}
	f.CreatedAt = parseTime(created)
	return &f, nil
}

// Folder returns one folder.
func (s *Store) Folder(ctx context.Context, id string) (*Folder, error) {
	f, err := scanFolder(s.q.QueryRowContext(ctx, `SELECT `+folderColumns+` FROM folders WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: folder %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: folder: %w", err)
	}
	return f, nil
}

// ClientFolder returns the project's "From the client" folder (ErrNotFound: none yet).
func (s *Store) ClientFolder(ctx context.Context, projectID string) (*Folder, error) {
	f, err := scanFolder(s.q.QueryRowContext(ctx, `SELECT `+folderColumns+` FROM folders WHERE project_id = ? AND from_client = 1`, projectID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: client folder: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: client folder: %w", err)
	}
	return f, nil
}

// Folders returns the folders of a project, by name.
func (s *Store) Folders(ctx context.Context, projectID string) ([]*Folder, error) {
	return s.folders(ctx, `SELECT `+folderColumns+` FROM folders WHERE project_id = ? ORDER BY lower(name), id`, projectID)
}

func (s *Store) folders(ctx context.Context, query string, args ...any) ([]*Folder, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: folders: %w", err)
	}
	defer rows.Close()
	out := []*Folder{}
	for rows.Next() {
		f, err := scanFolder(rows)
		if err != nil {
			return nil, fmt.Errorf("store: folders: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// CreateFile inserts a file's row.
func (s *Store) CreateFile(ctx context.Context, f *File) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO files (id, project_id, folder_id, task_id, name, size, content_type, sha256, shared,
		from_client, uploaded_by, uploader, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.ProjectID, nullable(f.FolderID), nullable(f.TaskID), f.Name, f.Size, f.ContentType, f.SHA256, f.Shared, f.FromClient,
		f.UploadedBy, f.Uploader, formatTime(f.CreatedAt), formatTime(f.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: file: %w", err)
	}
	return nil
}

// UpdateFile writes a file's name, folder, task, sharing and where it came from.
func (s *Store) UpdateFile(ctx context.Context, f *File) error {
	res, err := s.q.ExecContext(ctx, `UPDATE files SET name = ?, folder_id = ?, task_id = ?, shared = ?, from_client = ?, updated_at = ?
		WHERE id = ?`, f.Name, nullable(f.FolderID), nullable(f.TaskID), f.Shared, f.FromClient, formatTime(f.UpdatedAt), f.ID)
	if err != nil {
		return fmt.Errorf("store: update file: %w", err)
	}
	return affectedOne(res, "update file")
}

// DeleteFile removes a file's row (its content goes when nothing refers to it).
func (s *Store) DeleteFile(ctx context.Context, id string) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM files WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete file: %w", err)
	}
	return affectedOne(res, "delete file")
}

const fileColumns = `id, project_id, COALESCE(folder_id, ''), COALESCE(task_id, ''), name, size, content_type, sha256, shared,
	from_client, uploaded_by, uploader, created_at, updated_at`

func scanFile(sc interface{ Scan(...any) error }) (*File, error) {
	var f File
	var created, updated string
	if err := sc.Scan(&f.ID, &f.ProjectID, &f.FolderID, &f.TaskID, &f.Name, &f.Size, &f.ContentType, &f.SHA256, &f.Shared,
		&f.FromClient, &f.UploadedBy, &f.Uploader, &created, &updated); err != nil {
		return nil, err
	}
	f.CreatedAt, f.UpdatedAt = parseTime(created), parseTime(updated)
	return &f, nil
}

// File returns one file's row.
func (s *Store) File(ctx context.Context, id string) (*File, error) {
	f, err := scanFile(s.q.QueryRowContext(ctx, `SELECT `+fileColumns+` FROM files WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: file %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: file: %w", err)
	}
	return f, nil
}

// Files returns a project's files, by name: in one folder (folderID, "" for the top) or,
// with all, every one.
func (s *Store) Files(ctx context.Context, projectID, folderID string, all bool) ([]*File, error) {
	q, args := `SELECT `+fileColumns+` FROM files WHERE project_id = ?`, []any{projectID}
	switch {
	case all:
	case folderID == "":
		q += ` AND folder_id IS NULL`
	default:
		q, args = q+` AND folder_id = ?`, append(args, folderID)
	}
	return s.files(ctx, q+` ORDER BY lower(name), id`, args...)
}

// TaskFiles returns the files attached to a task.
func (s *Store) TaskFiles(ctx context.Context, taskID string) ([]*File, error) {
	return s.files(ctx, `SELECT `+fileColumns+` FROM files WHERE task_id = ? ORDER BY lower(name), id`, taskID)
}

func (s *Store) files(ctx context.Context, query string, args ...any) ([]*File, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: files: %w", err)
	}
	defer rows.Close()
	out := []*File{}
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, fmt.Errorf("store: files: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// BlobInUse reports whether any file refers to the content sum.
func (s *Store) BlobInUse(ctx context.Context, sum string) (bool, error) {
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM files WHERE sha256 = ?`, sum).Scan(&n); err != nil {
		return false, fmt.Errorf("store: blob in use: %w", err)
	}
	return n > 0, nil
}

// BlobsInUse returns every content sum files refer to.
func (s *Store) BlobsInUse(ctx context.Context) (map[string]bool, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT DISTINCT sha256 FROM files`)
	if err != nil {
		return nil, fmt.Errorf("store: blobs in use: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var sum string
		if err := rows.Scan(&sum); err != nil {
			return nil, fmt.Errorf("store: blobs in use: %w", err)
		}
		out[sum] = true
	}
	return out, rows.Err()
}

// AllFolders and AllFiles are read when the index is built.
func (s *Store) AllFolders(ctx context.Context) ([]*Folder, error) {
	// Parents before children, so each folder's parent is known when it is indexed.
	return s.folders(ctx, `WITH RECURSIVE tree(id, depth) AS (SELECT id, 0 FROM folders WHERE parent_id IS NULL
		UNION ALL SELECT f.id, t.depth + 1 FROM folders f JOIN tree t ON f.parent_id = t.id)
		SELECT `+folderColumns+` FROM folders JOIN tree USING (id) ORDER BY tree.depth, id`)
}

// AllFiles returns every file's row.
func (s *Store) AllFiles(ctx context.Context) ([]*File, error) {
	return s.files(ctx, `SELECT `+fileColumns+` FROM files ORDER BY id`)
}
