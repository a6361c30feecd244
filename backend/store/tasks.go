package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Task is a row of tasks with its followers.
type Task struct {
	Seq           int64
	ID            string
	ProjectID     string
	BoardID       string
	StageID       string
	Title         string
	Description   string
	AssigneeID    string
	DueDate       string // YYYY-MM-DD or ""
	TypeID        string
	ClientVisible bool
	ReviewState   string
	CreatedBy     string
	Followers     []string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

const taskColumns = `seq, id, project_id, COALESCE(board_id, ''), COALESCE(stage_id, ''), title, description,
	COALESCE(assignee_id, ''), COALESCE(due_date, ''), COALESCE(type_id, ''), client_visible, review_state, created_by, created_at, updated_at`

func scanTask(row interface{ Scan(...any) error }) (*Task, error) {
	var t Task
	var created, updated string
	err := row.Scan(&t.Seq, &t.ID, &t.ProjectID, &t.BoardID, &t.StageID, &t.Title, &t.Description, &t.AssigneeID, &t.DueDate,
		&t.TypeID, &t.ClientVisible, &t.ReviewState, &t.CreatedBy, &created, &updated)
	t.CreatedAt, t.UpdatedAt = parseTime(created), parseTime(updated)
	return &t, err
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Task returns one task with its followers.
func (s *Store) Task(ctx context.Context, id string) (*Task, error) {
	t, err := scanTask(s.q.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM tasks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: task %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: task: %w", err)
	}
	if t.Followers, err = s.idList(ctx, `SELECT user_id FROM task_followers WHERE task_id = ? ORDER BY user_id`, id); err != nil {
		return nil, fmt.Errorf("store: task followers: %w", err)
	}
	return t, nil
}

// TasksByIDs returns the tasks with ids, in that order (ids of missing tasks are skipped).
func (s *Store) TasksByIDs(ctx context.Context, ids []string) ([]*Task, error) {
	if len(ids) == 0 {
		return []*Task{}, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	in := `(?` + strings.Repeat(",?", len(ids)-1) + `)`
	rows, err := s.q.QueryContext(ctx, `SELECT `+taskColumns+` FROM tasks WHERE id IN `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("store: tasks: %w", err)
	}
	by := map[string]*Task{}
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: tasks: %w", err)
		}
		t.Followers = []string{}
		by[t.ID] = t
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, fmt.Errorf("store: tasks: %w", err)
	}
	rows.Close()
	frows, err := s.q.QueryContext(ctx, `SELECT task_id, user_id FROM task_followers WHERE task_id IN `+in+` ORDER BY user_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: task followers: %w", err)
	}
	defer frows.Close()
	for frows.Next() {
		var tid, uid string
		if err := frows.Scan(&tid, &uid); err != nil {
			return nil, fmt.Errorf("store: task followers: %w", err)
		}
		if t := by[tid]; t != nil {
			t.Followers = append(t.Followers, uid)
		}
	}
	out := make([]*Task, 0, len(ids))
	for _, id := range ids {
		if t := by[id]; t != nil {
			out = append(out, t)
		}
	}
	return out, frows.Err()
}

// CreateTask inserts t and sets its Seq.
func (s *Store) CreateTask(ctx context.Context, t *Task) error {
	now := formatTime(t.CreatedAt)
	err := s.q.QueryRowContext(ctx, `INSERT INTO tasks (id, project_id, board_id, stage_id, title, description, assignee_id,
		due_date, type_id, client_visible, review_state, created_by, created_at, updated_at, completed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,
		CASE WHEN (SELECT kind FROM board_stages WHERE id = ?) = 'done' THEN ? ELSE '' END) RETURNING seq`,
		t.ID, t.ProjectID, nullIfEmpty(t.BoardID), nullIfEmpty(t.StageID), t.Title, t.Description, nullIfEmpty(t.AssigneeID),
		nullIfEmpty(t.DueDate), nullIfEmpty(t.TypeID), t.ClientVisible, t.ReviewState, t.CreatedBy, now, now, t.StageID, now).Scan(&t.Seq)
	if err != nil {
		return fmt.Errorf("store: create task: %w", err)
	}
	return nil
}

// UpdateTask writes every field of t but its project.
func (s *Store) UpdateTask(ctx context.Context, t *Task) error {
	// completed_at: set when the task reaches a done stage, kept while it stays in one,
	// cleared when it leaves.
	res, err := s.q.ExecContext(ctx, `UPDATE tasks SET board_id = ?, stage_id = ?, title = ?, description = ?, assignee_id = ?,
		due_date = ?, type_id = ?, client_visible = ?, review_state = ?, updated_at = ?,
		completed_at = CASE WHEN (SELECT kind FROM board_stages WHERE id = ?) = 'done'
			THEN CASE WHEN completed_at = '' THEN ? ELSE completed_at END ELSE '' END WHERE id = ?`,
		nullIfEmpty(t.BoardID), nullIfEmpty(t.StageID), t.Title, t.Description, nullIfEmpty(t.AssigneeID), nullIfEmpty(t.DueDate),
		nullIfEmpty(t.TypeID), t.ClientVisible, t.ReviewState, formatTime(t.UpdatedAt), t.StageID, formatTime(t.UpdatedAt), t.ID)
	if err != nil {
		return fmt.Errorf("store: update task: %w", err)
	}
	return affectedOne(res, "update task")
}

// DeleteTask removes a task.
func (s *Store) DeleteTask(ctx context.Context, id string) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM tasks WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete task: %w", err)
	}
	return affectedOne(res, "delete task")
}

// SetTaskFollowers replaces a task's followers.
func (s *Store) SetTaskFollowers(ctx context.Context, taskID string, users []string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM task_followers WHERE task_id = ?`, taskID); err != nil {
		return fmt.Errorf("store: task followers: %w", err)
	}
	for _, u := range users {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO task_followers (task_id, user_id) VALUES (?,?)`, taskID, u); err != nil {
			return fmt.Errorf("store: task followers: %w", err)
		}
	}
	return nil
}

// Comment is a task comment.
type Comment struct {
	ID        string
	TaskID    string
	AuthorID  string
	Author    string
	Body      string
	CreatedAt time.Time
}

// AddComment stores c.
func (s *Store) AddComment(ctx context.Context, c *Comment) error {
	if _, err := s.q.ExecContext(ctx, `INSERT INTO task_comments (id, task_id, author_id, author, body, created_at) VALUES (?,?,?,?,?,?)`,
		c.ID, c.TaskID, c.AuthorID, c.Author, c.Body, formatTime(c.CreatedAt)); err != nil {
		return fmt.Errorf("store: add comment: %w", err)
	}
	return nil
}

// Comments returns a task's comments, oldest first.
func (s *Store) Comments(ctx context.Context, taskID string) ([]*Comment, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, task_id, author_id, author, body, created_at FROM task_comments WHERE task_id = ? ORDER BY created_at, id`, taskID)
	if err != nil {
		return nil, fmt.Errorf("store: comments: %w", err)
	}
	defer rows.Close()
	out := []*Comment{}
	for rows.Next() {
		var c Comment
		var at string
		if err := rows.Scan(&c.ID, &c.TaskID, &c.AuthorID, &c.Author, &c.Body, &at); err != nil {
			return nil, fmt.Errorf("store: comments: %w", err)
		}
		c.CreatedAt = parseTime(at)
		out = append(out, &c)
	}
	return out, rows.Err()
}

// TaskRules is who may open tasks for whom, for one user.
type TaskRules struct {
	ReceiveFromOthers bool
	OpenForOthers     bool
}

// UserTaskRules returns a user's rules (both allowed when none are stored).
func (s *Store) UserTaskRules(ctx context.Context, userID string) (TaskRules, error) {
	r := TaskRules{true, true}
	err := s.q.QueryRowContext(ctx, `SELECT receive_from_others, open_for_others FROM user_task_rules WHERE user_id = ?`, userID).
		Scan(&r.ReceiveFromOthers, &r.OpenForOthers)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("store: task rules: %w", err)
	}
	return r, nil
}

// SetUserTaskRules stores a user's rules.
func (s *Store) SetUserTaskRules(ctx context.Context, userID string, r TaskRules) error {
	if _, err := s.q.ExecContext(ctx, `INSERT INTO user_task_rules (user_id, receive_from_others, open_for_others) VALUES (?,?,?)
		ON CONFLICT (user_id) DO UPDATE SET receive_from_others = excluded.receive_from_others, open_for_others = excluded.open_for_others`,
		userID, r.ReceiveFromOthers, r.OpenForOthers); err != nil {
		return fmt.Errorf("store: task rules: %w", err)
	}
	return nil
}

// WorkIndex is everything the authorization index needs of projects, teams, boards, task
// types and tasks, read in a few queries at start.
type WorkIndex struct {
	Projects []*Project
	Teams    []*Team
	Boards   []*Board
	Types    []*TaskType
	Rules    map[string]TaskRules
}

// LoadWorkIndex reads the WorkIndex; the tasks come from EachIndexTask.
func (s *Store) LoadWorkIndex(ctx context.Context) (*WorkIndex, error) {
	wi := &WorkIndex{Rules: map[string]TaskRules{}}
	var err error
	if wi.Teams, err = s.Teams(ctx); err != nil {
		return nil, err
	}
	if wi.Boards, err = s.Boards(ctx); err != nil {
		return nil, err
	}
	if wi.Types, err = s.TaskTypes(ctx); err != nil {
		return nil, err
	}
	// Projects with membership in three queries rather than three per project.
	rows, err := s.q.QueryContext(ctx, `SELECT id, name, status FROM projects`)
	if err != nil {
		return nil, fmt.Errorf("store: work index: %w", err)
	}
	by := map[string]*Project{}
	for rows.Next() {
		p := &Project{}
		if err := rows.Scan(&p.ID, &p.Name, &p.Status); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: work index: %w", err)
		}
		wi.Projects = append(wi.Projects, p)
		by[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, fmt.Errorf("store: work index: %w", err)
	}
	rows.Close()
	for _, q := range []struct {
		sql string
		add func(p *Project, id string)
	}{
		{`SELECT project_id, user_id FROM project_members`, func(p *Project, id string) { p.Members = append(p.Members, id) }},
		{`SELECT project_id, team_id FROM project_teams`, func(p *Project, id string) { p.Teams = append(p.Teams, id) }},
		{`SELECT project_id, user_id FROM project_clients`, func(p *Project, id string) { p.Clients = append(p.Clients, id) }},
	} {
		rows, err := s.q.QueryContext(ctx, q.sql)
		if err != nil {
			return nil, fmt.Errorf("store: work index: %w", err)
		}
		for rows.Next() {
			var pid, id string
			if err := rows.Scan(&pid, &id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: work index: %w", err)
			}
			if p := by[pid]; p != nil {
				q.add(p, id)
			}
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: work index: %w", err)
		}
		rows.Close()
	}
	rows, err = s.q.QueryContext(ctx, `SELECT user_id, receive_from_others, open_for_others FROM user_task_rules`)
	if err != nil {
		return nil, fmt.Errorf("store: work index: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var uid string
		var r TaskRules
		if err := rows.Scan(&uid, &r.ReceiveFromOthers, &r.OpenForOthers); err != nil {
			return nil, fmt.Errorf("store: work index: %w", err)
		}
		wi.Rules[uid] = r
	}
	return wi, rows.Err()
}

// MaxTaskSeq is the creation number of the newest task (0: none yet).
func (s *Store) MaxTaskSeq(ctx context.Context) (int64, error) {
	var n int64
	if err := s.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM tasks`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: newest task: %w", err)
	}
	return n, nil
}

// EachIndexTask calls fn with every task created in (after, upTo], in creation order, as
// the authorization index needs it: ids, placement, assignee, type, visibility and
// followers, no texts. The Task passed is reused for the next row: fn must copy what it
// keeps (its strings may be kept). Ranges can be read at once on separate connections.
func (s *Store) EachIndexTask(ctx context.Context, after, upTo int64, fn func(t *Task)) error {
	// Few tasks have followers: all of them are read first (picking out the range's would
	// cost a lookup per task).
	followers := map[string][]string{}
	rows, err := s.q.QueryContext(ctx, `SELECT task_id, user_id FROM task_followers ORDER BY task_id, user_id`)
	if err != nil {
		return fmt.Errorf("store: index tasks: %w", err)
	}
	for rows.Next() {
		var tid, uid string
		if err := rows.Scan(&tid, &uid); err != nil {
			rows.Close()
			return fmt.Errorf("store: index tasks: %w", err)
		}
		followers[tid] = append(followers[tid], uid)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return fmt.Errorf("store: index tasks: %w", err)
	}
	rows.Close()
	rows, err = s.q.QueryContext(ctx, `SELECT seq, id, project_id, COALESCE(board_id, ''), COALESCE(stage_id, ''),
		COALESCE(assignee_id, ''), COALESCE(type_id, ''), client_visible FROM tasks WHERE seq > ? AND seq <= ? ORDER BY seq`, after, upTo)
	if err != nil {
		return fmt.Errorf("store: index tasks: %w", err)
	}
	defer rows.Close()
	var t Task
	for rows.Next() {
		if err := rows.Scan(&t.Seq, &t.ID, &t.ProjectID, &t.BoardID, &t.StageID, &t.AssigneeID, &t.TypeID, &t.ClientVisible); err != nil {
			return fmt.Errorf("store: index tasks: %w", err)
		}
		t.Followers = followers[t.ID]
		fn(&t)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: index tasks: %w", err)
	}
	return nil
}

// OpenTask is an open task (not in a done stage) of someone who is leaving.
type OpenTask struct {
	ID, ProjectID, ProjectName string
}

// OpenTasksAssignedTo lists the tasks assigned to userID that are not in a done stage,
// by project name.
func (s *Store) OpenTasksAssignedTo(ctx context.Context, userID string) ([]OpenTask, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT t.id, t.project_id, p.name FROM tasks t JOIN projects p ON p.id = t.project_id
		LEFT JOIN board_stages st ON st.id = t.stage_id WHERE t.assignee_id = ? AND COALESCE(st.kind, 'open') <> 'done'
		ORDER BY LOWER(p.name), p.id, t.seq`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: open tasks: %w", err)
	}
	defer rows.Close()
	var out []OpenTask
	for rows.Next() {
		var t OpenTask
		if err := rows.Scan(&t.ID, &t.ProjectID, &t.ProjectName); err != nil {
			return nil, fmt.Errorf("store: open tasks: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CountCommentsBy counts the task comments userID wrote.
func (s *Store) CountCommentsBy(ctx context.Context, userID string) (int, error) {
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM task_comments WHERE author_id = ?`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count comments: %w", err)
	}
	return n, nil
}

// ReportTask is what reports count of a task.
type ReportTask struct {
	ID, ProjectID, ProjectName, StageName, StageKind, AssigneeID, AssigneeName, DueDate, CompletedAt string
}

// ReportTasks returns every task with its project, stage and assignee names.
func (s *Store) ReportTasks(ctx context.Context) ([]*ReportTask, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT t.id, t.project_id, p.name, COALESCE(st.name, ''), COALESCE(st.kind, 'open'),
		COALESCE(t.assignee_id, ''), COALESCE(u.name, ''), COALESCE(t.due_date, ''), t.completed_at
		FROM tasks t JOIN projects p ON p.id = t.project_id LEFT JOIN board_stages st ON st.id = t.stage_id
		LEFT JOIN users u ON u.id = t.assignee_id ORDER BY t.seq`)
	if err != nil {
		return nil, fmt.Errorf("store: report tasks: %w", err)
	}
	defer rows.Close()
	out := []*ReportTask{}
	for rows.Next() {
		var r ReportTask
		if err := rows.Scan(&r.ID, &r.ProjectID, &r.ProjectName, &r.StageName, &r.StageKind, &r.AssigneeID, &r.AssigneeName, &r.DueDate, &r.CompletedAt); err != nil {
			return nil, fmt.Errorf("store: report tasks: %w", err)
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}
