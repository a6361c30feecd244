package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Stage is a Kanban column of a board.
type Stage struct {
	ID       string
	Name     string
	Kind     string // open | review | done
	Position int
}

// BoardGrant is an invitation to an invite-only board.
type BoardGrant struct {
	Type  string // user | team
	ID    string
	Level string // editor | member
}

// Board is a row of boards with its stages and invitations.
type Board struct {
	ID         string
	Name       string
	Visibility string // all | invited
	Stages     []Stage
	Access     []BoardGrant
	CreatedAt  time.Time
}

func (s *Store) fillBoard(ctx context.Context, b *Board) error {
	rows, err := s.q.QueryContext(ctx, `SELECT id, name, kind, position FROM board_stages WHERE board_id = ? ORDER BY position`, b.ID)
	if err != nil {
		return fmt.Errorf("store: board stages: %w", err)
	}
	b.Stages = []Stage{}
	for rows.Next() {
		var st Stage
		if err := rows.Scan(&st.ID, &st.Name, &st.Kind, &st.Position); err != nil {
			rows.Close()
			return fmt.Errorf("store: board stages: %w", err)
		}
		b.Stages = append(b.Stages, st)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return fmt.Errorf("store: board stages: %w", err)
	}
	rows.Close()
	rows, err = s.q.QueryContext(ctx, `SELECT principal_type, principal_id, level FROM board_access WHERE board_id = ?
		ORDER BY principal_type, principal_id`, b.ID)
	if err != nil {
		return fmt.Errorf("store: board access: %w", err)
	}
	defer rows.Close()
	b.Access = []BoardGrant{}
	for rows.Next() {
		var g BoardGrant
		if err := rows.Scan(&g.Type, &g.ID, &g.Level); err != nil {
			return fmt.Errorf("store: board access: %w", err)
		}
		b.Access = append(b.Access, g)
	}
	return rows.Err()
}

// Board returns one board.
func (s *Store) Board(ctx context.Context, id string) (*Board, error) {
	var b Board
	var created string
	err := s.q.QueryRowContext(ctx, `SELECT id, name, visibility, created_at FROM boards WHERE id = ?`, id).Scan(&b.ID, &b.Name, &b.Visibility, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: board %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: board: %w", err)
	}
	b.CreatedAt = parseTime(created)
	return &b, s.fillBoard(ctx, &b)
}

// Boards returns every board by name.
func (s *Store) Boards(ctx context.Context) ([]*Board, error) {
	ids, err := s.idList(ctx, `SELECT id FROM boards ORDER BY LOWER(name), id`)
	if err != nil {
		return nil, fmt.Errorf("store: boards: %w", err)
	}
	out := make([]*Board, 0, len(ids))
	for _, id := range ids {
		b, err := s.Board(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// CreateBoard inserts a board with its stages and invitations.
func (s *Store) CreateBoard(ctx context.Context, b *Board) error {
	if _, err := s.q.ExecContext(ctx, `INSERT INTO boards (id, name, visibility, created_at) VALUES (?,?,?,?)`,
		b.ID, b.Name, b.Visibility, formatTime(b.CreatedAt)); err != nil {
		return fmt.Errorf("store: create board: %w", err)
	}
	return s.setBoardParts(ctx, b)
}

// UpdateBoard updates a board and its stages (stages not listed are removed; their tasks
// lose their stage) and replaces its invitations.
func (s *Store) UpdateBoard(ctx context.Context, b *Board) error {
	res, err := s.q.ExecContext(ctx, `UPDATE boards SET name = ?, visibility = ? WHERE id = ?`, b.Name, b.Visibility, b.ID)
	if err != nil {
		return fmt.Errorf("store: update board: %w", err)
	}
	if err := affectedOne(res, "update board"); err != nil {
		return err
	}
	return s.setBoardParts(ctx, b)
}

func (s *Store) setBoardParts(ctx context.Context, b *Board) error {
	keep := map[string]bool{}
	for i, st := range b.Stages {
		keep[st.ID] = true
		if _, err := s.q.ExecContext(ctx, `INSERT INTO board_stages (id, board_id, name, kind, position) VALUES (?,?,?,?,?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, position = excluded.position
			WHERE board_stages.board_id = excluded.board_id`, st.ID, b.ID, st.Name, st.Kind, i); err != nil {
			return fmt.Errorf("store: board stages: %w", err)
		}
	}
	old, err := s.idList(ctx, `SELECT id FROM board_stages WHERE board_id = ?`, b.ID)
	if err != nil {
		return fmt.Errorf("store: board stages: %w", err)
	}
	for _, id := range old {
		if !keep[id] {
			if _, err := s.q.ExecContext(ctx, `DELETE FROM board_stages WHERE id = ?`, id); err != nil {
				return fmt.Errorf("store: board stages: %w", err)
			}
		}
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM board_access WHERE board_id = ?`, b.ID); err != nil {
		return fmt.Errorf("store: board access: %w", err)
	}
	for _, g := range b.Access {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO board_access (board_id, principal_type, principal_id, level) VALUES (?,?,?,?)`,
			b.ID, g.Type, g.ID, g.Level); err != nil {
			return fmt.Errorf("store: board access: %w", err)
		}
	}
	return nil
}

// DeleteBoard removes a board; its tasks stay in their projects without a board.
func (s *Store) DeleteBoard(ctx context.Context, id string) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM boards WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete board: %w", err)
	}
	return affectedOne(res, "delete board")
}

// TaskType is a row of task_types with its authorisations.
type TaskType struct {
	ID        string
	Name      string
	Access    []TypeGrant
	CreatedAt time.Time
}

// TypeGrant says who may create and/or assign tasks of a type.
type TypeGrant struct {
	Type   string // user | team
	ID     string
	Create bool
	Assign bool
}

// TaskTypes returns every task type by name.
func (s *Store) TaskTypes(ctx context.Context) ([]*TaskType, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, name FROM task_types ORDER BY name_key`)
	if err != nil {
		return nil, fmt.Errorf("store: task types: %w", err)
	}
	var out []*TaskType
	by := map[string]*TaskType{}
	for rows.Next() {
		var t TaskType
		if err := rows.Scan(&t.ID, &t.Name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: task types: %w", err)
		}
		t.Access = []TypeGrant{}
		out = append(out, &t)
		by[t.ID] = &t
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, fmt.Errorf("store: task types: %w", err)
	}
	rows.Close()
	acc, err := s.q.QueryContext(ctx, `SELECT type_id, principal_type, principal_id, can_create, can_assign FROM task_type_access
		ORDER BY type_id, principal_type, principal_id`)
	if err != nil {
		return nil, fmt.Errorf("store: task type access: %w", err)
	}
	defer acc.Close()
	for acc.Next() {
		var tid string
		var g TypeGrant
		if err := acc.Scan(&tid, &g.Type, &g.ID, &g.Create, &g.Assign); err != nil {
			return nil, fmt.Errorf("store: task type access: %w", err)
		}
		if t := by[tid]; t != nil {
			t.Access = append(t.Access, g)
		}
	}
	return out, acc.Err()
}

// TaskType returns one task type with its authorisations.
func (s *Store) TaskType(ctx context.Context, id string) (*TaskType, error) {
	all, err := s.TaskTypes(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range all {
		if t.ID == id {
			return t, nil
		}
	}
	return nil, fmt.Errorf("store: task type %s: %w", id, ErrNotFound)
}

// CreateTaskType inserts a task type with its authorisations.
func (s *Store) CreateTaskType(ctx context.Context, t *TaskType) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO task_types (id, name, name_key, created_at) VALUES (?,?,?,?)`,
		t.ID, t.Name, RoleNameKey(t.Name), formatTime(t.CreatedAt))
	return s.setTypeAccess(ctx, t, err)
}

// UpdateTaskType updates a task type and replaces its authorisations.
func (s *Store) UpdateTaskType(ctx context.Context, t *TaskType) error {
	res, err := s.q.ExecContext(ctx, `UPDATE task_types SET name = ?, name_key = ? WHERE id = ?`, t.Name, RoleNameKey(t.Name), t.ID)
	if err == nil {
		err = affectedOne(res, "update task type")
	}
	return s.setTypeAccess(ctx, t, err)
}

func (s *Store) setTypeAccess(ctx context.Context, t *TaskType, err error) error {
	if isUniqueViolation(err) {
		return fmt.Errorf("store: save task type: name %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: save task type: %w", err)
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM task_type_access WHERE type_id = ?`, t.ID); err != nil {
		return fmt.Errorf("store: task type access: %w", err)
	}
	for _, g := range t.Access {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO task_type_access (type_id, principal_type, principal_id, can_create, can_assign)
			VALUES (?,?,?,?,?)`, t.ID, g.Type, g.ID, g.Create, g.Assign); err != nil {
			return fmt.Errorf("store: task type access: %w", err)
		}
	}
	return nil
}

// DeleteTaskType removes a task type; its tasks keep no type.
func (s *Store) DeleteTaskType(ctx context.Context, id string) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM task_types WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete task type: %w", err)
	}
	return affectedOne(res, "delete task type")
}
