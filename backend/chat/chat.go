// Package chat keeps the team chat (a channel for everyone and one per team) and 1:1
// messages between internal users. Who reads and writes where is backend/authz's (the
// channel resource); every change takes the one write path.
package chat

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/discussions"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// PageSize is how many messages one read returns at most.
const PageSize = 100

// Service is the chat service.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	write *write.Path
	now   func() time.Time
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, now: now}
}

// Message is one chat message.
type Message = store.ChatMessage

// Channel is a channel or 1:1 conversation as its reader sees it.
type Channel struct {
	ID     string
	Kind   string // everyone, team or direct
	Name   string // the team's name, or the other person's
	TeamID string
	// UserID is the other person of a 1:1 conversation; CanPost is false when they can no
	// longer receive messages (deleted, deactivated, or without chat.direct).
	UserID        string
	CanPost       bool
	LastSeq       int64
	ReadSeq       int64
	Unread        int
	LastMessageAt *time.Time
}

// Overview is what the chat page and the unread badge poll: the channels the actor reads
// with their unread counts, and the people they may write to one to one.
type Overview struct {
	Channels []Channel
	People   []store.Person
}

var noChat = apperr.New(apperr.Forbidden, "forbidden", "Your role does not include team chat or 1:1 messages.")

// Overview returns the actor's channels and conversations, the most recently active
// conversations first after the team channels.
func (s *Service) Overview(ctx context.Context, actor authz.Actor) (*Overview, error) {
	if err := s.authz.Holds(actor, authz.ChatTeam); err != nil && s.authz.Holds(actor, authz.ChatDirect) != nil {
		if apperr.IsKind(err, apperr.Unauthenticated) {
			return nil, err
		}
		return nil, noChat
	}
	teamChans, err := s.authz.ChatChannels(actor)
	if err != nil {
		return nil, err
	}
	people, err := s.authz.DirectPeople(actor)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(teamChans))
	for i, c := range teamChans {
		ids[i] = c.ID
	}
	rows, err := s.store.ChatChannels(ctx, actor.UserID, ids)
	if err != nil {
		return nil, err
	}
	rows, err = authz.Keep(s.authz, actor, authz.Channel, rows, func(c *store.Channel) string { return c.ID })
	if err != nil {
		return nil, err
	}
	byID := map[string]*store.Channel{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	out := &Overview{Channels: []Channel{}, People: []store.Person{}}
	for _, c := range teamChans {
		ch := Channel{ID: c.ID, Kind: "team", Name: c.Name, TeamID: c.TeamID, CanPost: true}
		if c.ID == authz.EveryoneChannel {
			ch.Kind = "everyone"
		}
		fill(&ch, byID[c.ID])
		out.Channels = append(out.Channels, ch)
	}
	names, err := s.names(ctx, rows, people)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r.UserA == "" {
			continue
		}
		other := r.UserA
		if other == actor.UserID {
			other = r.UserB
		}
		ch := Channel{ID: r.ID, Kind: "direct", Name: names[other], UserID: other, CanPost: slices.Contains(people, other)}
		if ch.Name == "" {
			ch.Name, ch.UserID = "Deleted account", ""
		}
		fill(&ch, r)
		out.Channels = append(out.Channels, ch)
	}
	for _, id := range people {
		if n, ok := names[id]; ok {
			out.People = append(out.People, store.Person{ID: id, Name: n})
		}
	}
	slices.SortFunc(out.People, func(a, b store.Person) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out, nil
}

func fill(ch *Channel, r *store.Channel) {
	if r == nil {
		return
	}
	ch.LastSeq, ch.ReadSeq, ch.Unread = r.LastSeq, r.ReadSeq, r.Unread
	at := r.LastMessageAt
	ch.LastMessageAt = &at
}

// names are the display names of the people of these conversations and of people.
func (s *Service) names(ctx context.Context, rows []*store.Channel, people []string) (map[string]string, error) {
	ids := slices.Clone(people)
	for _, r := range rows {
		if r.UserA != "" {
			ids = append(ids, r.UserA, r.UserB)
		}
	}
	ps, err := s.store.People(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, p := range ps {
		out[p.ID] = p.Name
	}
	return out, nil
}

// Messages returns a page of a channel's messages, oldest first: those changed after
// revision changed (changed ≥ 0, for polling: new, edited and deleted ones), those after
// seq after (after ≥ 0), else the latest ones before seq before (0: the newest).
func (s *Service) Messages(ctx context.Context, actor authz.Actor, channelID string, after, before, changed int64) ([]*Message, error) {
	if err := s.authz.Check(actor, authz.View, authz.ChannelRef(channelID)); err != nil {
		return nil, err
	}
	ms, err := s.store.ChatMessages(ctx, channelID, after, before, changed, PageSize)
	if err != nil {
		return nil, err
	}
	// A deleted account's messages keep its name, not its id.
	var authors []string
	for _, m := range ms {
		authors = append(authors, m.AuthorID)
	}
	live, err := s.store.People(ctx, authors)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Deleted {
			m.Body = ""
		}
		if !slices.ContainsFunc(live, func(p store.Person) bool { return p.ID == m.AuthorID }) {
			m.AuthorID = ""
		}
	}
	return ms, nil
}

// Post adds a message to a channel the actor may write in; a 1:1 conversation begins
// with its first message.
func (s *Service) Post(ctx context.Context, actor authz.Actor, channelID, body string) (*Message, error) {
	b, err := discussions.CheckBody(body)
	if err != nil {
		return nil, err
	}
	now := s.now()
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Message, write.Effect, error) {
		if err := w.Check(actor, authz.ChannelPost(channelID), authz.ChannelRef(channelID)); err != nil {
			return nil, write.Effect{}, err
		}
		u, err := tx.User(ctx, actor.UserID)
		if err != nil {
			return nil, write.Effect{}, err
		}
		m := &Message{ID: uuid.NewString(), ChannelID: channelID, AuthorID: u.ID, AuthorName: u.Name, Body: b, CreatedAt: now}
		team, a, bb := channelOwners(channelID)
		if err := tx.AddChatMessage(ctx, m, team, a, bb); err != nil {
			return nil, write.Effect{}, err
		}
		// Chat messages are not audited one by one (the conversation is their record);
		// edits and deletions are.
		return m, write.Effect{}, nil
	})
}

// channelOwners reads whose a channel is from its id (authz has checked the id).
func channelOwners(id string) (team, a, b string) {
	if t, ok := strings.CutPrefix(id, "team:"); ok {
		return t, "", ""
	}
	if pair, ok := strings.CutPrefix(id, "dm:"); ok {
		a, b, _ = strings.Cut(pair, ":")
	}
	return "", a, b
}

// Edit changes one's own message; with remove, deletes it (its place stays, "deleted").
func (s *Service) Edit(ctx context.Context, actor authz.Actor, id, body string, remove bool) (*Message, error) {
	var b string
	if !remove {
		var err error
		if b, err = discussions.CheckBody(body); err != nil {
			return nil, err
		}
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Message, write.Effect, error) {
		m, err := tx.ChatMessage(ctx, id)
		if err != nil || w.Check(actor, authz.View, authz.ChannelRef(m.ChannelID)) != nil {
			return nil, write.Effect{}, apperr.NotFoundf("No such message.")
		}
		if err := w.Check(actor, authz.ChannelPost(m.ChannelID), authz.ChannelRef(m.ChannelID), authz.Change{Author: m.AuthorID}); err != nil {
			return nil, write.Effect{}, err
		}
		if m.Deleted {
			return nil, write.Effect{}, apperr.New(apperr.Conflict, "deleted", "This message was deleted.")
		}
		action := "chat.message_edit"
		if remove {
			m.Body, m.Deleted, action = "", true, "chat.message_delete"
		} else {
			m.Body = b
		}
		at := s.now()
		if err := tx.EditChatMessage(ctx, m, at); err != nil {
			return nil, write.Effect{}, err
		}
		m.EditedAt = &at
		name, err := channelName(ctx, tx, m.ChannelID)
		if err != nil {
			return nil, write.Effect{}, err
		}
		return m, write.Effect{Audit: []audit.Entry{{Action: action, TargetType: "channel", TargetID: m.ChannelID, TargetName: name}}}, nil
	})
}

// channelName names a channel for the activity log: "Everyone", its team's name, or the
// two people of a conversation.
func channelName(ctx context.Context, tx *store.Store, id string) (string, error) {
	team, a, b := channelOwners(id)
	switch {
	case id == authz.EveryoneChannel:
		return "Everyone", nil
	case team != "":
		t, err := tx.Team(ctx, team)
		if errors.Is(err, store.ErrNotFound) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		return t.Name, nil
	}
	ps, err := tx.People(ctx, []string{a, b})
	if err != nil {
		return "", err
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, " & "), nil
}

// MarkRead records that the actor has read a channel up to seq. It is the reader's own
// bookmark, not a change anyone else sees, so it is neither audited nor in the index
// (and viewing as someone, which is read-only, never moves theirs).
func (s *Service) MarkRead(ctx context.Context, actor authz.Actor, channelID string, seq int64) error {
	if err := s.authz.Check(actor, authz.View, authz.ChannelRef(channelID)); err != nil {
		return err
	}
	if seq < 0 {
		return apperr.Field("seq", "Seq is the last message read: a whole number, 0 or more.")
	}
	return s.store.MarkChatRead(ctx, channelID, actor.UserID, seq)
}
