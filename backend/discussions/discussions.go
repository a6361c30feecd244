// Package discussions keeps each project's discussions: threads, internal or open to the
// project's clients, with their messages. Who sees and writes what is backend/authz's
// (the thread resource); every change takes the one write path with its audit entry.
package discussions

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
	"gatehouse/backend/text"
	"gatehouse/backend/write"
)

// Limits of what people type.
const (
	MaxTitle    = 200
	MaxBody     = 10_000
	MaxMentions = 20
	PageSize    = 100
)

// Service is the discussions service.
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

type (
	Thread  = store.Thread
	Message = store.Message
)

func checkTitle(raw string) (string, error) {
	t := strings.TrimSpace(raw)
	switch {
	case t == "":
		return "", apperr.Field("title", "Enter a title.")
	case utf8.RuneCountInString(t) > MaxTitle:
		return "", apperr.Field("title", "The title is too long: at most %d characters.", MaxTitle)
	}
	return t, text.Line("title", apperr.Textf("title"), t)
}

// CheckBody checks the text of a message (discussions and chat): trimmed, not empty, text
// only (no control characters or direction overrides), at most MaxBody characters.
func CheckBody(raw string) (string, error) {
	b := strings.TrimSpace(raw)
	switch {
	case b == "":
		return "", apperr.Field("body", "Write a message.")
	case !utf8.ValidString(b):
		return "", apperr.Field("body", "The message is not valid text (UTF-8).")
	case utf8.RuneCountInString(b) > MaxBody:
		return "", apperr.Field("body", "The message is too long: at most %d characters.", MaxBody)
	}
	return b, text.Lines("body", apperr.Textf("message"), b)
}

// CreateThread starts a discussion in a project with its first message. A client's
// discussion is always open to clients (a client writes to the team, never behind it).
func (s *Service) CreateThread(ctx context.Context, actor authz.Actor, projectID, title string, clientVisible bool, body string, mentions []string) (*Thread, error) {
	t, err := checkTitle(title)
	if err != nil {
		return nil, err
	}
	b, err := CheckBody(body)
	if err != nil {
		return nil, err
	}
	now := s.now()
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Thread, write.Effect, error) {
		if err := w.Check(actor, authz.ChatDiscussions, authz.ProjectRef(projectID)); err != nil {
			return nil, write.Effect{}, err
		}
		if err := archived(ctx, tx, projectID); err != nil {
			return nil, write.Effect{}, err
		}
		u, err := tx.User(ctx, actor.UserID)
		if err != nil {
			return nil, write.Effect{}, err
		}
		th := &Thread{ID: uuid.NewString(), ProjectID: projectID, Title: t, ClientVisible: clientVisible || w.IsClient(actor),
			CreatedBy: u.ID, CreatedAt: now, LastMessageAt: now, Messages: 1}
		if err := tx.CreateThread(ctx, th); err != nil {
			return nil, write.Effect{}, err
		}
		// The first message's mentions are decided against the new thread: as the index
		// will have it after the commit.
		ok, err := s.mentionable(w, th, mentions)
		if err != nil {
			return nil, write.Effect{}, err
		}
		m := &Message{ID: uuid.NewString(), ThreadID: th.ID, AuthorID: u.ID, AuthorName: u.Name, AuthorKind: u.RoleKind, Body: b, Mentions: ok, CreatedAt: now}
		if err := tx.AddMessage(ctx, m); err != nil {
			return nil, write.Effect{}, err
		}
		eff := write.Entry(audit.Entry{Action: "thread.create", TargetType: "thread", TargetID: th.ID, TargetName: th.Title,
			Details: map[string]any{"clientVisible": th.ClientVisible, "project": th.ProjectID}}, func(w *authz.Writer) { w.PutThread(th) })
		if err := s.write.Notify(ctx, tx, actor, &eff, "mentioned", map[string]string{"threadId": th.ID, "messageId": m.ID}, ok...); err != nil {
			return nil, write.Effect{}, err
		}
		return th, eff, nil
	})
}

// mentionable checks that every mentioned person would see the new thread th (decided
// by authz on the thread as the index will hold it after the commit).
func (s *Service) mentionable(w *authz.Writer, th *Thread, ids []string) ([]string, error) {
	if len(ids) > MaxMentions {
		return nil, apperr.Field("mentions", "At most %d people per message.", MaxMentions)
	}
	out := []string{}
	for _, id := range ids {
		if slices.Contains(out, id) {
			continue
		}
		if !w.WouldSeeThread(authz.Actor{UserID: id}, th.ProjectID, th.ClientVisible) {
			return nil, apperr.Field("mentions", "Mention only people who can see this discussion.")
		}
		out = append(out, id)
	}
	return out, nil
}

// Threads returns the project's discussions the actor sees, the most recently active
// first.
func (s *Service) Threads(ctx context.Context, actor authz.Actor, projectID string) ([]*Thread, error) {
	if err := s.authz.Check(actor, authz.ChatDiscussions, authz.ProjectRef(projectID)); err != nil {
		return nil, err
	}
	all, err := s.store.Threads(ctx, projectID)
	if err != nil {
		return nil, err
	}
	return authz.Keep(s.authz, actor, authz.Thread, all, func(t *Thread) string { return t.ID })
}

// SetNotifier makes the service send notification mails (someone mentioned).
func (s *Service) SetNotifier(n write.Notifier) { s.write.Notifier = n }

// Thread returns a discussion the actor sees.
func (s *Service) Thread(ctx context.Context, actor authz.Actor, id string) (*Thread, error) {
	if err := s.authz.Check(actor, authz.View, authz.ThreadRef(id)); err != nil {
		return nil, err
	}
	return s.store.Thread(ctx, id)
}

// Messages returns a page of a discussion's messages after seq after, oldest first (with
// byRev, those changed after revision after: new, edited and deleted ones), as the actor
// may see them: a deleted message without its text, and a client never learns another
// client's name.
func (s *Service) Messages(ctx context.Context, actor authz.Actor, threadID string, after int64, byRev bool) ([]*Message, error) {
	if err := s.authz.Check(actor, authz.View, authz.ThreadRef(threadID)); err != nil {
		return nil, err
	}
	ms, err := s.store.Messages(ctx, threadID, after, byRev, PageSize)
	if err != nil {
		return nil, err
	}
	var authors []string
	for _, m := range ms {
		authors = append(authors, m.AuthorID)
	}
	// Who the reader may name: everyone for the team; for a client, the team and
	// themselves (never another client, present or deleted).
	known := s.authz.Nameable(actor, authors)
	live, err := s.store.People(ctx, authors)
	if err != nil {
		return nil, err
	}
	exists := func(id string) bool {
		return slices.ContainsFunc(live, func(p store.Person) bool { return p.ID == id })
	}
	client := s.authz.IsClient(actor)
	for _, m := range ms {
		if m.Deleted {
			m.Body, m.Mentions = "", []string{}
		}
		switch {
		case m.AuthorID == actor.UserID:
		case client && (m.AuthorKind != string(authz.KindInternal) || (exists(m.AuthorID) && !slices.Contains(known, m.AuthorID))):
			// Another client (or someone whose kind was not kept): a client learns no name.
			m.AuthorID, m.AuthorName = "", "Another client"
		case !exists(m.AuthorID): // a deleted account: its name was kept, its id goes
			m.AuthorID = ""
		}
		m.Mentions = s.authz.Nameable(actor, m.Mentions)
	}
	return ms, nil
}

// Post adds a message to a discussion the actor sees.
func (s *Service) Post(ctx context.Context, actor authz.Actor, threadID, body string, mentions []string) (*Message, error) {
	b, err := CheckBody(body)
	if err != nil {
		return nil, err
	}
	now := s.now()
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Message, write.Effect, error) {
		if err := w.Check(actor, authz.ChatDiscussions, authz.ThreadRef(threadID)); err != nil {
			return nil, write.Effect{}, err
		}
		th, err := tx.Thread(ctx, threadID)
		if err != nil {
			return nil, write.Effect{}, err
		}
		if err := archived(ctx, tx, th.ProjectID); err != nil {
			return nil, write.Effect{}, err
		}
		for _, id := range mentions {
			if w.Check(authz.Actor{UserID: id}, authz.View, authz.ThreadRef(threadID)) != nil {
				return nil, write.Effect{}, apperr.Field("mentions", "Mention only people who can see this discussion.")
			}
		}
		if len(mentions) > MaxMentions {
			return nil, write.Effect{}, apperr.Field("mentions", "At most %d people per message.", MaxMentions)
		}
		u, err := tx.User(ctx, actor.UserID)
		if err != nil {
			return nil, write.Effect{}, err
		}
		m := &Message{ID: uuid.NewString(), ThreadID: threadID, AuthorID: u.ID, AuthorName: u.Name, AuthorKind: u.RoleKind, Body: b, Mentions: slices.Compact(slices.Sorted(slices.Values(mentions))), CreatedAt: now}
		if err := tx.AddMessage(ctx, m); err != nil {
			return nil, write.Effect{}, err
		}
		eff := write.Effect{Audit: []audit.Entry{{Action: "message.post", TargetType: "thread", TargetID: threadID, TargetName: th.Title}}}
		if err := s.write.Notify(ctx, tx, actor, &eff, "mentioned", map[string]string{"threadId": threadID, "messageId": m.ID}, m.Mentions...); err != nil {
			return nil, write.Effect{}, err
		}
		return m, eff, nil
	})
}

// Edit changes one's own message; with remove, deletes it (its place stays, "deleted").
func (s *Service) Edit(ctx context.Context, actor authz.Actor, id, body string, remove bool) (*Message, error) {
	var b string
	if !remove {
		var err error
		if b, err = CheckBody(body); err != nil {
			return nil, err
		}
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Message, write.Effect, error) {
		m, err := tx.Message(ctx, id)
		if err != nil {
			return nil, write.Effect{}, apperr.NotFoundf("No such message.")
		}
		if err := w.Check(actor, authz.View, authz.ThreadRef(m.ThreadID)); err != nil {
			return nil, write.Effect{}, apperr.NotFoundf("No such message.")
		}
		if err := w.Check(actor, authz.ChatDiscussions, authz.ThreadRef(m.ThreadID), authz.Change{Author: m.AuthorID}); err != nil {
			return nil, write.Effect{}, err
		}
		if m.Deleted {
			return nil, write.Effect{}, apperr.New(apperr.Conflict, "deleted", "This message was deleted.")
		}
		th, err := tx.Thread(ctx, m.ThreadID)
		if err != nil {
			return nil, write.Effect{}, err
		}
		if err := archived(ctx, tx, th.ProjectID); err != nil {
			return nil, write.Effect{}, err
		}
		action := "message.edit"
		if remove {
			m.Body, m.Mentions, m.Deleted, action = "", nil, true, "message.delete"
		} else {
			m.Body = b
		}
		at := s.now()
		if err := tx.EditMessage(ctx, m, at); err != nil {
			return nil, write.Effect{}, err
		}
		m.EditedAt = &at
		return m, write.Effect{Audit: []audit.Entry{{Action: action, TargetType: "thread", TargetID: m.ThreadID, TargetName: th.Title}}}, nil
	})
}

// archived refuses new discussions and messages, and changes to messages, in an archived
// project, as tasks do: its discussions are read only.
func archived(ctx context.Context, tx *store.Store, projectID string) error {
	p, err := tx.Project(ctx, projectID)
	if err != nil {
		return err
	}
	if p.Status == "archived" {
		return apperr.New(apperr.Conflict, "archived", "This project is archived; reopen it to write in its discussions.")
	}
	return nil
}
