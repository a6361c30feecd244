package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Channel is a team-chat channel or a 1:1 conversation, with the reader's standing in it.
type Channel struct {
	ID            string
	TeamID        string // team channels
	UserA, UserB  string // 1:1 conversations
	LastSeq       int64
	LastMessageAt time.Time
	ReadSeq       int64 // how far the reader has read
	Unread        int   // others' messages after ReadSeq, deleted ones left out
}

// ChatMessage is one message of a channel.
type ChatMessage struct {
	ID, ChannelID, AuthorID, AuthorName, Body string
	Seq                                       int64
	Rev                                       int64 // the channel's revision when last posted, edited or deleted
	CreatedAt                                 time.Time
	EditedAt                                  *time.Time
	Deleted                                   bool
}

// ChatChannels returns, for reader userID, the channels with these ids that have messages,
// and every 1:1 conversation userID is in.
func (s *Store) ChatChannels(ctx context.Context, userID string, ids []string) ([]*Channel, error) {
	args := []any{userID, userID, userID, userID}
	where := `c.user_a = ? OR c.user_b = ?`
	if len(ids) > 0 {
		where += ` OR c.id IN (?` + strings.Repeat(",?", len(ids)-1) + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := s.q.QueryContext(ctx, `SELECT c.id, COALESCE(c.team_id, ''), c.user_a, c.user_b, c.last_seq, c.last_message_at,
		COALESCE(r.seq, 0),
		(SELECT COUNT(*) FROM chat_messages m WHERE m.channel_id = c.id AND m.seq > COALESCE(r.seq, 0) AND m.author_id <> ? AND m.deleted = 0)
		FROM chat_channels c LEFT JOIN chat_reads r ON r.channel_id = c.id AND r.user_id = ?
		WHERE `+where+` ORDER BY c.last_message_at DESC, c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: chat channels: %w", err)
	}
	defer rows.Close()
	out := []*Channel{}
	for rows.Next() {
		var c Channel
		var last string
		if err := rows.Scan(&c.ID, &c.TeamID, &c.UserA, &c.UserB, &c.LastSeq, &last, &c.ReadSeq, &c.Unread); err != nil {
			return nil, fmt.Errorf("store: chat channels: %w", err)
		}
		c.LastMessageAt = parseTime(last)
		out = append(out, &c)
	}
	return out, rows.Err()
}

// AddChatMessage appends m to its channel, making the channel's row with its first
// message (teamID, a and b say whose it is), and marks the author as having read it.
func (s *Store) AddChatMessage(ctx context.Context, m *ChatMessage, teamID, a, b string) error {
	var team any
	if teamID != "" {
		team = teamID
	}
	at := formatTime(m.CreatedAt)
	if _, err := s.q.ExecContext(ctx, `INSERT INTO chat_channels (id, team_id, user_a, user_b, last_message_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, m.ChannelID, team, a, b, at); err != nil {
		return fmt.Errorf("store: chat channel: %w", err)
	}
	if err := s.q.QueryRowContext(ctx, `UPDATE chat_channels SET last_seq = last_seq + 1, rev = rev + 1, last_message_at = ? WHERE id = ?
		RETURNING last_seq, rev`, at, m.ChannelID).Scan(&m.Seq, &m.Rev); err != nil {
		return fmt.Errorf("store: chat message: %w", err)
	}
	if _, err := s.q.ExecContext(ctx, `INSERT INTO chat_messages (id, channel_id, seq, rev, author_id, author_name, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, m.ChannelID, m.Seq, m.Rev, m.AuthorID, m.AuthorName, m.Body, at); err != nil {
		return fmt.Errorf("store: chat message: %w", err)
	}
	return s.MarkChatRead(ctx, m.ChannelID, m.AuthorID, m.Seq)
}

// MarkChatRead records that userID has read channelID up to seq (never backwards; a
// channel with no messages yet has nothing to mark).
func (s *Store) MarkChatRead(ctx context.Context, channelID, userID string, seq int64) error {
	if _, err := s.q.ExecContext(ctx, `INSERT INTO chat_reads (channel_id, user_id, seq)
		SELECT id, ?, CASE WHEN last_seq < ? THEN last_seq ELSE ? END FROM chat_channels WHERE id = ?
		ON CONFLICT (channel_id, user_id) DO UPDATE SET seq = CASE WHEN excluded.seq > chat_reads.seq THEN excluded.seq ELSE chat_reads.seq END`,
		userID, seq, seq, channelID); err != nil {
		return fmt.Errorf("store: chat read: %w", err)
	}
	return nil
}

const chatColumns = `id, channel_id, seq, rev, author_id, author_name, body, created_at, edited_at, deleted`

func scanChatMessage(sc interface{ Scan(...any) error }) (*ChatMessage, error) {
	var m ChatMessage
	var created, edited string
	if err := sc.Scan(&m.ID, &m.ChannelID, &m.Seq, &m.Rev, &m.AuthorID, &m.AuthorName, &m.Body, &created, &edited, &m.Deleted); err != nil {
		return nil, err
	}
	m.CreatedAt = parseTime(created)
	if edited != "" {
		t := parseTime(edited)
		m.EditedAt = &t
	}
	return &m, nil
}

// ChatMessage returns one message.
func (s *Store) ChatMessage(ctx context.Context, id string) (*ChatMessage, error) {
	m, err := scanChatMessage(s.q.QueryRowContext(ctx, `SELECT `+chatColumns+` FROM chat_messages WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: chat message %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: chat message: %w", err)
	}
	return m, nil
}

// ChatMessages returns up to limit messages of a channel, oldest first: those changed
// after revision changed when changed ≥ 0 (in the order of their changes), those after
// seq after when after ≥ 0, else the latest ones before seq before (0: the newest).
func (s *Store) ChatMessages(ctx context.Context, channelID string, after, before, changed int64, limit int) ([]*ChatMessage, error) {
	var rows *sql.Rows
	var err error
	if changed >= 0 {
		rows, err = s.q.QueryContext(ctx, `SELECT `+chatColumns+` FROM chat_messages WHERE channel_id = ? AND rev > ? ORDER BY rev LIMIT ?`,
			channelID, changed, limit)
	} else if after >= 0 {
		rows, err = s.q.QueryContext(ctx, `SELECT `+chatColumns+` FROM chat_messages WHERE channel_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
			channelID, after, limit)
	} else {
		if before <= 0 {
			before = 1 << 62
		}
		rows, err = s.q.QueryContext(ctx, `SELECT * FROM (SELECT `+chatColumns+` FROM chat_messages WHERE channel_id = ? AND seq < ?
			ORDER BY seq DESC LIMIT ?) AS latest ORDER BY seq`, channelID, before, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("store: chat messages: %w", err)
	}
	defer rows.Close()
	out := []*ChatMessage{}
	for rows.Next() {
		m, err := scanChatMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("store: chat messages: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// EditChatMessage writes a message's new body, or deletes it (its body goes).
func (s *Store) EditChatMessage(ctx context.Context, m *ChatMessage, at time.Time) error {
	if err := s.q.QueryRowContext(ctx, `UPDATE chat_channels SET rev = rev + 1 WHERE id = ? RETURNING rev`, m.ChannelID).Scan(&m.Rev); err != nil {
		return fmt.Errorf("store: edit chat message: %w", err)
	}
	return s.execOne(ctx, "edit chat message", `UPDATE chat_messages SET body = ?, deleted = ?, edited_at = ?, rev = ? WHERE id = ?`,
		m.Body, m.Deleted, formatTime(at), m.Rev, m.ID)
}
