package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Thread is a project discussion.
type Thread struct {
	ID, ProjectID, Title, CreatedBy string
	ClientVisible                   bool
	CreatedAt, LastMessageAt        time.Time
	Messages                        int
}

// Message is one message of a thread.
type Message struct {
	ID, ThreadID, AuthorID, AuthorName, Body string
	// AuthorKind is the author's kind of role when they wrote it: internal or client
	// ("" for messages of accounts deleted before it was kept).
	AuthorKind string
	Seq        int64
	// Rev is the thread's revision when the message was last posted, edited or deleted.
	Rev       int64
	Mentions  []string
	CreatedAt time.Time
	EditedAt  *time.Time
	Deleted   bool
}

// CreateThread inserts a thread.
func (s *Store) CreateThread(ctx context.Context, t *Thread) error {
	return s.execOne(ctx, "thread", `INSERT INTO threads (id, project_id, title, client_visible, created_by, created_at, last_message_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, t.ID, t.ProjectID, t.Title, t.ClientVisible, t.CreatedBy, formatTime(t.CreatedAt), formatTime(t.LastMessageAt))
}

const threadColumns = `t.id, t.project_id, t.title, t.client_visible, t.created_by, t.created_at, t.last_message_at,
	(SELECT COUNT(*) FROM messages m WHERE m.thread_id = t.id AND m.deleted = 0)`

func scanThread(sc interface{ Scan(...any) error }) (*Thread, error) {
	var t Thread
	var created, last string
	if err := sc.Scan(&t.ID, &t.ProjectID, &t.Title, &t.ClientVisible, &t.CreatedBy, &created, &last, &t.Messages); err != nil {
		return nil, err
	}
	t.CreatedAt, t.LastMessageAt = parseTime(created), parseTime(last)
	return &t, nil
}

// Thread returns one thread.
func (s *Store) Thread(ctx context.Context, id string) (*Thread, error) {
	t, err := scanThread(s.q.QueryRowContext(ctx, `SELECT `+threadColumns+` FROM threads t WHERE t.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: thread %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: thread: %w", err)
	}
	return t, nil
}

// Threads returns a project's threads, the most recently active first.
func (s *Store) Threads(ctx context.Context, projectID string) ([]*Thread, error) {
	return s.threads(ctx, `SELECT `+threadColumns+` FROM threads t WHERE t.project_id = ? ORDER BY t.last_message_at DESC, t.id`, projectID)
}

// AllThreads is read when the index is built.
func (s *Store) AllThreads(ctx context.Context) ([]*Thread, error) {
	return s.threads(ctx, `SELECT `+threadColumns+` FROM threads t ORDER BY t.id`)
}

func (s *Store) threads(ctx context.Context, query string, args ...any) ([]*Thread, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: threads: %w", err)
	}
	defer rows.Close()
	out := []*Thread{}
	for rows.Next() {
		t, err := scanThread(rows)
		if err != nil {
			return nil, fmt.Errorf("store: threads: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// AddMessage appends m to its thread (its seq is the next) and marks the thread active.
func (s *Store) AddMessage(ctx context.Context, m *Message) error {
	mentions, err := json.Marshal(m.Mentions)
	if err != nil {
		return fmt.Errorf("store: message: %w", err)
	}
	if m.Mentions == nil {
		mentions = []byte("[]")
	}
	if err := s.q.QueryRowContext(ctx, `UPDATE threads SET last_message_at = ?, rev = rev + 1 WHERE id = ? RETURNING rev`,
		formatTime(m.CreatedAt), m.ThreadID).Scan(&m.Rev); err != nil {
		return fmt.Errorf("store: thread activity: %w", err)
	}
	err = s.q.QueryRowContext(ctx, `INSERT INTO messages (id, thread_id, seq, rev, author_id, author_name, author_kind, body, mentions, created_at)
		VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE thread_id = ?), ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
		m.ID, m.ThreadID, m.ThreadID, m.Rev, m.AuthorID, m.AuthorName, m.AuthorKind, m.Body, string(mentions), formatTime(m.CreatedAt)).Scan(&m.Seq)
	if err != nil {
		return fmt.Errorf("store: message: %w", err)
	}
	return nil
}

const messageColumns = `id, thread_id, seq, rev, author_id, author_name, author_kind, body, mentions, created_at, edited_at, deleted`

func scanMessage(sc interface{ Scan(...any) error }) (*Message, error) {
	var m Message
	var mentions, created, edited string
	if err := sc.Scan(&m.ID, &m.ThreadID, &m.Seq, &m.Rev, &m.AuthorID, &m.AuthorName, &m.AuthorKind, &m.Body, &mentions, &created, &edited, &m.Deleted); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(mentions), &m.Mentions); err != nil {
		return nil, err
	}
	m.CreatedAt = parseTime(created)
	if edited != "" {
		t := parseTime(edited)
		m.EditedAt = &t
	}
	return &m, nil
}

// Message returns one message.
func (s *Store) Message(ctx context.Context, id string) (*Message, error) {
	m, err := scanMessage(s.q.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM messages WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: message %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: message: %w", err)
	}
	return m, nil
}

// Messages returns up to limit messages of a thread after seq after, oldest first; with
// byRev, those changed after revision after, in the order of their changes.
func (s *Store) Messages(ctx context.Context, threadID string, after int64, byRev bool, limit int) ([]*Message, error) {
	query := `SELECT ` + messageColumns + ` FROM messages WHERE thread_id = ? AND seq > ? ORDER BY seq LIMIT ?`
	if byRev {
		query = `SELECT ` + messageColumns + ` FROM messages WHERE thread_id = ? AND rev > ? ORDER BY rev LIMIT ?`
	}
	rows, err := s.q.QueryContext(ctx, query, threadID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: messages: %w", err)
	}
	defer rows.Close()
	out := []*Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("store: messages: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// EditMessage writes a message's new body, or deletes it (its body goes).
func (s *Store) EditMessage(ctx context.Context, m *Message, at time.Time) error {
	mentions, _ := json.Marshal(m.Mentions)
	if m.Mentions == nil {
		mentions = []byte("[]")
	}
	if err := s.q.QueryRowContext(ctx, `UPDATE threads SET rev = rev + 1 WHERE id = ? RETURNING rev`, m.ThreadID).Scan(&m.Rev); err != nil {
		return fmt.Errorf("store: edit message: %w", err)
	}
	return s.execOne(ctx, "edit message", `UPDATE messages SET body = ?, mentions = ?, deleted = ?, edited_at = ?, rev = ? WHERE id = ?`,
		m.Body, string(mentions), m.Deleted, formatTime(at), m.Rev, m.ID)
}
